package plugin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

func TestResourceClients(t *testing.T) {
	d, sim := simDatasource(t)
	body := getOK(t, d, "/clients")
	var clients []query.ClientSummary
	decodeInto(t, body["clients"], &clients)
	want := len(sim.Fleet().Partner(locussim.DefaultPartnerID).ClientIDs)
	if len(clients) != want || want == 0 {
		t.Fatalf("got %d clients, want %d", len(clients), want)
	}
	for i, c := range clients {
		if c.ID <= 0 || c.Name == "" || c.TZ == "" {
			t.Errorf("client %+v lacks id, name or tz", c)
		}
		if i > 0 && strings.ToLower(clients[i-1].Name) > strings.ToLower(c.Name) {
			t.Errorf("clients not sorted by name: %q before %q", clients[i-1].Name, c.Name)
		}
	}
}

func TestResourceSites(t *testing.T) {
	d, sim := simDatasource(t)
	fleet := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	target := fleet[3]

	var all []query.SiteSummary
	body := getOK(t, d, "/sites")
	decodeInto(t, body["sites"], &all)
	var total int
	decodeInto(t, body["total"], &total)
	if len(all) != len(fleet) || total != len(fleet) {
		t.Fatalf("got %d sites (total %d), want %d", len(all), total, len(fleet))
	}
	for _, s := range all {
		if s.ID == target.ID {
			if s.Name != target.Name || s.ClientID != target.ClientID || s.City != target.Locale3 || s.LocationTimezone != target.Timezone {
				t.Errorf("site %d = %+v, want fleet values %+v", s.ID, s, target)
			}
			if target.HasLocation && (s.Latitude == nil || s.Longitude == nil) {
				t.Errorf("site %d lacks latitude/longitude", s.ID)
			}
		}
	}

	// Search by part of the name (case-insensitive), by id, by client.
	word := strings.ToUpper(strings.Fields(target.Name)[0])
	_, body, _ = callResource(t, d, "GET", "/sites?query="+url.QueryEscape(word))
	var found []query.SiteSummary
	decodeInto(t, body["sites"], &found)
	if !containsSite(found, target.ID) {
		t.Errorf("search %q did not find site %q", word, target.Name)
	}
	_, body, _ = callResource(t, d, "GET", fmt.Sprintf("/sites?query=%d", target.ID))
	decodeInto(t, body["sites"], &found)
	if len(found) == 0 || found[0].ID != target.ID {
		t.Errorf("search by id %d: got %+v, want it first", target.ID, found)
	}
	_, body, _ = callResource(t, d, "GET", fmt.Sprintf("/sites?clientId=%d", target.ClientID))
	decodeInto(t, body["sites"], &found)
	if !containsSite(found, target.ID) {
		t.Errorf("client filter lost site %d", target.ID)
	}
	for _, s := range found {
		if s.ClientID != target.ClientID {
			t.Errorf("client filter returned site %d of client %d", s.ID, s.ClientID)
		}
	}
	// A multi-value or "All" client variable interpolates to a list.
	other := int64(0)
	for _, s := range fleet {
		if s.ClientID != target.ClientID {
			other = s.ClientID
			break
		}
	}
	_, body, _ = callResource(t, d, "GET", fmt.Sprintf("/sites?clientId={%d,%d}", target.ClientID, other))
	decodeInto(t, body["sites"], &found)
	clientsSeen := map[int64]bool{}
	for _, s := range found {
		clientsSeen[s.ClientID] = true
	}
	if other == 0 || len(clientsSeen) != 2 || !clientsSeen[target.ClientID] || !clientsSeen[other] {
		t.Errorf("clientId list {%d,%d}: got sites of clients %v", target.ClientID, other, clientsSeen)
	}
	_, body, _ = callResource(t, d, "GET", "/sites?limit=2")
	decodeInto(t, body["sites"], &found)
	decodeInto(t, body["total"], &total)
	if len(found) != 2 || total != len(fleet) {
		t.Errorf("limit=2: got %d sites, total %d; want 2 and %d", len(found), total, len(fleet))
	}
	// Every search is served from the cached partner list.
	if got := sim.Stats().Count("GET /v3/partners/{id}/sites"); got != 1 {
		t.Errorf("site searches made %d upstream site list calls, want 1", got)
	}
}

func containsSite(sites []query.SiteSummary, id int64) bool {
	for _, s := range sites {
		if s.ID == id {
			return true
		}
	}
	return false
}

func TestResourceSite(t *testing.T) {
	d, sim := simDatasource(t)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	body := getOK(t, d, fmt.Sprintf("/sites/%d", site.ID))
	var got query.SiteSummary
	decodeInto(t, body["site"], &got)
	if got.ID != site.ID || got.Name != site.Name {
		t.Errorf("got %+v, want site %d %q", got, site.ID, site.Name)
	}
	other := sim.Fleet().SitesOfPartner(locussim.OtherPartnerID)[0]
	if status, body, _ := callResource(t, d, "GET", fmt.Sprintf("/sites/%d", other.ID)); status != http.StatusForbidden {
		t.Errorf("another partner's site: status %d (%s), want 403", status, errorText(body))
	}
	if status, body, _ := callResource(t, d, "GET", "/sites/987654321"); status != http.StatusNotFound {
		t.Errorf("unknown site: status %d (%s), want 404", status, errorText(body))
	}
}

func TestResourceSiteComponents(t *testing.T) {
	d, sim := simDatasource(t)
	site := sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return len(s.ComponentsOfType(locussim.NodeInverter)) > 1
	})
	if site == nil {
		t.Fatal("the default fleet has no site with several inverters")
	}
	body := getOK(t, d, fmt.Sprintf("/sites/%d/components", site.ID))
	var comps []query.ComponentSummary
	decodeInto(t, body["components"], &comps)
	if len(comps) != len(site.Components) {
		t.Fatalf("got %d components, want %d", len(comps), len(site.Components))
	}
	depthOf := map[int64]int{}
	for _, c := range comps {
		if c.ParentType == "SITE" {
			if c.Depth != 0 {
				t.Errorf("component %d under the site has depth %d", c.ID, c.Depth)
			}
		} else {
			pd, seen := depthOf[c.ParentID]
			if !seen {
				t.Errorf("component %d comes before its parent %d", c.ID, c.ParentID)
			} else if c.Depth != pd+1 {
				t.Errorf("component %d depth %d, parent depth %d", c.ID, c.Depth, pd)
			}
		}
		depthOf[c.ID] = c.Depth
		if c.NodeType == "" || c.NodeID == "" || c.SiteID != site.ID {
			t.Errorf("component %+v lacks nodeType, nodeId or siteId", c)
		}
	}
}

func TestResourceComponentsByNodeID(t *testing.T) {
	d, sim := simDatasource(t)
	inv := sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return len(s.ComponentsOfType(locussim.NodeInverter)) > 0
	}).ComponentsOfType(locussim.NodeInverter)[0]
	body := getOK(t, d, "/components?nodeId="+url.QueryEscape(inv.NodeID))
	var comps []query.ComponentSummary
	decodeInto(t, body["components"], &comps)
	if len(comps) != 1 || comps[0].ID != inv.ID {
		t.Errorf("exact node id: got %+v, want component %d", comps, inv.ID)
	}
	status, body, _ := callResource(t, d, "GET", "/components?nodeId="+url.QueryEscape("%")+"&limit=3")
	decodeInto(t, body["components"], &comps)
	var total int
	decodeInto(t, body["total"], &total)
	if status != 200 || len(comps) != 3 || total <= 3 {
		t.Errorf("wildcard with limit 3: status %d, %d components, total %d", status, len(comps), total)
	}
}

func TestResourceDataAvailable(t *testing.T) {
	d, sim := simDatasource(t)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	body := getOK(t, d, fmt.Sprintf("/dataavailable?entityType=site&id=%d", site.ID))
	var fields []query.CatalogField
	decodeInto(t, body["fields"], &fields)
	w := findField(fields, "W_avg")
	if w == nil {
		t.Fatalf("site fields lack W_avg: %+v", fields)
	}
	if w.BaseField != "W" || w.Unit != "W" || w.GrafanaUnit != "watt" || w.Aggregation != "avg" || len(w.Granularities) == 0 || w.FieldParameters == nil {
		t.Errorf("W_avg = %+v", w)
	}
	if m := findField(fields, "W_m_avg"); m == nil || len(m.FieldParameters) == 0 {
		t.Errorf("modeled W_m_avg should list its field parameters: %+v", m)
	}
	comp := site.Components[0]
	status, body, _ := callResource(t, d, "GET", fmt.Sprintf("/dataavailable?entityType=component&id=%d", comp.ID))
	decodeInto(t, body["fields"], &fields)
	if status != 200 || len(fields) == 0 {
		t.Errorf("component dataavailable: status %d, %d fields", status, len(fields))
	}
	status, body, _ = callResource(t, d, "GET", "/bulk/dataavailable")
	decodeInto(t, body["fields"], &fields)
	if status != 200 || findField(fields, "Wh_sum") == nil {
		t.Errorf("bulk dataavailable: status %d, fields %+v", status, fields)
	}
}

func findField(fields []query.CatalogField, short string) *query.CatalogField {
	for i := range fields {
		if fields[i].ShortName == short {
			return &fields[i]
		}
	}
	return nil
}

// A text search finds components by name partner-wide, names their site, and
// orders them by site in natural order.
func TestResourceComponentsByName(t *testing.T) {
	d, sim := simDatasource(t)
	var want int
	for _, s := range sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		want += len(s.ComponentsOfType(locussim.NodeWeatherStation))
	}
	body := getOK(t, d, "/components?query="+url.QueryEscape("weather station")+"&limit=5000")
	var comps []query.ComponentSummary
	decodeInto(t, body["components"], &comps)
	var total int
	decodeInto(t, body["total"], &total)
	if want == 0 || total != want || len(comps) != want {
		t.Fatalf("\"weather station\" found %d (total %d), the fleet has %d weather stations", len(comps), total, want)
	}
	for i, c := range comps {
		if c.NodeType != locussim.NodeWeatherStation || c.SiteName == "" {
			t.Fatalf("component %+v: want a weather station with its site name", c)
		}
		if i > 0 && frames.NaturalCompare(comps[i-1].SiteName, c.SiteName) > 0 {
			t.Fatalf("%q listed before %q: sites are in natural order", comps[i-1].SiteName, c.SiteName)
		}
	}
	// The limit cuts the ordered list: the first 3 of the full answer, total unchanged.
	all := comps
	status, body, _ := callResource(t, d, "GET", "/components?query="+url.QueryEscape("weather station")+"&limit=3")
	decodeInto(t, body["components"], &comps)
	decodeInto(t, body["total"], &total)
	if status != 200 || total != want || len(comps) != min(3, want) || !slices.EqualFunc(comps, all[:len(comps)],
		func(a, b query.ComponentSummary) bool { return a.ID == b.ID }) {
		t.Errorf("limit=3: status %d, total %d (want %d), got %+v", status, total, want, comps)
	}
	inv := sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return len(s.ComponentsOfType(locussim.NodeInverter)) > 0
	})
	c := inv.ComponentsOfType(locussim.NodeInverter)[0]
	// query also narrows a site list, with the node type filter; results name their site.
	status, body, _ = callResource(t, d, "GET", fmt.Sprintf("/components?siteId=%d&nodeType=INVERTER&query=%s", inv.ID, url.QueryEscape(c.Name)))
	decodeInto(t, body["components"], &comps)
	if status != 200 || len(comps) == 0 || !slices.ContainsFunc(comps, func(x query.ComponentSummary) bool { return x.ID == c.ID }) {
		t.Fatalf("siteId+nodeType+query %q: status %d, got %+v", c.Name, status, comps)
	}
	for _, x := range comps {
		if x.SiteID != inv.ID || x.NodeType != locussim.NodeInverter || x.SiteName != inv.Name ||
			!strings.Contains(strings.ToLower(x.Name+" "+x.NodeID+" "+x.OEM+" "+x.Model+" "+inv.Name+" "+fmt.Sprint(x.ID)), strings.ToLower(c.Name)) {
			t.Errorf("siteId+nodeType+query %q returned %+v", c.Name, x)
		}
	}
	status, body, _ = callResource(t, d, "GET", "/components?query="+url.QueryEscape(inv.Name+" "+c.Name))
	decodeInto(t, body["components"], &comps)
	if status != 200 || !slices.ContainsFunc(comps, func(x query.ComponentSummary) bool { return x.ID == c.ID }) {
		t.Errorf("site and component name %q: status %d, got %+v", inv.Name+" "+c.Name, status, comps)
	}
	status, body, _ = callResource(t, d, "GET", fmt.Sprintf("/components/%d", c.ID))
	var one query.ComponentSummary
	decodeInto(t, body["component"], &one)
	if status != 200 || one.ID != c.ID || one.Name != c.Name || one.SiteName != inv.Name {
		t.Errorf("/components/%d: status %d, got %+v", c.ID, status, one)
	}
	status, body, _ = callResource(t, d, "GET", "/components")
	if status != 400 || !strings.Contains(errorText(body), "siteId, nodeId or query is required") {
		t.Errorf("no search: status %d, %q", status, errorText(body))
	}
}

func TestSiteIndexServesStaleWhenLocusIsDown(t *testing.T) {
	sim, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	now := time.Now()
	clock := func() time.Time { return now }
	d := newDatasource(simkit.Settings(base, map[string]any{"metadataCacheSeconds": 60}, nil), Options{Now: clock, Logger: testkit.NewLogs(),
		Tune: func(c *locus.Config) { c.MaxRetries = -1 }})
	t.Cleanup(d.Dispose)
	if status, body, _ := callResource(t, d, "GET", "/sites"); status != 200 {
		t.Fatalf("warm-up: %d %s", status, errorText(body))
	}
	now = now.Add(2 * time.Minute) // both the index and the client cache are stale now
	sim.SetFaults(locussim.Faults{Rate5xx: 1})
	status, body, _ := callResource(t, d, "GET", "/sites?query=a")
	if status != 200 {
		t.Fatalf("with Locus failing, a stale site list should still be served: %d %s", status, errorText(body))
	}
	// The client serves its stale list at once and refreshes it in the
	// background (which fails here).
	if err := d.WaitBackground(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := sim.Stats().Faults["5xx"]; got == 0 {
		t.Fatalf("the stale list was not refreshed in the background (no upstream attempt)")
	}
	// A client-side error (here: the instance is closed) is not ridden out
	// (once the index, rebuilt from the client's stale list, is stale too).
	now = now.Add(2 * time.Minute)
	d.engine.Close()
	if status, _, _ := callResource(t, d, "GET", "/sites"); status == 200 {
		t.Fatalf("a non-transient error must not be hidden by stale data")
	}
}
