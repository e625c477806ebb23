package query

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// rankRow is one decoded ranking row.
type rankRow struct {
	id                        int64
	name, poaSource           string
	energy, sy, pi, pr, avail *float64
	alerts                    int64
	lat                       *float64
}

func rankingRows(t *testing.T, f *data.Frame) []rankRow {
	t.Helper()
	idx := map[string]int{}
	for i, fl := range f.Fields {
		idx[fl.Name] = i
	}
	for _, want := range []string{"site", "site_id", "client", "zone", "latitude", "longitude", "energy", "specificYield", "performanceIndex", "performanceRatio", "availability", "openAlerts", "poaSource"} {
		if _, ok := idx[want]; !ok {
			t.Fatalf("ranking frame lacks %q: %v", want, idx)
		}
	}
	n, _ := f.RowLen()
	out := make([]rankRow, n)
	fp := func(name string, i int) *float64 { return f.Fields[idx[name]].At(i).(*float64) }
	for i := range out {
		out[i] = rankRow{id: f.Fields[idx["site_id"]].At(i).(int64), name: f.Fields[idx["site"]].At(i).(string),
			energy: fp("energy", i), sy: fp("specificYield", i), pi: fp("performanceIndex", i), pr: fp("performanceRatio", i),
			avail: fp("availability", i), alerts: f.Fields[idx["openAlerts"]].At(i).(int64), lat: fp("latitude", i),
			poaSource: f.Fields[idx["poaSource"]].At(i).(string)}
	}
	return out
}

func ranking(t *testing.T, e *env, js string, from, to time.Time) (*data.Frame, []rankRow) {
	t.Helper()
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "R", JSON: js, From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	fs := testkit.Frames(t, resp, "R")
	if len(fs) != 1 {
		t.Fatalf("ranking returned %d frames", len(fs))
	}
	return fs[0], rankingRows(t, fs[0])
}

// TestRankingUnderperformersLast: over each known underperformer's fault
// period, the sites ranked worse than it are only other underperformers,
// and its figures equal hand sums of the simulator's 1-minute (energy,
// modelled energy) and hourly (modelled POA) series.
func TestRankingUnderperformersLast(t *testing.T) {
	e := newEnv(t, nil, nil)
	under := e.sim.Underperformers()
	if len(under) != 4 {
		t.Fatalf("default fleet has %d underperformers, want 4", len(under))
	}
	faulted := map[int64]bool{}
	for _, u := range under {
		faulted[u.SiteID] = true
	}
	for _, u := range under {
		f, rows := ranking(t, e, `{"queryType":"ranking"}`, u.Start, u.End)
		if !strings.Contains(testkit.Notices(f), "Per-site hourly data") {
			t.Errorf("no notice of the per-site cost: %q", testkit.Notices(f))
		}
		pos := -1
		for i, r := range rows {
			if r.id == u.SiteID {
				pos = i
				break
			}
			if !faulted[r.id] {
				t.Errorf("%s: healthy site %d (PI %v) ranks worse than the underperformer %d", u.Kind, r.id, fmtp(r.pi), u.SiteID)
			}
		}
		if pos < 0 {
			t.Fatalf("%s: site %d not in the ranking", u.Kind, u.SiteID)
		}
		r := rows[pos]
		if r.alerts == 0 {
			t.Errorf("%s: site %d shows no alerts open during its fault", u.Kind, u.SiteID)
		}
		checkRowAgainstMinutes(t, e, u.SiteID, u.Start, u.End, r)
		t.Logf("%s site %d: rank %d of %d, PI %s, PR %s, availability %s, alerts %d", u.Kind, u.SiteID, pos+1, len(rows), fmtp(r.pi), fmtp(r.pr), fmtp(r.avail), r.alerts)
	}
}

func fmtp(p *float64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprintf("%.3f", *p)
}

// checkRowAgainstMinutes recomputes a per-site ranking row by hand.
func checkRowAgainstMinutes(t *testing.T, e *env, siteID int64, from, to time.Time, r rankRow) {
	t.Helper()
	s := e.sim.Fleet().Site(siteID)
	if to.After(testNow) {
		to = testNow
	}
	var eSum, emSum, hMeasured float64
	hourE := map[int64]float64{}
	stations := s.ComponentsOfType(locussim.NodeWeatherStation)
	for c := from; c.Before(to); c = c.Add(96 * time.Hour) {
		end := c.Add(96 * time.Hour)
		if end.After(to) {
			end = to
		}
		if len(stations) > 0 {
			poa, err := e.api.Data(context.Background(), locus.DataRequest{Kind: locus.KindComponent, ID: stations[0].ID, Fields: []string{"POA_avg"},
				Start: c.Format("2006-01-02T15:04:05"), End: end.Format("2006-01-02T15:04:05"), TZ: "UTC", Gran: "1min"})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range poa.Values["POA_avg"].Pointers() {
				if v != nil {
					hMeasured += *v / 60
				}
			}
		}
		raw, err := e.api.Data(context.Background(), locus.DataRequest{Kind: locus.KindSite, ID: siteID, Fields: []string{"Wh_sum", "Wh_m_sum"},
			Start: c.Format("2006-01-02T15:04:05"), End: end.Format("2006-01-02T15:04:05"), TZ: "UTC", Gran: "1min"})
		if err != nil {
			t.Fatal(err)
		}
		for i, tm := range raw.Times {
			if v := ptrAt(raw.Values["Wh_sum"], i); v != nil {
				eSum += *v
				hourE[tm.Unix()/3600] += *v
			}
			if v := ptrAt(raw.Values["Wh_m_sum"], i); v != nil {
				emSum += *v
			}
		}
	}
	hourly, err := e.api.Data(context.Background(), locus.DataRequest{Kind: locus.KindSite, ID: siteID, Fields: []string{"POAh_m_sum", "POA_m_avg"},
		Start: from.Format("2006-01-02T15:04:05"), End: to.Format("2006-01-02T15:04:05"), TZ: "UTC", Gran: "hourly"})
	if err != nil {
		t.Fatal(err)
	}
	var h float64
	day, prod := 0, 0
	for i, tm := range hourly.Times {
		if v := ptrAt(hourly.Values["POAh_m_sum"], i); v != nil {
			h += *v
		}
		if v := ptrAt(hourly.Values["POA_m_avg"], i); v != nil && *v >= 50 {
			day++
			if hourE[tm.Unix()/3600] > 0 {
				prod++
			}
		}
	}
	near := func(what string, got *float64, want float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > 5e-6*math.Max(math.Abs(want), 1e-9) {
			t.Errorf("site %d %s = %s, hand truth %.6g", siteID, what, fmtp(got), want)
		}
	}
	near("energy (kWh)", r.energy, eSum/1000)
	near("specific yield", r.sy, eSum/1000/s.SizeKW)
	if emSum > 0 {
		near("performance index", r.pi, eSum/emSum)
	}
	// The site has no gaps in the fault period, so PR's hours are all hours.
	if len(stations) > 0 {
		if want := fmt.Sprintf("measured (weather station %d)", stations[0].ID); r.poaSource != want {
			t.Errorf("site %d POA source %q, want %q", siteID, r.poaSource, want)
		}
		h = hMeasured
	} else if r.poaSource != "modelled (POAh_m_sum)" {
		t.Errorf("site %d without a station: POA source %q", siteID, r.poaSource)
	}
	near("performance ratio", r.pr, (eSum/1000/s.SizeKW)/(h/1000))
	near("availability", r.avail, float64(prod)/float64(day))
}

// TestRankingWholeMonthUsesBulk: a whole month costs partner-level calls
// only (no per-site data, no modelsettings on the first load: specific
// yield is null with a notice while the sizes are fetched in the
// background); after the background work the next ranking costs no request
// and has every site's specific yield; energy matches each site's local
// month summed by hand from daily data.
func TestRankingWholeMonthUsesBulk(t *testing.T) {
	e := newEnv(t, nil, nil)
	from := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	e.sim.ResetStats()
	f, rows, st := firstRanking(t, e, from, to)
	if n := st.Count("GET /v3/sites/{id}/data"); n != 0 {
		t.Errorf("whole-month ranking made %d per-site data requests", n)
	}
	bulk := st.Count("GET /v3/partners/{id}/sites/data")
	if bulk == 0 || bulk > 8 {
		t.Errorf("bulk requests = %d, want 1..8 (one per time zone layout)", bulk)
	}
	if !strings.Contains(testkit.Notices(f), "PR and availability need per-site") {
		t.Errorf("no notice that PR and availability need per-site data: %q", testkit.Notices(f))
	}
	checkFirstWholeMonthRanking(t, e, f, rows, st)
	rows = rankAgainAfterBackground(t, e, from, to, len(rows))
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	if len(rows) != len(sites) {
		t.Fatalf("ranking has %d rows for %d sites", len(rows), len(sites))
	}
	for i, r := range rows {
		s := e.sim.Fleet().Site(r.id)
		if i > 0 && rows[i-1].pi != nil && r.pi != nil && *rows[i-1].pi > *r.pi {
			t.Errorf("row %d PI %.3f after %.3f: not worst first", i, *r.pi, *rows[i-1].pi)
		}
		if len(s.Components) == 0 || !s.Startup.Before(from) {
			continue
		}
		sum := e.octoberWh(t, s)
		if r.energy == nil || math.Abs(*r.energy-sum/1000) > 1e-6*sum/1000 {
			t.Errorf("site %d energy %s kWh, local-month daily sum %.3f", s.ID, fmtp(r.energy), sum/1000)
		}
		if r.sy == nil || math.Abs(*r.sy-sum/1000/s.SizeKW) > 1e-6 {
			t.Errorf("site %d specific yield %s, hand %.3f", s.ID, fmtp(r.sy), sum/1000/s.SizeKW)
		}
		if r.pr != nil || r.avail != nil {
			t.Errorf("site %d has PR/availability from bulk data, which has no POA", s.ID)
		}
	}
}

// checkFirstWholeMonthRanking: the first whole-month ranking of a cold
// instance made only partner-level requests (site and client lists, bulk
// data, partner alerts; and the token), at most 20, none per site; every site's specific yield is
// null (never a guessed size) but its energy and PI are there, and the
// notice says how many sizes are being fetched and what that costs.
// firstRanking runs a partner ranking and reads the simulator's counters
// before any background work may start: the size prefetch it queues waits
// for the instance to have no query in progress, and the test holds one
// open (DeferRefreshes) from before the ranking until the counters are read.
func firstRanking(t *testing.T, e *env, from, to time.Time) (*data.Frame, []rankRow, locussim.Stats) {
	t.Helper()
	_, release := e.api.DeferRefreshes(context.Background())
	defer release()
	f, rows := ranking(t, e, `{"queryType":"ranking"}`, from, to)
	return f, rows, e.sim.Stats()
}

func checkFirstWholeMonthRanking(t *testing.T, e *env, f *data.Frame, rows []rankRow, st locussim.Stats) {
	t.Helper()
	partnerLevel := 0
	for route, n := range st.ByEndpoint {
		if !strings.HasPrefix(route, "GET /v3/partners/") && route != "POST /oauth/token" {
			t.Errorf("first whole-month ranking: %d request(s) to %s, which is not partner-level", n, route)
		}
		partnerLevel += n
	}
	if partnerLevel > 20 {
		t.Errorf("first whole-month ranking: %d upstream requests (token included), want at most 20: %v", partnerLevel, st.ByEndpoint)
	}
	want := fmt.Sprintf("Specific yield is empty for %d of %d sites", len(rows), len(rows))
	cost := fmt.Sprintf("%d request(s), one per site", len(rows))
	if n := testkit.Notices(f); !strings.Contains(n, want) || !strings.Contains(n, cost) || !strings.Contains(n, "Refresh") {
		t.Errorf("first ranking's notice lacks %q / %q / Refresh: %q", want, cost, n)
	}
	withPI := 0
	for _, r := range rows {
		if r.sy != nil {
			t.Errorf("site %d: specific yield %s before its size was fetched", r.id, fmtp(r.sy))
		}
		if r.pi != nil && r.energy != nil {
			withPI++
		}
	}
	if withPI == 0 {
		t.Error("first ranking: no site has energy and PI")
	}
}

// rankAgainAfterBackground waits for the background work (an event, not
// time), checks it fetched exactly one modelsettings per site, and ranks
// again: no upstream request at all (token included) and no notice of
// sizes still being fetched. It returns the second ranking's rows.
func rankAgainAfterBackground(t *testing.T, e *env, from, to time.Time, sites int) []rankRow {
	t.Helper()
	if err := e.api.WaitBackground(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Stats().Count("GET /v3/sites/{id}/modelsettings"); n != sites {
		t.Errorf("background: %d modelsettings requests for %d sites, want one each", n, sites)
	}
	e.sim.ResetStats()
	f, rows := ranking(t, e, `{"queryType":"ranking"}`, from, to)
	if n := e.sim.Stats().Total; n != 0 {
		t.Errorf("second whole-month ranking made %d upstream requests, want 0 (all cached): %v", n, e.sim.Stats().ByEndpoint)
	}
	if strings.Contains(testkit.Notices(f), "still being fetched") {
		t.Errorf("second ranking still says sizes are being fetched: %q", testkit.Notices(f))
	}
	return rows
}

// TestRankingBadInput names what is wrong.
func TestRankingBadInput(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, c := range []struct{ js, want string }{
		{`{"queryType":"ranking","siteId":"abc"}`, "siteId"},
		{`{"queryType":"ranking","availabilityThreshold":-3}`, "between 0 and 1500"},
	} {
		resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "R", JSON: c.js, From: testNow.AddDate(0, 0, -7), To: testNow, Interval: time.Hour, MaxDP: 100})
		r := testkit.Failed(t, resp, "R")
		if !strings.Contains(r.Error.Error(), c.want) {
			t.Errorf("%s: %q lacks %q", c.js, r.Error, c.want)
		}
	}
}

// TestRankingPartialHoursLeftOut: a range not on whole hours counts only
// the hours wholly inside it (energy summed by hand from 1-minute data over
// those hours) and says so.
func TestRankingPartialHoursLeftOut(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "", testNow.AddDate(-1, 0, 0), locussim.NodeInverter)
	from := time.Date(2025, 9, 10, 15, 30, 0, 0, time.UTC)
	to := time.Date(2025, 9, 11, 20, 20, 0, 0, time.UTC)
	f, rows := ranking(t, e, fmt.Sprintf(`{"queryType":"ranking","siteId":"%d"}`, s.ID), from, to)
	if len(rows) != 1 {
		t.Fatalf("%d rows for one site", len(rows))
	}
	if !strings.Contains(testkit.Notices(f), "left out") {
		t.Errorf("no notice of the partial hours: %q", testkit.Notices(f))
	}
	// Whole hours inside: 16:00 on the 10th to 20:00 on the 11th (UTC; every zone of the fleet has whole-hour offsets).
	sum := e.rawSum(t, locus.DataRequest{Kind: locus.KindSite, ID: s.ID, Fields: []string{"Wh_sum"},
		Start: "2025-09-10T16:00:00", End: "2025-09-11T20:00:00", TZ: "UTC", Gran: "1min"})
	if r := rows[0]; r.energy == nil || math.Abs(*r.energy-sum/1000) > 5e-6*sum/1000 {
		t.Errorf("energy %s kWh, hand sum over the whole hours %.4f", fmtp(r.energy), sum/1000)
	}
}

// TestRankingWithoutModelledPOAFields: an account whose sites refuse the
// modelled POA fields (400) is still ranked on energy and PI, PR comes from
// weather stations where sites have one, and the warning names what Locus
// refused.
func TestRankingWithoutModelledPOAFields(t *testing.T) {
	refuse := testkit.Answer(func(r *http.Request) bool { return strings.Contains(r.URL.RawQuery, "POAh_m_sum") },
		http.StatusBadRequest, `{"statusCode":400,"message":"field POAh_m_sum is not available"}`)
	e := newEnv(t, nil, refuse)
	f, rows := ranking(t, e, `{"queryType":"ranking"}`, testNow.AddDate(0, 0, -3).Truncate(time.Hour), testNow)
	if !strings.Contains(testkit.Notices(f), "Locus refused POAh_m_sum") {
		t.Errorf("no warning naming the refused fields: %q", testkit.Notices(f))
	}
	withPR := 0
	for _, r := range rows {
		s := e.sim.Fleet().Site(r.id)
		if len(s.Components) == 0 {
			continue
		}
		if r.energy == nil || r.pi == nil {
			t.Errorf("site %d: no energy or PI (%s, %s)", r.id, fmtp(r.energy), fmtp(r.pi))
		}
		hasStation := s.HasTypes(locussim.NodeWeatherStation)
		if hasStation != (r.pr != nil) {
			t.Errorf("site %d (station %v): PR %s", r.id, hasStation, fmtp(r.pr))
		}
		if r.pr != nil {
			withPR++
		}
	}
	if withPR == 0 {
		t.Error("no site got PR from its weather station")
	}
}

// TestRankingWithoutSizes: sites whose modelsettings lack size have no
// specific yield or PR (never a guessed size), keep PI, and the warning
// lists them.
func TestRankingWithoutSizes(t *testing.T) {
	noSize := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/modelsettings") {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"statusCode":200,"mismatch":98,"diodesAndConnections":99,"dcWiring":98,"soiling":95,"sunTracking":100,"nameplate":100,"acWiring":99,"transformer":100}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	e := newEnv(t, nil, noSize)
	f, rows := ranking(t, e, `{"queryType":"ranking"}`, testNow.AddDate(0, 0, -2).Truncate(time.Hour), testNow)
	if !strings.Contains(testkit.Notices(f), "Missing size (modelsettings has none) for 12 site(s)") {
		t.Errorf("no warning listing the sites without size: %q", testkit.Notices(f))
	}
	for _, r := range rows {
		if r.sy != nil || r.pr != nil {
			t.Errorf("site %d has specific yield %s / PR %s without a size", r.id, fmtp(r.sy), fmtp(r.pr))
		}
		if len(e.sim.Fleet().Site(r.id).Components) > 0 && r.pi == nil {
			t.Errorf("site %d lost its PI", r.id)
		}
	}
}

// TestRankingFirstWholeMonthCostIsPartnerLevel: the count law on a larger
// fleet. A cold instance's first whole-month ranking (two months) of 600
// sites makes partner-level requests only, at most 20, none per site; the background then fetches exactly one
// modelsettings per site, on the background lane; the next ranking costs
// nothing upstream and every site with energy has its specific yield,
// equal to its energy over the simulator's configured size.
func TestRankingFirstWholeMonthCostIsPartnerLevel(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Sites = 600 }, nil)
	from := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	e.sim.ResetStats()
	f, rows, st := firstRanking(t, e, from, to)
	if len(rows) != 600 {
		t.Fatalf("%d rows for 600 sites", len(rows))
	}
	checkFirstWholeMonthRanking(t, e, f, rows, st)
	t.Logf("first ranking of %d sites: %d upstream requests %v", len(rows), e.sim.Stats().Total, e.sim.Stats().ByEndpoint)
	rows = rankAgainAfterBackground(t, e, from, to, len(rows))
	withSY := 0
	for _, r := range rows {
		if r.energy == nil {
			continue
		}
		want := *r.energy / e.sim.Fleet().Site(r.id).SizeKW
		if r.sy == nil || math.Abs(*r.sy-want) > 1e-9*want {
			t.Errorf("site %d: specific yield %s, energy/size %.6f", r.id, fmtp(r.sy), want)
		}
		withSY++
	}
	if withSY < len(rows)/2 {
		t.Errorf("only %d of %d sites have energy and specific yield", withSY, len(rows))
	}
}

// TestRankingFromAlertFetchesSizes: an alert rule's whole-month ranking
// never evaluates a partial answer: it fetches the uncached sizes with the
// query (one modelsettings call per site) and has every specific yield.
func TestRankingFromAlertFetchesSizes(t *testing.T) {
	e := newEnv(t, nil, nil)
	from := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	resp := testkit.Run(t, e.eng, map[string]string{"FromAlert": "true"}, testkit.Query{Ref: "R", JSON: `{"queryType":"ranking"}`, From: from, To: to, Interval: time.Hour, MaxDP: 100})
	fs := testkit.Frames(t, resp, "R")
	rows := rankingRows(t, fs[0])
	if n := e.sim.Stats().Count("GET /v3/sites/{id}/modelsettings"); n != len(rows) {
		t.Errorf("%d modelsettings requests for %d sites, want one each", n, len(rows))
	}
	if strings.Contains(testkit.Notices(fs[0]), "still being fetched") {
		t.Errorf("an alert's ranking says sizes are being fetched: %q", testkit.Notices(fs[0]))
	}
	for _, r := range rows {
		if r.energy != nil && (r.sy == nil || math.Abs(*r.sy-*r.energy/e.sim.Fleet().Site(r.id).SizeKW) > 1e-9) {
			t.Errorf("site %d: specific yield %s, energy %s", r.id, fmtp(r.sy), fmtp(r.energy))
		}
	}
}
