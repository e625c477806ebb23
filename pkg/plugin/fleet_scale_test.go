package plugin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

// Fleet-scale proof of the resource routes the variables use: every entity
// is listed, a list of sites gives the union, and a cached list is searched
// without upstream requests. Expected values come from the simulator's fleet
// definition (locussim.Fleet), never from the routes under test.

// fleetDatasource serves a simulated fleet of n sites over HTTP.
func fleetDatasource(t *testing.T, n int) (*Datasource, *locussim.Server, []*locussim.Site) {
	t.Helper()
	cfg := locussim.DefaultConfig()
	cfg.Sites = n
	sim, base := simkit.Serve(t, cfg, nil)
	d, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	sites := sim.Fleet().SitesOfPartner(cfg.PartnerID)
	if len(sites) != n {
		t.Fatalf("the simulator generated %d sites, want %d", len(sites), n)
	}
	return d, sim, sites
}

func joinIDs[T any](xs []T, id func(T) int64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(id(x))
	}
	return strings.Join(parts, ",")
}

func TestFleetResourcesListEveryEntity(t *testing.T) {
	for _, n := range []int{600, 10000} {
		t.Run(fmt.Sprintf("%d sites", n), func(t *testing.T) {
			d, sim, sites := fleetDatasource(t, n)

			// Case 1: /sites?limit=0 (what the sites variable asks) lists every
			// site; it used to stop at 500.
			body := getOK(t, d, "/sites?limit=0")
			var list []query.SiteSummary
			var total int
			decodeInto(t, body["sites"], &list)
			decodeInto(t, body["total"], &total)
			if len(list) != n || total != n {
				t.Fatalf("/sites?limit=0 listed %d sites (total %d), want all %d", len(list), total, n)
			}
			got := map[int64]bool{}
			for _, s := range list {
				got[s.ID] = true
			}
			for _, s := range sites {
				if !got[s.ID] {
					t.Fatalf("site %d (%s) missing from /sites?limit=0", s.ID, s.Name)
				}
			}
			// A search of the cached list costs no upstream request.
			sim.ResetStats()
			for _, q := range []string{"sun", sites[n/2].Name, fmt.Sprint(sites[n-1].ID)} {
				if status, body, _ := callResource(t, d, http.MethodGet, "/sites?query="+strings.ReplaceAll(q, " ", "+")); status != http.StatusOK {
					t.Fatalf("/sites?query=%s: %d %s", q, status, errorText(body))
				}
			}
			if c := sim.Stats().API; c != 0 {
				t.Errorf("3 searches of the cached site list made %d upstream requests, want 0", c)
			}

			// Case 2 and All: the inverters of every site (a components variable
			// scoped by an All $site), from one partner-level call.
			sim.ResetStats()
			all := joinIDs(sites, func(s *locussim.Site) int64 { return s.ID })
			body = getOK(t, d, "/components?nodeType=INVERTER&siteId="+all)
			var comps []query.ComponentSummary
			decodeInto(t, body["components"], &comps)
			var want []int64
			for _, s := range sites {
				for _, c := range s.ComponentsOfType(locussim.NodeInverter) {
					want = append(want, c.ID)
				}
			}
			gotIDs := make([]int64, len(comps))
			for i, c := range comps {
				gotIDs[i] = c.ID
				if c.NodeType != locussim.NodeInverter {
					t.Fatalf("component %d has node type %s, want only INVERTER", c.ID, c.NodeType)
				}
			}
			slices.Sort(want)
			slices.Sort(gotIDs)
			if !slices.Equal(gotIDs, want) {
				t.Fatalf("All sites: %d inverters listed, want the fleet's %d", len(gotIDs), len(want))
			}
			if c := sim.Stats().API; c != 1 {
				t.Errorf("the inverters of %d sites took %d upstream requests, want one partner list", n, c)
			}

			// A node ID search over the fleet's components answers every match
			// (total) from the cached partner list: no upstream request.
			sim.ResetStats()
			probe := sites[n/3].Components[0].NodeID
			needle := strings.ToLower(probe[:len(probe)-1])
			wantMatches := 0
			for _, s := range sites {
				for _, c := range s.Components {
					if strings.Contains(strings.ToLower(c.NodeID), needle) {
						wantMatches++
					}
				}
			}
			body = getOK(t, d, "/components?limit=5&nodeId="+url.QueryEscape("%"+needle+"%"))
			var page []query.ComponentSummary
			var matches int
			decodeInto(t, body["components"], &page)
			decodeInto(t, body["total"], &matches)
			if matches != wantMatches || len(page) != min(5, wantMatches) {
				t.Errorf("node ID search %q: %d shown of %d, want %d of %d", needle, len(page), matches, min(5, wantMatches), wantMatches)
			}
			if c := sim.Stats().API; c != 0 {
				t.Errorf("a node ID search after the partner list was cached made %d upstream requests, want 0", c)
			}
		})
	}
}

// TestComponentsOfMultiValueSitesAreTheUnion is issue case 2: a components
// variable (node type INVERTER) scoped by two sites, the first without
// inverters, lists the second's inverters (it used to list only the first
// site's: nothing).
func TestComponentsOfMultiValueSitesAreTheUnion(t *testing.T) {
	d, _, sites := fleetDatasource(t, 600)
	var without, with *locussim.Site
	for _, s := range sites {
		n := len(s.ComponentsOfType(locussim.NodeInverter))
		if n == 0 && without == nil {
			without = s
		}
		if n >= 2 && with == nil {
			with = s
		}
	}
	if without == nil || with == nil {
		t.Fatal("the 600-site fleet lacks a site without inverters or one with two")
	}
	for _, ids := range []string{
		fmt.Sprintf("%d,%d", without.ID, with.ID),
		fmt.Sprintf("{%d,%d}", without.ID, with.ID), // Grafana's glob format
	} {
		body := getOK(t, d, "/components?nodeType=INVERTER&siteId="+ids)
		var comps []query.ComponentSummary
		decodeInto(t, body["components"], &comps)
		want := with.ComponentsOfType(locussim.NodeInverter)
		if len(comps) != len(want) {
			t.Fatalf("siteId=%s: %d inverters, want %d (those of site %d)", ids, len(comps), len(want), with.ID)
		}
		for _, c := range comps {
			if c.SiteID != with.ID {
				t.Errorf("component %d belongs to site %d, want %d", c.ID, c.SiteID, with.ID)
			}
		}
	}
	// Fields of two sites are the union of each site's fields.
	body := getOK(t, d, fmt.Sprintf("/dataavailable?entityType=site&id=%d,%d", without.ID, with.ID))
	var union []query.CatalogField
	decodeInto(t, body["fields"], &union)
	got := map[string]bool{}
	for _, f := range union {
		got[f.ShortName] = true
	}
	for _, id := range []int64{without.ID, with.ID} {
		_, b, _ := callResource(t, d, http.MethodGet, fmt.Sprintf("/dataavailable?entityType=site&id=%d", id))
		var one []query.CatalogField
		decodeInto(t, b["fields"], &one)
		for _, f := range one {
			if !got[f.ShortName] {
				t.Errorf("field %s of site %d missing from the union", f.ShortName, id)
			}
		}
	}
}

// fieldUnion asks /dataavailable for the field union of sites and returns
// its warning and how many of how many sites it read.
func fieldUnion(t *testing.T, d *Datasource, sites []*locussim.Site) (warning string, read, total int) {
	t.Helper()
	body := getOK(t, d, "/dataavailable?entityType=site&id="+joinIDs(sites, func(s *locussim.Site) int64 { return s.ID }))
	if body["warning"] != nil {
		decodeInto(t, body["warning"], &warning)
	}
	decodeInto(t, body["read"], &read)
	decodeInto(t, body["ids"], &total)
	return warning, read, total
}

// TestFieldUnionLimitWarns: a field list over more sites than
// maxFieldUnionEntities (the documented default 20, or the setting) reads
// that many (one upstream request each) and says so, naming the setting
// (the variable shows the warning as an option); within the limit there is
// no warning.
func TestFieldUnionLimitWarns(t *testing.T) {
	const limit = 20 // the documented default of maxFieldUnionEntities
	d, _, sites := fleetDatasource(t, 600)
	warning, read, total := fieldUnion(t, d, sites[:limit+5])
	if read != limit || total != limit+5 || !strings.Contains(warning, fmt.Sprintf("first %d of %d sites", limit, limit+5)) || !strings.Contains(warning, "maxFieldUnionEntities") {
		t.Errorf("default: read %d of %d, warning %q; want %d of %d and a warning saying so, naming maxFieldUnionEntities", read, total, warning, limit, limit+5)
	}

	cfg := locussim.DefaultConfig()
	cfg.Sites = 3
	sim, base := simkit.Serve(t, cfg, nil)
	d, _ = newTestDatasource(t, simkit.Settings(base, map[string]any{"maxFieldUnionEntities": 2}, nil))
	sites = sim.Fleet().SitesOfPartner(cfg.PartnerID)
	if len(sites) != 3 {
		t.Fatalf("the simulator generated %d sites, want 3", len(sites))
	}
	warning, read, total = fieldUnion(t, d, sites)
	if read != 2 || total != 3 || !strings.Contains(warning, "first 2 of 3 sites") || !strings.Contains(warning, "maxFieldUnionEntities") {
		t.Errorf("setting 2: read %d of %d, warning %q; want 2 of 3 and a warning naming maxFieldUnionEntities", read, total, warning)
	}
	if warning, _, _ = fieldUnion(t, d, sites[:2]); warning != "" {
		t.Errorf("2 sites with the setting at 2: unexpected warning %q", warning)
	}
}
