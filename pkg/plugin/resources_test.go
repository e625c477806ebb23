package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// resourceSender collects what a CallResource sends.
type resourceSender struct{ resp *backend.CallResourceResponse }

func (s *resourceSender) Send(r *backend.CallResourceResponse) error {
	if s.resp == nil {
		s.resp = r
		return nil
	}
	s.resp.Body = append(s.resp.Body, r.Body...)
	return nil
}

// callResource calls one route the way Grafana's resource API does.
func callResource(t testing.TB, d *Datasource, method, pathQuery string) (int, map[string]json.RawMessage, http.Header) {
	t.Helper()
	path, rawQuery, _ := strings.Cut(pathQuery, "?")
	u := path
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	s := &resourceSender{}
	err := d.CallResource(context.Background(), &backend.CallResourceRequest{
		Method: method, Path: strings.TrimPrefix(path, "/"), URL: u,
	}, s)
	if err != nil {
		t.Fatalf("%s %s: %v", method, pathQuery, err)
	}
	if s.resp == nil {
		t.Fatalf("%s %s: no response", method, pathQuery)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(s.resp.Body, &body); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %s", method, pathQuery, s.resp.Body)
	}
	h := http.Header{}
	for k, v := range s.resp.Headers {
		h[http.CanonicalHeaderKey(k)] = v
	}
	if ct := h.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type = %q", method, pathQuery, ct)
	}
	assertNoSecrets(t, pathQuery, string(s.resp.Body), locussim.DefaultClientSecret, "s3cret-pw")
	return s.resp.Status, body, h
}

func decodeInto(t testing.TB, raw json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

func errorText(body map[string]json.RawMessage) string {
	var s string
	_ = json.Unmarshal(body["error"], &s)
	return s
}

func simDatasource(t testing.TB) (*Datasource, *locussim.Server) {
	t.Helper()
	sim, base := simOrigin(t, locussim.DefaultConfig())
	d, _ := newTestDatasource(t, simSettings(base, nil, nil))
	return d, sim
}

func TestResourceClients(t *testing.T) {
	d, sim := simDatasource(t)
	status, body, _ := callResource(t, d, "GET", "/clients")
	if status != 200 {
		t.Fatalf("status %d: %s", status, errorText(body))
	}
	var clients []clientJSON
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

	var all []siteJSON
	status, body, _ := callResource(t, d, "GET", "/sites")
	if status != 200 {
		t.Fatalf("status %d: %s", status, errorText(body))
	}
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
	var found []siteJSON
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

func containsSite(sites []siteJSON, id int64) bool {
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
	status, body, _ := callResource(t, d, "GET", fmt.Sprintf("/sites/%d", site.ID))
	if status != 200 {
		t.Fatalf("status %d: %s", status, errorText(body))
	}
	var got siteJSON
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
	status, body, _ := callResource(t, d, "GET", fmt.Sprintf("/sites/%d/components", site.ID))
	if status != 200 {
		t.Fatalf("status %d: %s", status, errorText(body))
	}
	var comps []componentJSON
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
	status, body, _ := callResource(t, d, "GET", "/components?nodeId="+url.QueryEscape(inv.NodeID))
	if status != 200 {
		t.Fatalf("status %d: %s", status, errorText(body))
	}
	var comps []componentJSON
	decodeInto(t, body["components"], &comps)
	if len(comps) != 1 || comps[0].ID != inv.ID {
		t.Errorf("exact node id: got %+v, want component %d", comps, inv.ID)
	}
	status, body, _ = callResource(t, d, "GET", "/components?nodeId="+url.QueryEscape("%")+"&limit=3")
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
	status, body, _ := callResource(t, d, "GET", fmt.Sprintf("/dataavailable?entityType=site&id=%d", site.ID))
	if status != 200 {
		t.Fatalf("status %d: %s", status, errorText(body))
	}
	var fields []fieldJSON
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
	status, body, _ = callResource(t, d, "GET", fmt.Sprintf("/dataavailable?entityType=component&id=%d", comp.ID))
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

func findField(fields []fieldJSON, short string) *fieldJSON {
	for i := range fields {
		if fields[i].ShortName == short {
			return &fields[i]
		}
	}
	return nil
}

func TestResourcePlan(t *testing.T) {
	d, sim := simDatasource(t)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	to := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	week := fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg,Wh_sum&from=%d&to=%d&intervalMs=60000&maxDataPoints=1000",
		site.ID, to.AddDate(0, 0, -7).UnixMilli(), to.UnixMilli())
	status, body, _ := callResource(t, d, "GET", week)
	if status != 200 {
		t.Fatalf("status %d: %s", status, errorText(body))
	}
	var p planJSON
	raw, _ := json.Marshal(body)
	decodeInto(t, raw, &p)
	// 7 days: 5min gives ~2016 points (> 1000), 15min ~673: auto picks 15min, one request.
	if p.Granularity != "15min" || p.Chunks != 1 || p.Reason == "" || len(p.Offered) == 0 || p.TimeZone != site.Timezone {
		t.Errorf("week plan = %+v", p)
	}
	quarter := fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&granularity=5min",
		site.ID, to.AddDate(0, 0, -90).UnixMilli(), to.UnixMilli())
	_, body, _ = callResource(t, d, "GET", quarter)
	raw, _ = json.Marshal(body)
	decodeInto(t, raw, &p)
	if p.Granularity != "5min" || p.Chunks != 3 {
		t.Errorf("90 days at 5min: %+v, want 3 chunks", p)
	}
	fractional := fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d.25&to=%d&intervalMs=1666.6666", site.ID, to.AddDate(0, 0, -1).UnixMilli(), to.UnixMilli())
	if status, body, _ := callResource(t, d, "GET", fractional); status != 200 {
		t.Errorf("fractional milliseconds (as browsers compute them) should be accepted: %d %s", status, errorText(body))
	}
	for tz, want := range map[string]string{"utc": "UTC", "browser": site.Timezone, "Asia/Kolkata": "Asia/Kolkata"} {
		_, body, _ = callResource(t, d, "GET", week+"&timeZone="+url.QueryEscape(tz))
		raw, _ = json.Marshal(body)
		decodeInto(t, raw, &p)
		if p.TimeZone != want {
			t.Errorf("timeZone=%s planned in %q, want %q", tz, p.TimeZone, want)
		}
	}
	comp := site.Components[0]
	compPlan := fmt.Sprintf("/plan?entityType=component&id=%d&fields=W_avg&from=%d&to=%d&timeZone=UTC", comp.ID, to.AddDate(0, -1, 0).UnixMilli(), to.UnixMilli())
	status, body, _ = callResource(t, d, "GET", compPlan)
	raw, _ = json.Marshal(body)
	decodeInto(t, raw, &p)
	if status != 200 || p.TimeZone != "UTC" {
		t.Errorf("component plan in UTC: status %d %+v (%s)", status, p, errorText(body))
	}
}

func TestResourceTimezones(t *testing.T) {
	d, sim := simDatasource(t)
	_, body, _ := callResource(t, d, "GET", "/timezones")
	var zones []string
	decodeInto(t, body["timezones"], &zones)
	if len(zones) < 20 || zones[0] != "UTC" || !contains(zones, "America/New_York") || !contains(zones, "Asia/Kolkata") {
		t.Errorf("timezones = %v", zones)
	}
	fleet := map[string]bool{}
	for _, s := range sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		fleet[s.Timezone] = true
	}
	for i, z := range zones[1 : 1+len(fleet)] {
		if !fleet[z] {
			t.Errorf("position %d: %q is not a fleet zone; the fleet's zones come right after UTC: %v", i+1, z, zones)
		}
	}
	seen := map[string]bool{}
	for _, z := range zones {
		if seen[z] {
			t.Errorf("%q listed twice", z)
		}
		seen[z] = true
	}
}

func TestFleetZonesByUse(t *testing.T) {
	entries := []siteEntry{{site: siteJSON{LocationTimezone: "US/Pacific"}}, {site: siteJSON{LocationTimezone: "America/New_York"}},
		{site: siteJSON{LocationTimezone: "US/Pacific"}}, {site: siteJSON{}}, {site: siteJSON{LocationTimezone: "Asia/Kolkata"}}}
	if got := fmt.Sprint(fleetZones(entries)); got != "[US/Pacific America/New_York Asia/Kolkata]" {
		t.Errorf("fleetZones = %s", got)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func TestResourceBadRequests(t *testing.T) {
	d, sim := simDatasource(t)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	from, to := time.Now().Add(-time.Hour).UnixMilli(), time.Now().UnixMilli()
	cases := []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/sites?limit=0", 400, "limit must be an integer from 1 to 500"},
		{"GET", "/sites?limit=501", 400, "limit must be an integer from 1 to 500"},
		{"GET", "/sites?limit=ten", 400, "limit"},
		{"GET", "/sites?clientId=abc", 400, "clientId must be a positive integer"},
		{"GET", "/sites?query=" + strings.Repeat("x", 300), 400, "query is too long"},
		{"GET", "/sites/abc", 400, "site id must be a positive integer"},
		{"GET", "/sites/-4", 400, "site id must be a positive integer"},
		{"GET", "/sites/0/components", 400, "site id must be a positive integer"},
		{"GET", "/components", 400, "nodeId is required"},
		{"GET", "/components?nodeId=%25&limit=0", 400, "limit must be an integer from 1 to 5000"},
		{"GET", "/dataavailable?id=1", 400, "entityType is required"},
		{"GET", "/dataavailable?entityType=partner&id=1", 400, `entityType "partner" is not valid`},
		{"GET", "/dataavailable?entityType=site", 400, "id is required"},
		{"GET", "/dataavailable?entityType=site&id=1.5", 400, "id must be a positive integer"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&from=%d&to=%d", site.ID, from, to), 400, "fields is required"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d", site.ID, to, from), 400, "must be before to"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&to=%d", site.ID, to), 400, "from is required"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=x&to=%d", site.ID, to), 400, "from must be epoch milliseconds"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=Nope_avg&from=%d&to=%d", site.ID, from, to), 400, "Nope_avg are not available for site"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&granularity=weekly", site.ID, from, to), 400, "granularity"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&maxDataPoints=0", site.ID, from, to), 400, "maxDataPoints must be an integer"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&intervalMs=-5", site.ID, from, to), 400, "intervalMs must be a number of milliseconds"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&intervalMs=NaN", site.ID, from, to), 400, "intervalMs"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=-1&to=%d", site.ID, to), 400, "between 1970 and 2200"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&timeZone=Mars/Base", site.ID, from, to), 400, "not a known IANA zone"},
		{"GET", "/nope", 404, `no resource "/nope"`},
		{"GET", "/sites/1/2/3", 404, "valid resources are"},
		{"GET", "/../../etc/passwd", 404, ""},
		{"POST", "/sites", 405, "method POST is not allowed"},
		{"DELETE", "/clients", 405, "use GET"},
		{"PUT", "/sites/1", 405, "read-only"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			status, body, h := callResource(t, d, tc.method, tc.path)
			if status != tc.status {
				t.Errorf("status = %d, want %d (%s)", status, tc.status, errorText(body))
			}
			if msg := errorText(body); msg == "" || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q should contain %q", msg, tc.want)
			}
			if tc.status == 405 && h.Get("Allow") != "GET" {
				t.Errorf("405 without Allow: GET")
			}
		})
	}
}

func TestResourcesWithInvalidSettings(t *testing.T) {
	d, _ := newTestDatasource(t, backend.DataSourceInstanceSettings{JSONData: []byte(`{"partnerId":"abc"}`),
		DecryptedSecureJSONData: map[string]string{"clientSecret": "s3cret-pw"}})
	status, body, _ := callResource(t, d, "GET", "/sites")
	if status != 400 || !strings.Contains(errorText(body), "partnerId") {
		t.Fatalf("status %d, error %q: want 400 naming partnerId", status, errorText(body))
	}
}
