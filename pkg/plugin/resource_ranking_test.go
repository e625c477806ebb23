package plugin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// TestWorstSitesRoute: over the simulator's failed-string fault, the
// worst-sites route lists that site among the worst (only the other known
// underperformers can rank below it, their faults are known in advance),
// lists the ranking query's rows with a performance index in the same
// order and values, cut at the limit, and counts them all in total.
func TestWorstSitesRoute(t *testing.T) {
	d, sim := simDatasource(t)
	under := sim.Underperformers()
	var u locussim.Underperformer
	for _, x := range under {
		if x.Kind == locussim.FaultFailedString {
			u = x
		}
	}
	if u.SiteID == 0 {
		t.Fatalf("the default fleet has no failed-string underperformer: %+v", under)
	}
	from, to := u.Start, u.End
	if now := time.Now().Truncate(time.Hour); to.After(now) {
		to = now
	}
	limit := len(under)
	body := getOK(t, d, fmt.Sprintf("/ranking/worst?from=%d&to=%d&limit=%d", from.UnixMilli(), to.UnixMilli(), limit))
	var sites []worstSiteJSON
	var total, ranked int
	decodeInto(t, body["sites"], &sites)
	decodeInto(t, body["total"], &total)
	decodeInto(t, body["ranked"], &ranked)
	if len(sites) != limit {
		t.Fatalf("%d sites listed, want the limit %d (the fleet has %d sites)", len(sites), limit, ranked)
	}
	if total <= limit || ranked != locussim.DefaultSites {
		t.Errorf("total %d (want more than the limit %d), ranked %d (want %d)", total, limit, ranked, locussim.DefaultSites)
	}
	found := false
	for i, s := range sites {
		found = found || s.ID == u.SiteID
		if i > 0 && s.PerformanceIndex < sites[i-1].PerformanceIndex {
			t.Errorf("not worst first: %+v", sites)
		}
	}
	if !found {
		t.Errorf("failed-string site %d is not among the %d worst over its fault: %+v", u.SiteID, limit, sites)
	}
	// The same rows as the ranking query, in the same order.
	js, _ := json.Marshal(map[string]any{"queryType": "ranking"})
	resp, err := d.QueryData(t.Context(), &backend.QueryDataRequest{
		PluginContext: backend.PluginContext{DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{UID: "test"}},
		Queries:       []backend.DataQuery{{RefID: "R", JSON: js, TimeRange: backend.TimeRange{From: from, To: to}}},
	})
	if err != nil || resp.Responses["R"].Error != nil {
		t.Fatalf("ranking query: %v %v", err, resp.Responses["R"].Error)
	}
	f := resp.Responses["R"].Frames[0]
	ids, _ := f.FieldByName("site_id")
	pis, _ := f.FieldByName("performanceIndex")
	var want []worstSiteJSON
	for i := range ids.Len() {
		if pi := pis.At(i).(*float64); pi != nil {
			want = append(want, worstSiteJSON{ID: ids.At(i).(int64), PerformanceIndex: *pi})
		}
	}
	if len(want) != total {
		t.Errorf("total %d, the ranking has %d sites with a performance index", total, len(want))
	}
	for i, s := range sites {
		if i < len(want) && (s.ID != want[i].ID || s.PerformanceIndex != want[i].PerformanceIndex) {
			t.Errorf("row %d: route %+v, ranking %+v", i, s, want[i])
		}
	}
}

// TestWorstSitesRouteBadParams names the parameter and what is valid.
func TestWorstSitesRouteBadParams(t *testing.T) {
	d, _ := simDatasource(t)
	to := time.Now().UnixMilli()
	from := to - 86_400_000
	for _, c := range []struct{ query, want string }{
		{fmt.Sprintf("to=%d", to), "from is required"},
		{fmt.Sprintf("from=%d&to=%d", to, from), "must be before"},
		{fmt.Sprintf("from=%d&to=%d&limit=0", from, to), "limit must be a whole number of sites from 1 to 1000"},
		{fmt.Sprintf("from=%d&to=%d&limit=ten", from, to), "limit must be"},
		{fmt.Sprintf("from=%d&to=%d&siteId=abc", from, to), "siteId"},
		{fmt.Sprintf("from=%d&to=%d&clientId=-4", from, to), "clientId"},
	} {
		status, body, _ := callResource(t, d, "GET", "/ranking/worst?"+c.query)
		if status != http.StatusBadRequest || !strings.Contains(errorText(body), c.want) {
			t.Errorf("%s: status %d, error %q; want 400 naming %q", c.query, status, errorText(body), c.want)
		}
	}
}
