package query

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/locuskit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

var (
	rangeSeed  = flag.Uint64("range-seed", 10, "seed of the range contract property test")
	rangeCases = flag.Int("range-cases", 2000, "cases of the range contract property test")
)

// propEntity is one entity of the property test with its oracle minutes
// over the test window.
type propEntity struct {
	site *locussim.Site
	comp *locussim.Component
	sum  string // a sum field offering 1min
	avg  string // an avg field
	max  string // a max field ("" for sites)
	// avgFinest is the avg field's finest granularity (sites' W_avg starts
	// at 5min).
	avgFinest time.Duration
	minutes   map[string][]float64
}

// propWindow is where every case's range lies: the 40 days before now.
var propWindow = [2]time.Time{testNow.Add(-40 * 24 * time.Hour), testNow}

// TestRangeContractProperty runs thousands of seeded random time series
// queries (every zone of the demo fleet, sites and components, Grafana's
// relative ranges in a viewer zone other than the entity's, random
// granularities and auto with maxDataPoints 1..2000, both edge modes) in
// process against the simulator and checks each against the simulator's
// own 1-minute series: no timestamp outside [from, to); the sum field's
// total equals the energy in the range (exact) or in the whole buckets
// inside it (omit, with a notice); each avg row equals the mean of the
// minutes it covers. A failing case prints its query; rerun it with
// -range-seed and -range-cases.
func TestRangeContractProperty(t *testing.T) {
	cfg := locussim.DefaultConfig()
	cfg.Now = fixedNow
	sim := locussim.New(cfg)
	newEngine := func() *Engine {
		// In memory (sim.RoundTripper): no sockets for thousands of queries.
		api := locuskit.NewAPI(t, "http://locus.sim", fixedNow, func(c *locus.Config) {
			c.Timeout, c.Transport = 30*time.Second, sim.RoundTripper()
		})
		return NewEngine(api, Options{Now: fixedNow})
	}
	var err error

	// One site per zone of the fleet, with a component of it.
	var ents []*propEntity
	zones := map[string]bool{}
	for _, s := range sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		if zones[s.Timezone] || !s.Startup.Before(propWindow[0]) {
			continue
		}
		zones[s.Timezone] = true
		ents = append(ents, &propEntity{site: s, sum: "Wh_sum", avg: "W_avg", avgFinest: 5 * time.Minute})
		for _, c := range s.Components {
			switch c.NodeType {
			case locussim.NodeWeatherStation:
				ents = append(ents, &propEntity{site: s, comp: c, sum: "POAh_sum", avg: "POA_avg", max: "POA_max", avgFinest: time.Minute})
			case locussim.NodeInverter:
				ents = append(ents, &propEntity{site: s, comp: c, sum: "Wh_sum", avg: "W_avg", max: "W_max", avgFinest: time.Minute})
			default:
				continue
			}
			break
		}
	}
	if len(zones) < 4 {
		t.Fatalf("the demo fleet has only zones %v", zones)
	}
	for _, en := range ents {
		en.minutes = map[string][]float64{}
		for _, f := range []string{en.sum, en.avg, en.max} {
			if f == "" {
				continue
			}
			if en.minutes[f], err = sim.MinuteValues(en.site, en.comp, f, propWindow[0], propWindow[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	viewers := []string{"Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "UTC", "America/Sao_Paulo", "Asia/Kathmandu"}
	grans := []string{"auto", "auto", "auto", "1min", "5min", "15min", "hourly", "daily", "monthly", "yearly"}
	rng := rand.New(rand.NewPCG(*rangeSeed, 0))
	failures, ran := 0, 0
	defer func() {
		t.Logf("%d cases over %d entities in %d zones, seed %d", ran, len(ents), len(zones), *rangeSeed)
	}()
	for i := 0; i < *rangeCases && failures < 5; i++ {
		en := ents[rng.IntN(len(ents))]
		viewer, _ := time.LoadLocation(viewers[rng.IntN(len(viewers))])
		from, to, what := testkit.RandomPanelRange(rng, testNow, viewer, propWindow[1].Sub(propWindow[0]), false)
		g := grans[rng.IntN(len(grans))]
		if g == "1min" && to.Sub(from) > 6*24*time.Hour {
			g = "5min" // 1min over weeks needs too many requests for the test's budget
		}
		edges := "exact"
		if rng.IntN(4) == 0 {
			edges = "omit"
		}
		maxDP := int64(1 + rng.IntN(2000))
		// Sites' W_avg starts at 5min: asked alone or beside Wh_sum (whose
		// edges stay exact to the minute: edges are planned per group of
		// fields offering the same granularities).
		fields := []string{en.sum, en.avg}
		if en.max != "" {
			fields = append(fields, en.max)
		}
		if en.avgFinest > time.Minute {
			fields = fields[:1+rng.IntN(2)]
			if rng.IntN(3) == 0 {
				fields = []string{en.avg}
			}
			if slices.Contains(fields, en.avg) && g == "1min" {
				g = "5min"
			}
		}
		model := map[string]any{"queryType": "timeseries", "fields": fields, "granularity": g, "edges": edges}
		if en.comp != nil {
			model["entityType"], model["componentId"] = "component", fmt.Sprint(en.comp.ID)
		} else {
			model["siteId"] = fmt.Sprint(en.site.ID)
		}
		js, _ := json.Marshal(model)
		interval := to.Sub(from) / time.Duration(maxDP)
		desc := fmt.Sprintf("case %d (%s in %s, site zone %s): query %s from %s to %s interval %s maxDataPoints %d", i, what, viewer, en.site.Timezone, js, from.UTC().Format(time.RFC3339Nano), to.UTC().Format(time.RFC3339Nano), interval, maxDP)
		ran++
		dq := backend.DataQuery{RefID: "A", JSON: js, Interval: interval, MaxDataPoints: maxDP, TimeRange: backend.TimeRange{From: from, To: to}}
		// Every case runs on a cold engine (empty cache), so the editor's
		// hint (PlanTimeSeries) can be compared with what the query does:
		// granularity, zone and upstream data requests, counted by the
		// simulator; then the answer is checked against the oracle.
		resp, msg := checkPlanAgrees(sim, newEngine(), dq)
		if msg == "" {
			msg = checkCase(resp, en, dq, edges)
		}
		if msg != "" {
			failures++
			t.Errorf("%s: %s", desc, msg)
		}
	}
}

// checkCase runs one query and returns what is wrong, or "".
func checkCase(resp *backend.QueryDataResponse, en *propEntity, dq backend.DataQuery, edges string) string {
	from, to := dq.TimeRange.From, dq.TimeRange.To
	r := resp.Responses["A"]
	if r.Error != nil {
		if edges == "omit" && strings.Contains(r.Error.Error(), "no whole") {
			return ""
		}
		return "error: " + r.Error.Error()
	}
	lo := ceilMin(from)
	hi := to
	if hi.After(testNow) {
		hi = testNow
	}
	hi = hi.Truncate(time.Minute)
	for _, f := range r.Frames {
		field := f.Fields[1].Name
		isSum := field == en.sum
		ts, vs := frameColumns(f)
		var total float64
		for k, tt := range ts {
			if tt.Before(from) || !tt.Before(to) {
				return fmt.Sprintf("row at %s lies outside the range", tt.UTC())
			}
			if vs[k] != nil {
				total += *vs[k]
			}
		}
		if len(ts) == 0 {
			continue
		}
		if isSum {
			a, b := lo, hi
			if edges == "omit" {
				// The whole buckets inside: from the first row to the end of
				// the last bucket, by hand: the last row's successor bucket
				// start is where the next row would be.
				a = ts[0]
				b = bucketEnd(ts[len(ts)-1], f.Meta.Custom.(Custom).Granularity, en.site.Location())
				if (a.After(lo) || b.Before(hi)) && !strings.Contains(testkit.Notices(f), "Left out") {
					return "partial buckets left out without a notice"
				}
			}
			want := sumMinutes(en.minutes[en.sum], a, b)
			if !closeTo(total, want, 400) {
				return fmt.Sprintf("%s (%s) sums to %.3f over %d rows, oracle %.3f over %s..%s", en.sum, field, total, len(ts), want, a.UTC(), b.UTC())
			}
			continue
		}
		// An avg field: every row is the mean of the minutes it covers, from
		// its own start to the next row (the last row: to the end of its
		// bucket or the range's end, whichever is first).
		g := f.Meta.Custom.(Custom).Granularity
		// Minutes finer than the field's finest granularity at the range's
		// edges are left out, with a notice.
		hiMin := hi
		hi := hi.Truncate(en.avgFinest)
		if edges == "exact" && (!lo.Truncate(en.avgFinest).Equal(lo) || !hi.Equal(hiMin)) && !strings.Contains(testkit.Notices(f), "Left out") {
			return fmt.Sprintf("%s: minutes finer than %s at the range's edges left out without a notice", en.avg, en.avgFinest)
		}
		for k, tt := range ts {
			end := bucketEnd(tt, g, en.site.Location())
			if k+1 < len(ts) && ts[k+1].Before(end) {
				end = ts[k+1]
			}
			if end.After(hi) {
				end = hi
			}
			if field == en.max {
				// A max field: the greatest minute it covers, gaps or not.
				top, n := maxMinutes(en.minutes[en.max], tt, end)
				if (n == 0) != (vs[k] == nil) || n > 0 && math.Abs(*vs[k]-top) > 0.0006 {
					return fmt.Sprintf("%s row %s..%s is %v, oracle maximum %.4f over %d minutes", en.max, tt.UTC(), end.UTC(), fmtPtr(vs[k]), top, n)
				}
				continue
			}
			mean, n, gaps := meanMinutes(en.minutes[en.avg], tt, end)
			switch {
			case n == 0 && vs[k] != nil:
				return fmt.Sprintf("%s row %s is %v, oracle has no data", en.avg, tt.UTC(), *vs[k])
			case n > 0 && vs[k] == nil:
				return fmt.Sprintf("%s row %s is null, oracle mean %.4f", en.avg, tt.UTC(), mean)
			case n > 0 && !gaps && math.Abs(*vs[k]-mean) > 1e-6*math.Abs(mean)+0.002:
				return fmt.Sprintf("%s row %s..%s is %.4f, oracle time-weighted mean %.4f", en.avg, tt.UTC(), end.UTC(), *vs[k], mean)
			}
		}
	}
	return ""
}

// checkPlanAgrees plans dq, runs it on the same cold engine, compares and
// returns the query's response.
func checkPlanAgrees(sim *locussim.Server, eng *Engine, dq backend.DataQuery) (*backend.QueryDataResponse, string) {
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{dq}}
	plan := eng.PlanTimeSeries(context.Background(), req)["A"]
	dataCalls := func() int {
		st := sim.Stats()
		return st.Count("GET /v3/sites/{id}/data") + st.Count("GET /v3/components/{id}/data")
	}
	before := dataCalls()
	resp, _ := eng.QueryData(context.Background(), req)
	calls := dataCalls() - before
	r := resp.Responses["A"]
	if (plan.Error != "") != (r.Error != nil) {
		return resp, fmt.Sprintf("plan error %q, query error %v", plan.Error, r.Error)
	}
	if r.Error != nil {
		return resp, ""
	}
	if len(plan.Entities) != 1 || len(r.Frames) == 0 {
		return resp, fmt.Sprintf("plan has %d entities, query %d frames", len(plan.Entities), len(r.Frames))
	}
	p, c := plan.Entities[0], r.Frames[0].Meta.Custom.(Custom)
	if p.Granularity != c.Granularity || p.TimeZone != c.TZ || p.Requests != calls {
		return resp, fmt.Sprintf("plan says %s in %s with %d requests, the query ran %s in %s with %d data requests", p.Granularity, p.TimeZone, p.Requests, c.Granularity, c.TZ, calls)
	}
	return resp, ""
}

// bucketEnd is the end of the bucket of gran starting at t in loc, by hand.
func bucketEnd(t time.Time, gran string, loc *time.Location) time.Time {
	l := t.In(loc)
	switch gran {
	case "1min":
		return t.Add(time.Minute)
	case "5min":
		return t.Add(5 * time.Minute)
	case "15min":
		return t.Add(15 * time.Minute)
	case "hourly":
		return t.Add(time.Hour)
	case "daily":
		return time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc)
	case "monthly":
		return time.Date(l.Year(), l.Month()+1, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(l.Year()+1, 1, 1, 0, 0, 0, 0, loc)
}

// sumMinutes sums the oracle minutes of [a, b) (NaN adds nothing).
func sumMinutes(ms []float64, a, b time.Time) float64 {
	s := 0.0
	for m := a; m.Before(b); m = m.Add(time.Minute) {
		if i := int(m.Sub(propWindow[0]) / time.Minute); i >= 0 && i < len(ms) && !math.IsNaN(ms[i]) {
			s += ms[i]
		}
	}
	return s
}

// maxMinutes is the greatest oracle minute of [a, b) with data, and how
// many minutes have data.
func maxMinutes(ms []float64, a, b time.Time) (float64, int) {
	top, n := math.Inf(-1), 0
	for m := a; m.Before(b); m = m.Add(time.Minute) {
		if i := int(m.Sub(propWindow[0]) / time.Minute); i >= 0 && i < len(ms) && !math.IsNaN(ms[i]) {
			top = math.Max(top, ms[i])
			n++
		}
	}
	return top, n
}

// fmtPtr formats a nullable value.
func fmtPtr(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

// meanMinutes is the mean of the oracle minutes of [a, b) with data, how
// many there are, and whether some minutes lack data (then a combined edge
// weights its finer buckets by length and need not equal the plain mean).
func meanMinutes(ms []float64, a, b time.Time) (float64, int, bool) {
	s, n, gaps := 0.0, 0, false
	for m := a; m.Before(b); m = m.Add(time.Minute) {
		i := int(m.Sub(propWindow[0]) / time.Minute)
		if i < 0 || i >= len(ms) || math.IsNaN(ms[i]) {
			gaps = true
			continue
		}
		s += ms[i]
		n++
	}
	if n == 0 {
		return 0, 0, gaps
	}
	return s / float64(n), n, gaps
}

// frameColumns returns a time series frame's time and value columns.
func frameColumns(f *data.Frame) ([]time.Time, []*float64) {
	ts := make([]time.Time, f.Fields[0].Len())
	vs := make([]*float64, f.Fields[1].Len())
	for i := range ts {
		ts[i] = f.Fields[0].At(i).(time.Time)
	}
	for i := range vs {
		// float64 when the column has no null, else *float64.
		v, err := f.Fields[1].NullableFloatAt(i)
		if err != nil {
			panic(err)
		}
		vs[i] = v
	}
	return ts, vs
}

func ceilMin(t time.Time) time.Time {
	f := t.Truncate(time.Minute)
	if f.Before(t) {
		return f.Add(time.Minute)
	}
	return f
}
