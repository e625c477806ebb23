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

// TestKPIFieldsMatchOneMinuteTruth asks for KPI fields in a daily time
// series and compares each bucket with the value summed by hand from the
// simulator's 1-minute series and its configured size.
func TestKPIFieldsMatchOneMinuteTruth(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "", testNow.AddDate(-1, 0, 0), locussim.NodeInverter, locussim.NodeWeatherStation)
	ws := s.ComponentsOfType(locussim.NodeWeatherStation)[0]
	if !s.HasLocation {
		t.Fatalf("site %d has no location", s.ID)
	}
	loc := s.Location()
	from, _ := testkit.LocalDay(loc, 2025, 9, 10)
	to, _ := testkit.LocalDay(loc, 2025, 9, 13)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", From: from, To: to, Interval: time.Hour, MaxDP: 100, JSON: fmt.Sprintf(
		`{"queryType":"timeseries","siteId":"%d","granularity":"daily","fields":["Wh_sum","specificYield","performanceIndex","performanceRatio","normalisedPower"]}`, s.ID)})
	fs := testkit.Frames(t, resp, "A")
	byName := map[string][]*float64{}
	var ts []time.Time
	for _, f := range fs {
		for _, fl := range f.Fields {
			if fl.Type() == data.FieldTypeNullableFloat64 || fl.Type() == data.FieldTypeFloat64 {
				byName[fl.Name] = testkit.Values(t, f)
			}
		}
		ts = testkit.Times(t, f)
	}
	if len(ts) != 3 {
		t.Fatalf("got %d daily buckets, want 3", len(ts))
	}
	// Truth: 1-minute series through the client (not the engine), summed by hand per local day.
	raw, err := e.api.Data(context.Background(), locus.DataRequest{Kind: locus.KindSite, ID: s.ID,
		Fields: []string{"Wh_sum", "Wh_m_sum"}, Start: from.Format("2006-01-02T15:04:05"), End: to.Format("2006-01-02T15:04:05"), TZ: s.Timezone, Gran: "1min"})
	if err != nil {
		t.Fatal(err)
	}
	// The site has a weather station: PR uses its measured POA, summed by hand from 1-minute irradiance.
	minPOA, err := e.api.Data(context.Background(), locus.DataRequest{Kind: locus.KindComponent, ID: ws.ID,
		Fields: []string{"POA_avg"}, Start: from.Format("2006-01-02T15:04:05"), End: to.Format("2006-01-02T15:04:05"), TZ: s.Timezone, Gran: "1min"})
	if err != nil {
		t.Fatal(err)
	}
	type day struct {
		e, em, wsum float64
		n           int
		h           float64
	}
	days := map[string]*day{}
	get := func(tm time.Time) *day {
		k := tm.In(loc).Format("2006-01-02")
		if days[k] == nil {
			days[k] = &day{}
		}
		return days[k]
	}
	for i, tm := range raw.Times {
		d := get(tm)
		if v := ptrAt(raw.Values["Wh_sum"], i); v != nil {
			d.e += *v
			d.wsum += *v * 60 // a minute's energy in Wh is its mean power / 60
			d.n++
		}
		if v := ptrAt(raw.Values["Wh_m_sum"], i); v != nil {
			d.em += *v
		}
	}
	for i, tm := range minPOA.Times {
		if v := ptrAt(minPOA.Values["POA_avg"], i); v != nil {
			get(tm).h += *v / 60 // W/m² for one minute, in Wh/m²
		}
	}
	size := s.SizeKW
	// tol: 5e-6 relative; the simulator's prefix sums differ from hourly sums in the 7th digit.
	rel := func(name string, got *float64, want float64) {
		t.Helper()
		if got == nil {
			t.Errorf("%s is null, want %.6g", name, want)
			return
		}
		if math.Abs(*got-want) > 5e-6*math.Max(math.Abs(want), 1e-9) {
			t.Errorf("%s = %.8g, want %.8g", name, *got, want)
		}
	}
	for i, tm := range ts {
		d := days[tm.In(loc).Format("2006-01-02")]
		if d == nil || d.e <= 0 {
			t.Fatalf("no truth for %s", tm)
		}
		rel("specificYield "+tm.String(), byName["specificYield"][i], d.e/1000/size)
		rel("performanceIndex "+tm.String(), byName["performanceIndex"][i], d.e/d.em)
		rel("performanceRatio "+tm.String(), byName["performanceRatio"][i], (d.e/1000/size)/(d.h/1000))
		// Daily W_avg averages the minutes with data; normalised by size.
		rel("normalisedPower "+tm.String(), byName["normalisedPower"][i], d.wsum/float64(d.n)/size)
	}
	if n := testkit.Notices(fs[len(fs)-1]); !strings.Contains(n, fmt.Sprintf("measured plane-of-array insolation (POAh_sum of weather station %d)", ws.ID)) {
		t.Errorf("PR frame does not say it used the station's measured POA: %q", n)
	}
}

// TestKPIPerformanceRatioModelledPOA: a site without a weather station gets
// PR on its modelled POA (summed by hand from hourly POAh_m_sum, the finest
// Locus offers), and the frame says so and why.
func TestKPIPerformanceRatioModelledPOA(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return s.HasLocation && s.HasTypes(locussim.NodeInverter) && !s.HasTypes(locussim.NodeWeatherStation) && s.Startup.Before(testNow.AddDate(-1, 0, 0))
	})
	if s == nil {
		t.Fatal("no site without a weather station")
	}
	loc := s.Location()
	from, _ := testkit.LocalDay(loc, 2025, 9, 10)
	to, _ := testkit.LocalDay(loc, 2025, 9, 12)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", From: from, To: to, Interval: time.Hour, MaxDP: 100, JSON: fmt.Sprintf(
		`{"queryType":"timeseries","siteId":"%d","granularity":"daily","fields":["performanceRatio"]}`, s.ID)})
	fs := testkit.Frames(t, resp, "A")
	if len(fs) != 1 {
		t.Fatalf("%d frames, want 1", len(fs))
	}
	pr, ts := testkit.Values(t, fs[0]), testkit.Times(t, fs[0])
	hourly, err := e.api.Data(context.Background(), locus.DataRequest{Kind: locus.KindSite, ID: s.ID, Fields: []string{"POAh_m_sum", "Wh_sum"},
		Start: from.Format("2006-01-02T15:04:05"), End: to.Format("2006-01-02T15:04:05"), TZ: s.Timezone, Gran: "hourly"})
	if err != nil {
		t.Fatal(err)
	}
	for i, day := range ts {
		var e1, h float64
		for k, tm := range hourly.Times {
			if tm.In(loc).Format("2006-01-02") != day.In(loc).Format("2006-01-02") {
				continue
			}
			if v := ptrAt(hourly.Values["Wh_sum"], k); v != nil {
				e1 += *v
			}
			if v := ptrAt(hourly.Values["POAh_m_sum"], k); v != nil {
				h += *v
			}
		}
		want := (e1 / 1000 / s.SizeKW) / (h / 1000)
		if pr[i] == nil || math.Abs(*pr[i]-want) > 5e-6*want {
			t.Errorf("PR on %s = %s, hand %.6f", day, fmtp(pr[i]), want)
		}
	}
	if n := testkit.Notices(fs[0]); !strings.Contains(n, "modelled plane-of-array insolation (POAh_m_sum): the site has no weather station") {
		t.Errorf("PR frame does not say it used modelled POA and why: %q", n)
	}
}

// TestKPIFieldsWithoutSize: a site whose modelsettings has no size (the
// attribute is optional in the API) gets no size-based KPI, a warning
// naming the size, and still its performance index.
func TestKPIFieldsWithoutSize(t *testing.T) {
	noSize := testkit.Answer(func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/modelsettings") }, http.StatusOK,
		`{"statusCode":200,"mismatch":98,"diodesAndConnections":99,"dcWiring":98,"soiling":95,"sunTracking":100,"nameplate":100,"acWiring":99,"transformer":100}`)
	e := newEnv(t, nil, noSize)
	s := e.site(t, "", testNow.AddDate(0, 0, -10), locussim.NodeInverter)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", From: testNow.AddDate(0, 0, -3), To: testNow, Interval: time.Hour, MaxDP: 100,
		JSON: fmt.Sprintf(`{"queryType":"timeseries","siteId":"%d","granularity":"daily","fields":["specificYield","performanceIndex"]}`, s.ID)})
	fs := testkit.Frames(t, resp, "A")
	var names []string
	for _, f := range fs {
		names = append(names, f.Fields[1].Name)
	}
	if len(fs) != 1 || names[0] != "performanceIndex" {
		t.Fatalf("frames %v, want only performanceIndex", names)
	}
	if n := testkit.Notices(fs[0]); !strings.Contains(n, "specificYield of") || !strings.Contains(n, "no size (installed kW DC)") {
		t.Errorf("no warning naming the missing size: %q", n)
	}
}

// TestKPIFieldsBadInput: availability per bucket, KPIs on components and
// KPIs in the latest query are refused with what is valid.
func TestKPIFieldsBadInput(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "", testNow, locussim.NodeInverter)
	inv := s.ComponentsOfType(locussim.NodeInverter)[0]
	for _, c := range []struct{ js, want string }{
		{fmt.Sprintf(`{"queryType":"timeseries","siteId":"%d","fields":["availability"]}`, s.ID), "ranking"},
		{fmt.Sprintf(`{"queryType":"timeseries","entityType":"component","componentId":"%d","fields":["performanceIndex"]}`, inv.ID), "need a site"},
		{fmt.Sprintf(`{"queryType":"latest","componentId":"%d","fields":["W_avg","normalisedPower"]}`, inv.ID), `"normalisedPower" is not offered in the latest query`},
		{fmt.Sprintf(`{"queryType":"latest","componentId":"%d","fields":["specificYield"]}`, inv.ID), "site time series query"},
	} {
		resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", From: testNow.AddDate(0, 0, -3), To: testNow, Interval: time.Hour, MaxDP: 100, JSON: c.js})
		r := testkit.Failed(t, resp, "A")
		if !strings.Contains(r.Error.Error(), c.want) {
			t.Errorf("%s: error %q lacks %q", c.js, r.Error, c.want)
		}
	}
}

// TestBulkKPIFields: a fleet bulk table with specificYield and
// performanceIndex per site and month equals hand computations: the
// site-local month's daily energy (client, not engine) over the configured
// size, and Wh ÷ (Wh_e × GHIh_m / GHIh_t) from the raw bulk fields.
func TestBulkKPIFields(t *testing.T) {
	e := newEnv(t, nil, nil)
	from := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	query := testkit.Query{Ref: "A", JSON: `{"queryType":"bulk","fields":["specificYield","performanceIndex"],"latestMonthOnly":true}`,
		From: from, To: to, Interval: time.Hour, MaxDP: 1000}
	// Cold: no size is cached, so specificYield is null (never a guessed
	// size) while the sizes are fetched in the background, and no
	// modelsettings request is made by the query.
	f := testkit.Frames(t, testkit.Run(t, e.eng, nil, query), "A")[0]
	if n := e.sim.Stats().Count("GET /v3/sites/{id}/modelsettings"); n != 0 {
		t.Errorf("the cold bulk query made %d modelsettings requests", n)
	}
	if !strings.Contains(testkit.Notices(f), "specificYield is empty for 12 of 12 sites") {
		t.Errorf("no notice that the sizes are being fetched: %q", testkit.Notices(f))
	}
	cold := testkit.Field(t, f, "specificYield")
	for i := 0; i < cold.Len(); i++ {
		if v, _ := cold.NullableFloatAt(i); v != nil {
			t.Errorf("row %d: specificYield %v before the sizes were fetched", i, *v)
		}
	}
	if err := e.api.WaitBackground(context.Background()); err != nil {
		t.Fatal(err)
	}
	f = testkit.Frames(t, testkit.Run(t, e.eng, nil, query), "A")[0]
	for _, absent := range []string{"Wh_sum", "Wh_e_sum"} {
		for _, fl := range f.Fields {
			if fl.Name == absent {
				t.Errorf("input %s is shown though only KPIs were asked for", absent)
			}
		}
	}
	ids, sy, pi := testkit.Field(t, f, "site_id"), testkit.Field(t, f, "specificYield"), testkit.Field(t, f, "performanceIndex")
	// Raw bulk rows of the site-local month, one client call per zone.
	rawByZone := map[string]map[int64]locus.Series{}
	rawOf := func(zone string, id int64) locus.Series {
		if rawByZone[zone] == nil {
			raw, err := e.api.BulkData(context.Background(), locus.BulkRequest{Fields: []string{"Wh_sum", "Wh_e_sum", "GHIh_m_sum", "GHIh_t_sum"},
				Start: "2025-10-01T00:00:00", End: "2025-11-01T00:00:00", TZ: zone})
			if err != nil {
				t.Fatal(err)
			}
			rawByZone[zone] = map[int64]locus.Series{}
			for _, s := range raw {
				rawByZone[zone][s.ID] = s
			}
		}
		return rawByZone[zone][id]
	}
	checked := 0
	for i := 0; i < f.Rows(); i++ {
		id := ids.At(i).(int64)
		s := e.sim.Fleet().Site(id)
		if len(s.Components) == 0 || !s.Startup.Before(from) {
			continue
		}
		sum := e.octoberWh(t, s)
		got, _ := sy.NullableFloatAt(i)
		if want := sum / 1000 / s.SizeKW; got == nil || math.Abs(*got-want) > 1e-6*want {
			t.Errorf("site %d specificYield %s, hand %.6f", id, fmtp(got), want)
		}
		if s.HasLocation {
			r := rawOf(s.Timezone, id)
			v := func(f string) float64 { return *ptrAt(r.Values[f], 0) }
			want := v("Wh_sum") / (v("Wh_e_sum") * v("GHIh_m_sum") / v("GHIh_t_sum"))
			if p, _ := pi.NullableFloatAt(i); p == nil || math.Abs(*p-want) > 1e-9 {
				t.Errorf("site %d performanceIndex %s, hand %.6f", id, fmtp(p), want)
			}
		} else if p, _ := pi.NullableFloatAt(i); p != nil {
			t.Errorf("site %d without location has a performanceIndex %v from bulk data", id, *p)
		}
		checked++
	}
	if checked < 6 {
		t.Fatalf("only %d sites checked", checked)
	}
}

// TestKPIPerformanceRatioWithoutPOA: a site with neither a weather station
// nor modelled POA (no location) gets no PR but a warning naming both, and
// its other fields still come.
func TestKPIPerformanceRatioWithoutPOA(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Sites = 400 }, nil)
	s := e.sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return !s.HasLocation && s.HasTypes(locussim.NodeInverter) && !s.HasTypes(locussim.NodeWeatherStation) && s.Startup.Before(testNow.AddDate(0, 0, -10))
	})
	if s == nil {
		t.Fatal("no site without location and weather station in 400")
	}
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", From: testNow.AddDate(0, 0, -3), To: testNow, Interval: time.Hour, MaxDP: 100, JSON: fmt.Sprintf(
		`{"queryType":"timeseries","siteId":"%d","granularity":"daily","fields":["Wh_sum","performanceRatio"]}`, s.ID)})
	fs := testkit.Frames(t, resp, "A")
	if len(fs) != 1 || fs[0].Fields[1].Name != "Wh_sum" {
		t.Fatalf("want only the Wh_sum frame, got %d frames", len(fs))
	}
	if n := testkit.Notices(fs[0]); !strings.Contains(n, "the site has no weather station and Locus offers no modelled POAh_m_sum") {
		t.Errorf("no warning naming the missing POA: %q", n)
	}
}

// ptrAt is bucket i of a column as a nullable value.
func ptrAt(c locus.Column, i int) *float64 {
	if v, ok := c.At(i); ok {
		return &v
	}
	return nil
}

// A KPI has a row where its inputs have one, not where only another field
// of the query does: beside W_avg (5 minutes at the finest, so its cut
// first hour is recomputed from 02:15), Wh_sum's edge starts at 02:13, and
// specificYield (from Wh_sum) follows Wh_sum's rows, each equal to Wh_sum
// over the site's size.
func TestKPIRowsFollowTheirInputs(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "", testNow.AddDate(0, 0, -20), locussim.NodeInverter)
	loc := s.Location()
	day := testNow.In(loc).AddDate(0, 0, -3)
	from := time.Date(day.Year(), day.Month(), day.Day(), 2, 13, 0, 0, loc)
	to := from.Add(20*time.Hour + 30*time.Minute)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", From: from, To: to, Interval: time.Hour, MaxDP: 1000,
		JSON: fmt.Sprintf(`{"queryType":"timeseries","siteId":"%d","granularity":"hourly","fields":["Wh_sum","W_avg","specificYield"]}`, s.ID)})
	fs := testkit.Frames(t, resp, "A")
	times := map[string][]time.Time{}
	values := map[string][]*float64{}
	for _, f := range fs {
		times[f.Fields[1].Name] = testkit.Times(t, f)
		values[f.Fields[1].Name] = testkit.Values(t, f)
	}
	wh, w, sy := times["Wh_sum"], times["W_avg"], times["specificYield"]
	if len(wh) == 0 || len(w) == 0 || wh[0].Equal(w[0]) {
		t.Fatalf("Wh_sum rows from %v, W_avg from %v: the scenario needs their first rows at different minutes", wh, w)
	}
	if len(sy) != len(wh) {
		t.Fatalf("specificYield has %d rows, Wh_sum %d: want the rows of its input (W_avg's edge time %s is not one)", len(sy), len(wh), w[0].In(loc).Format("15:04"))
	}
	size := s.SizeKW // the simulator's configured size, not the engine's read of it
	for i := range wh {
		if !sy[i].Equal(wh[i]) {
			t.Fatalf("row %d: specificYield at %s, Wh_sum at %s", i, sy[i], wh[i])
		}
		en, k := values["Wh_sum"][i], values["specificYield"][i]
		if (en == nil) != (k == nil) || (en != nil && math.Abs(*k-*en/1000/size) > 1e-9*math.Max(1, *k)) {
			t.Errorf("row %d (%s): specificYield %v, Wh_sum %v, size %v kWp", i, wh[i].In(loc).Format("15:04"), k, en, size)
		}
	}
}
