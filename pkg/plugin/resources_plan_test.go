package plugin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

// planOf calls /plan and decodes the plan (failing on a non-200).
func planOf(t *testing.T, d *Datasource, pathQuery string) query.QueryPlan {
	t.Helper()
	body := getOK(t, d, pathQuery)
	raw, _ := json.Marshal(body)
	var p query.QueryPlan
	decodeInto(t, raw, &p)
	return p
}

func noticeText(p query.QueryPlan) string {
	var b []string
	for _, e := range p.Entities {
		b = append(b, e.Notices...)
	}
	return strings.Join(b, "\n")
}

// first is the plan's first entity (failing when there is none).
func first(t *testing.T, p query.QueryPlan) query.EntityPlan {
	t.Helper()
	if len(p.Entities) == 0 {
		t.Fatalf("plan %+v has no entity", p)
	}
	return p.Entities[0]
}

func TestResourcePlan(t *testing.T) {
	d, sim := simDatasource(t)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	to := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	week := fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg,Wh_sum&from=%d&to=%d&intervalMs=60000&maxDataPoints=1000",
		site.ID, to.AddDate(0, 0, -7).UnixMilli(), to.UnixMilli())
	p := planOf(t, d, week)
	// 7 days: 5min gives 2016 points (> 1000), 15min 672: auto picks 15min, one request.
	if e := first(t, p); e.Granularity != "15min" || !e.Auto || p.Requests != 1 || e.TimeZone != site.Timezone || p.Error != "" ||
		!contains(p.Offered, "15min") || len(p.Entities) != 1 || e.ID != site.ID {
		t.Errorf("week plan = %+v", p)
	}
	if !strings.Contains(noticeText(p), "15min") {
		t.Errorf("week plan notices %q do not explain the auto choice", noticeText(p))
	}
	// 90 days at 5min: requests span < 31 days, so 3.
	p = planOf(t, d, fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&granularity=5min",
		site.ID, to.AddDate(0, 0, -90).UnixMilli(), to.UnixMilli()))
	if e := first(t, p); e.Granularity != "5min" || e.Auto || p.Requests != 3 {
		t.Errorf("90 days at 5min: %+v, want 3 requests", p)
	}
	fractional := fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d.25&to=%d&intervalMs=1666.6666", site.ID, to.AddDate(0, 0, -1).UnixMilli(), to.UnixMilli())
	if status, body, _ := callResource(t, d, "GET", fractional); status != 200 {
		t.Errorf("fractional milliseconds (as browsers compute them) should be accepted: %d %s", status, errorText(body))
	}
	for tz, want := range map[string]string{"utc": "UTC", "browser": site.Timezone, "Asia/Kolkata": "Asia/Kolkata"} {
		if e := first(t, planOf(t, d, week+"&timeZone="+url.QueryEscape(tz))); e.TimeZone != want {
			t.Errorf("timeZone=%s planned in %q, want %q", tz, e.TimeZone, want)
		}
	}
	comp := site.Components[0]
	p = planOf(t, d, fmt.Sprintf("/plan?entityType=component&id=%d&fields=W_avg&from=%d&to=%d&timeZone=UTC", comp.ID, to.AddDate(0, -1, 0).UnixMilli(), to.UnixMilli()))
	if e := first(t, p); e.TimeZone != "UTC" || p.Error != "" || !strings.HasPrefix(e.Entity, "component") || e.ID != comp.ID {
		t.Errorf("component plan in UTC: %+v", p)
	}
}

// The plan says what the query will refuse, with the query's own message
// and status (a 200 answer: the plan is known).
func TestResourcePlanRefusals(t *testing.T) {
	d, sim := simDatasource(t)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	to := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	base := fmt.Sprintf("/plan?entityType=site&id=%d&from=%d&to=%d", site.ID, to.AddDate(0, 0, -1).UnixMilli(), to.UnixMilli())
	for _, c := range []struct{ path, want string }{
		{base + "&fields=Nope_avg", "Nope_avg"},
		{base + "&fields=W_avg&granularity=weekly", `granularity "weekly" is unknown`},
		{base + "&fields=W_avg&timeZone=Mars/Base", "not a known IANA zone"},
		// 5-minute requests span < 31 days: 9 years need more than 100.
		{fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&granularity=5min&from=%d&to=%d", site.ID, to.AddDate(-9, 0, 0).UnixMilli(), to.UnixMilli()), "at most 100"},
	} {
		p := planOf(t, d, c.path)
		if p.Status != 400 || !strings.Contains(p.Error, c.want) {
			t.Errorf("%s: plan %+v, want status 400 and an error containing %q", c.path, p, c.want)
		}
	}
	// Only time series queries have a plan.
	alerts := fmt.Sprintf("/plan?from=%d&to=%d&queries=%s", to.AddDate(0, 0, -1).UnixMilli(), to.UnixMilli(), url.QueryEscape(`[{"refId":"A","queryType":"alerts"}]`))
	if p := planOf(t, d, alerts); p.Status != 400 || !strings.Contains(p.Error, "only time series queries are planned") {
		t.Errorf("alerts query: plan %+v, want a 400 refusal", p)
	}
	// Refused at an explicit granularity, the plan still offers what the
	// fields offer (site W_avg: 5min and coarser, from dataavailable).
	p := planOf(t, d, base+"&fields=W_avg&granularity=1min")
	if p.Status != 400 || !strings.Contains(p.Error, `granularity "1min" is not offered`) || len(p.Offered) == 0 || p.Offered[0] != "5min" || contains(p.Offered, "1min") {
		t.Errorf("W_avg at 1min: %+v, want a refusal offering 5min and coarser", p)
	}
}

// The range is capped at now, as the query's: a range reaching 40 days into
// the future at hourly (requests span < 31 days) needs the requests of the
// 40 days up to now only (now on a whole hour: no partial bucket).
func TestResourcePlanIsCappedAtNow(t *testing.T) {
	now := time.Date(2025, 12, 1, 18, 0, 0, 0, time.UTC)
	d, sim := fixedNowDatasource(t, now)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	from := now.AddDate(0, 0, -40)
	p := planOf(t, d, fmt.Sprintf("/plan?entityType=site&id=%d&fields=Wh_sum&granularity=hourly&timeZone=UTC&from=%d&to=%d",
		site.ID, from.UnixMilli(), from.AddDate(0, 0, 80).UnixMilli()))
	if e := first(t, p); p.Requests != 2 || p.Error != "" || !e.To.Equal(now) {
		t.Errorf("plan %+v, want 2 requests (40 days up to now)", p)
	}
}

// fixedNowDatasource is a simulator and a data source sharing a fixed clock.
func fixedNowDatasource(t *testing.T, now time.Time) (*Datasource, *locussim.Server) {
	t.Helper()
	cfg := locussim.DefaultConfig()
	cfg.Now = func() time.Time { return now }
	sim, base := simkit.Serve(t, cfg, nil)
	d := fixedNowInstance(base, now)
	t.Cleanup(d.Dispose)
	return d, sim
}

// fixedNowInstance is a data source instance on the simulator at base whose
// engine and client clocks read now (the caller disposes it).
func fixedNowInstance(base string, now time.Time) *Datasource {
	clock := func() time.Time { return now }
	return newDatasource(simkit.Settings(base, nil, nil), Options{Logger: testkit.NewLogs(), Now: clock, Tune: func(c *locus.Config) {
		c.RetryBaseDelay, c.RetryMaxDelay, c.Timeout = time.Millisecond, 5*time.Millisecond, 30*time.Second
		c.Now = clock
	}})
}

// The queries of a panel are planned together, as when they run: site W_avg
// offers 5min and coarser, W_m_avg also 1min; for a 20 s interval B alone
// resolves to 1min, beside A to 5min (so they share requests).
func TestResourcePlanAlignsThePanelsQueries(t *testing.T) {
	d, sim := simDatasource(t)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	from := time.Date(2025, 7, 1, 15, 0, 0, 0, time.UTC)
	a := fmt.Sprintf(`{"refId":"A","siteId":"%d","fields":["W_avg"]}`, site.ID)
	b := fmt.Sprintf(`{"refId":"B","queryType":"timeseries","siteId":"%d","fields":["W_m_avg"]}`, site.ID)
	call := func(queries ...string) query.QueryPlan {
		return planOf(t, d, fmt.Sprintf("/plan?from=%d&to=%d&intervalMs=20000&maxDataPoints=1000&refId=B&queries=%s",
			from.UnixMilli(), from.Add(6*time.Hour).UnixMilli(), url.QueryEscape("["+strings.Join(queries, ",")+"]")))
	}
	if p := call(b); first(t, p).Granularity != "1min" || p.RefID != "B" {
		t.Errorf("B alone: %+v, want 1min", p)
	}
	p := call(a, b)
	if first(t, p).Granularity != "5min" || !strings.Contains(noticeText(p), "query A also offers") {
		t.Errorf("B beside A: %+v (notices %q), want 5min, explained", p, noticeText(p))
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

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// A site without a locationTimezone is planned in UTC with the warning the
// query's frames carry, never a silent fallback.
func TestResourcePlanWarnsOfTheUTCFallback(t *testing.T) {
	sim := locussim.New(locussim.DefaultConfig())
	strip := regexp.MustCompile(`"locationTimezone":"[^"]*"`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Accept-Encoding")
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if strings.Contains(r.URL.Path, "/sites") && !strings.HasSuffix(r.URL.Path, "/data") {
			body = strip.ReplaceAll(body, []byte(`"locationTimezone":""`))
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	d, _ := newTestDatasource(t, simkit.Settings(srv.URL, nil, nil))
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	to := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	p := planOf(t, d, fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d", site.ID, to.AddDate(0, 0, -1).UnixMilli(), to.UnixMilli()))
	want := fmt.Sprintf("Site %d has no locationTimezone in Locus: buckets are aligned in UTC", site.ID)
	if e := first(t, p); e.TimeZone != "UTC" || !strings.Contains(noticeText(p), want) {
		t.Errorf("plan %+v (notices %q), want UTC and %q", p, noticeText(p), want)
	}
}
