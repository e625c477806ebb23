package query

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func indexOf(sites []locus.Site) []siteEntry {
	entries := make([]siteEntry, 0, len(sites))
	for _, s := range sites {
		entries = append(entries, buildEntry(s))
	}
	sortEntries(entries)
	return entries
}

func TestSearchSites(t *testing.T) {
	sites := []locus.Site{
		{ID: 11, ClientID: 1, Name: "Sunny Acres", Locale3: "Fresno", Locale1: "California", LocaleCode1: "CA"},
		{ID: 12, ClientID: 1, Name: "Acme Rooftop", Locale3: "Hoboken", Locale1: "New Jersey", LocaleCode1: "NJ"},
		{ID: 13, ClientID: 2, Name: "Sunset Farm", Locale3: "Sunnyvale", Locale1: "California", LocaleCode1: "CA"},
		{ID: 113, ClientID: 2, Name: "Bayview", Locale3: "Oakland", Locale1: "California", LocaleCode1: "CA"},
	}
	entries := indexOf(sites)
	cases := []struct {
		name    string
		query   string
		clients map[int64]bool
		limit   int
		want    []int64
		total   int
	}{
		{"all sorted by name", "", nil, 50, []int64{12, 113, 11, 13}, 4},
		{"name prefix ranks before other matches", "sun", nil, 50, []int64{11, 13}, 2},
		{"city matches", "hoboken", nil, 50, []int64{12}, 1},
		{"state code matches, case-insensitive", "nj", nil, 50, []int64{12}, 1},
		{"state name matches", "california", nil, 50, []int64{113, 11, 13}, 3},
		{"exact id first, then ids containing it", "13", nil, 50, []int64{13, 113}, 2},
		{"every word must match", "sun ca fresno", nil, 50, []int64{11}, 1},
		{"client filter", "", map[int64]bool{2: true}, 50, []int64{113, 13}, 2},
		{"client filter and text", "sun", map[int64]bool{2: true}, 50, []int64{13}, 1},
		{"limit keeps total", "", nil, 2, []int64{12, 113}, 4},
		{"no match", "zzz", nil, 50, []int64{}, 0},
		{"several clients (a multi-value variable)", "", map[int64]bool{1: true, 2: true}, 50, []int64{12, 113, 11, 13}, 4},
		{"prefix match outranks city match", "sunny", nil, 50, []int64{11, 13}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, total := searchSites(entries, tc.query, tc.clients, tc.limit)
			if total != tc.total {
				t.Errorf("total = %d, want %d", total, tc.total)
			}
			ids := make([]int64, len(got))
			for i, s := range got {
				ids[i] = s.ID
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
				t.Errorf("ids = %v, want %v", ids, tc.want)
			}
		})
	}
}

func TestSiteSummaryStateFallsBackToName(t *testing.T) {
	s := siteSummaryOf(locus.Site{ID: 1, Locale1: "Bavaria", Locale3: "Munich"})
	if s.State != "Bavaria" || s.City != "Munich" {
		t.Fatalf("got %+v", s)
	}
}

func TestComponentTreeOrder(t *testing.T) {
	comps := []locus.Component{
		{ID: 5, Name: "Inverter B", ParentID: 1, ParentType: "COMPONENT"},
		{ID: 1, Name: "Meter", ParentID: 100, ParentType: "SITE"},
		{ID: 4, Name: "Inverter A", ParentID: 1, ParentType: "COMPONENT"},
		{ID: 9, Name: "Weather station", ParentID: 100, ParentType: "SITE"},
		{ID: 6, Name: "String 1", ParentID: 4, ParentType: "COMPONENT"},
		{ID: 7, Name: "Orphan", ParentID: 999, ParentType: "COMPONENT"},
		{ID: 20, Name: "Cycle A", ParentID: 21, ParentType: "COMPONENT"},
		{ID: 21, Name: "Cycle B", ParentID: 20, ParentType: "COMPONENT"},
	}
	got := componentTree(comps)
	want := []struct {
		id    int64
		depth int
	}{{1, 0}, {4, 1}, {6, 2}, {5, 1}, {7, 0}, {9, 0}, {20, 0}, {21, 1}}
	if len(got) != len(want) {
		t.Fatalf("got %d components, want %d (every component must appear once): %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].ID != w.id || got[i].Depth != w.depth {
			t.Errorf("position %d: got id %d depth %d, want id %d depth %d", i, got[i].ID, got[i].Depth, w.id, w.depth)
		}
	}
}

func TestComponentTreeEmpty(t *testing.T) {
	if got := componentTree(nil); got == nil || len(got) != 0 {
		t.Fatalf("want an empty, non-nil list (JSON []), got %#v", got)
	}
}

func TestFleetZonesByUse(t *testing.T) {
	entries := []siteEntry{{site: SiteSummary{LocationTimezone: "US/Pacific"}}, {site: SiteSummary{LocationTimezone: "America/New_York"}},
		{site: SiteSummary{LocationTimezone: "US/Pacific"}}, {site: SiteSummary{}}, {site: SiteSummary{LocationTimezone: "Asia/Kolkata"}}}
	if got := fmt.Sprint(zonesByUse(entries)); got != "[US/Pacific America/New_York Asia/Kolkata]" {
		t.Errorf("zonesByUse = %s", got)
	}
}

// FieldsOf answers the union of several components' catalogues: each
// shortName once, the first component's fields first in Locus' order, then
// the ones only the next offers; past maxEntities only the first ids are
// read, with a warning naming the setting.
func TestFieldsOfUnion(t *testing.T) {
	e := newEnv(t, nil, nil)
	var inv, ws int64
	for _, s := range e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		if i, w := s.ComponentsOfType(locussim.NodeInverter), s.ComponentsOfType(locussim.NodeWeatherStation); len(i) > 0 && len(w) > 0 {
			inv, ws = i[0].ID, w[0].ID
			break
		}
	}
	if inv == 0 {
		t.Fatal("no site with an inverter and a weather station")
	}
	var want []string
	seen := map[string]bool{}
	for _, id := range []int64{inv, ws} {
		cat, err := e.api.DataAvailable(t.Context(), locus.KindComponent, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range cat.Fields() {
			if !seen[f.ShortName] {
				seen[f.ShortName] = true
				want = append(want, f.ShortName)
			}
		}
	}
	u, err := e.eng.FieldsOf(t.Context(), EntityComponent, []int64{inv, ws}, 20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range u.Fields {
		got = append(got, f.ShortName)
		if f.GrafanaUnit == "" {
			t.Errorf("%s has no Grafana unit", f.ShortName)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || u.IDs != 2 || u.Read != 2 || u.Warning != "" {
		t.Errorf("union %v (ids %d, read %d, warning %q), want %v of both", got, u.IDs, u.Read, u.Warning, want)
	}
	u, err = e.eng.FieldsOf(t.Context(), EntityComponent, []int64{inv, ws}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if u.IDs != 2 || u.Read != 1 || !strings.Contains(u.Warning, "first 1 of 2 components") || !strings.Contains(u.Warning, "maxFieldUnionEntities") {
		t.Errorf("cut union: ids %d, read %d, warning %q", u.IDs, u.Read, u.Warning)
	}
}
