package query_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/locuskit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

// goldenNow is the one clock of the simulator, the client and the engine in
// the golden tests, so their files are the same on every run.
var goldenNow = time.Date(2025, 12, 1, 18, 0, 0, 0, time.UTC)

// goldenCase is what a golden test checks of its query type against
// independent truth: the simulator's raw 1-minute series (MinuteValues),
// its fleet and its alert history, summed here by hand.
type goldenCase func(t *testing.T, g goldenRun, f data.Frames)

// goldenRun is one query of the set, answered.
type goldenRun struct {
	sim  *locussim.Server
	pick simkit.Pick
	q    backend.DataQuery
}

var goldenTruth = map[string]goldenCase{
	"timeseries": timeseriesTruth,
	"latest":     latestTruth,
	"bulk":       bulkTruth,
	"alerts":     alertsTruth,
	"metadata":   metadataTruth,
	"ranking":    rankingTruth,
}

// goldenWarm lists the types whose golden file is the second load: the
// first ranking of a cold instance answers before the sites' sizes are
// fetched in the background (specific yield empty, with a warning; tested
// in ranking_test.go), the second has every column.
var goldenWarm = map[string]bool{"ranking": true}

// TestGoldenQueryOfEachType sends each query of the shared query set
// (internal/testkit/simkit/testdata/queries/<type>.json) through the
// engine's public QueryData to a simulator at goldenNow and compares the
// frames with testdata/golden/<type>.jsonc (rewrite them with
// go test ./pkg/query -run Golden -update-golden, then run again). Each type
// is also checked against independent truth, so a golden file is not just
// whatever the engine printed once.
func TestGoldenQueryOfEachType(t *testing.T) {
	now := func() time.Time { return goldenNow }
	for _, typ := range simkit.QueryTypes() {
		t.Run(typ, func(t *testing.T) {
			truth, found := goldenTruth[typ]
			if !found {
				t.Fatalf("query type %s has no independent check in goldenTruth", typ)
			}
			// A simulator and engine of its own: the meta counts
			// (upstream requests, cache hits) do not depend on the order.
			sim := simkit.Start(t, now, nil, nil)
			api := locuskit.NewAPI(t, sim.URL, now, nil)
			eng := query.NewEngine(api, query.Options{Now: now})
			g := goldenRun{sim: sim.Server, pick: simkit.PickFleet(t, sim.Server, goldenNow)}
			g.q = simkit.QueryOfType(t, typ, g.pick, goldenNow)
			req := &backend.QueryDataRequest{Queries: []backend.DataQuery{g.q}}
			resp, err := eng.QueryData(context.Background(), req)
			if err != nil {
				t.Fatalf("QueryData: %v", err)
			}
			if goldenWarm[typ] {
				// The answer once what the first load started in the
				// background is done (the same every time, unlike a race
				// with it).
				if err := api.WaitBackground(context.Background()); err != nil {
					t.Fatal(err)
				}
				if resp, err = eng.QueryData(context.Background(), req); err != nil {
					t.Fatalf("QueryData: %v", err)
				}
			}
			frames := testkit.Frames(t, resp, typ)
			if len(frames) == 0 {
				t.Fatal("no frames")
			}
			truth(t, g, frames)
			// Queue waits are the machine's timing, not the query's answer.
			testkit.CheckGolden(t, "testdata/golden", typ, resp.Responses[typ], "queue")
		})
	}
}

// TestGoldenCoversEveryQueryType keeps the query set (and so the goldens,
// the gRPC and the built binary's tests) in step with the query types the
// editor and the engine share (src/generated/enums.json, drift-tested
// against the Go definitions).
func TestGoldenCoversEveryQueryType(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "src", "generated", "enums.json"))
	if err != nil {
		t.Fatal(err)
	}
	var enums struct {
		QueryTypes []string `json:"queryTypes"`
	}
	if err := json.Unmarshal(raw, &enums); err != nil || len(enums.QueryTypes) == 0 {
		t.Fatalf("enums.json has no queryTypes: %v", err)
	}
	want, got := enums.QueryTypes, simkit.QueryTypes()
	sort.Strings(want)
	sort.Strings(got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("the query set has %v, the query types are %v: add testdata/queries/<type>.json and a check in goldenTruth", got, want)
	}
}

// minutes is the oracle's 1-minute series of field over [from, to).
func minutes(t *testing.T, sim *locussim.Server, s *locussim.Site, c *locussim.Component, field string, from, to time.Time) []float64 {
	t.Helper()
	v, err := sim.MinuteValues(s, c, field, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sumOf adds the minutes with data.
func sumOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		if !math.IsNaN(x) {
			s += x
		}
	}
	return s
}

// meanOf is the mean of the minutes with data.
func meanOf(v []float64) float64 {
	s, n := 0.0, 0
	for _, x := range v {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	return s / float64(n)
}

// near fails unless got is want within tol (Locus rounds values to 3
// decimals, so a value is off by at most 0.0005 and a sum of n by n times that).
func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.6f, the simulator's 1-minute series give %.6f (tolerance %g)", what, got, want, tol)
	}
}

// num reads a numeric cell (int64 or float64, nullable or not); NaN for null.
func num(t *testing.T, f *data.Field, i int) float64 {
	t.Helper()
	if v, err := f.NullableFloatAt(i); err == nil {
		if v == nil {
			return math.NaN()
		}
		return *v
	}
	switch v := f.At(i).(type) {
	case int64:
		return float64(v)
	case *int64:
		if v == nil {
			return math.NaN()
		}
		return float64(*v)
	}
	t.Fatalf("field %s is %s, not a number", f.Name, f.Type())
	return 0
}

// row returns the first row index where field key equals id.
func row(t *testing.T, f *data.Frame, key string, id int64) int {
	t.Helper()
	k := testkit.Field(t, f, key)
	for i := 0; i < k.Len(); i++ {
		if num(t, k, i) == float64(id) {
			return i
		}
	}
	t.Fatalf("frame %q has no row with %s %d", f.Name, key, id)
	return -1
}

// timeseriesTruth: the site's energy over the range is the sum of its
// 1-minute energy (exact edges are the default), and the first bucket's
// mean power is the mean of its minutes.
func timeseriesTruth(t *testing.T, g goldenRun, f data.Frames) {
	from, to := g.q.TimeRange.From, g.q.TimeRange.To
	for _, fr := range f {
		switch fr.Fields[1].Name {
		case "Wh_sum":
			v := testkit.Values(t, fr)
			total := 0.0
			for _, x := range v {
				total += *x
			}
			near(t, "energy over the day", total, sumOf(minutes(t, g.sim, g.pick.Site, nil, "Wh_sum", from, to)), 0.0005*float64(len(v))+1e-6)
		case "W_avg":
			ts := testkit.Times(t, fr)
			bucket := ts[1].Sub(ts[0])
			near(t, "first bucket's mean power", *testkit.Values(t, fr)[0],
				meanOf(minutes(t, g.sim, g.pick.Site, nil, "W_avg", ts[0], ts[0].Add(bucket))), 0.0005)
		default:
			t.Errorf("unexpected frame %q", fr.Name)
		}
	}
	if len(f) != 2 {
		t.Errorf("%d frames, want one per field (W_avg, Wh_sum)", len(f))
	}
}

// latestTruth: the latest value is the inverter's last minute before now.
func latestTruth(t *testing.T, g goldenRun, f data.Frames) {
	inv := g.pick.Inverters[0]
	at := testkit.Field(t, f[0], "time").At(0).(*time.Time)
	if want := goldenNow.Add(-time.Minute); !at.Equal(want) {
		t.Errorf("latest time %s, want the last whole minute %s", at, want)
	}
	near(t, "latest W_avg", num(t, testkit.Field(t, f[0], "W_avg"), 0),
		minutes(t, g.sim, g.pick.Site, inv, "W_avg", *at, at.Add(time.Minute))[0], 0.0005)
}

// bulkTruth: the site's November energy is the sum of its 1-minute energy
// over November in its own zone (bulk months are site-local).
func bulkTruth(t *testing.T, g goldenRun, f data.Frames) {
	s := g.pick.Site
	start := time.Date(2025, 11, 1, 0, 0, 0, 0, s.Location())
	ids, times, wh := testkit.Field(t, f[0], "site_id"), testkit.Field(t, f[0], "time"), testkit.Field(t, f[0], "Wh_sum")
	for i := 0; i < ids.Len(); i++ {
		if num(t, ids, i) == float64(s.ID) && times.At(i).(*time.Time).Equal(start) {
			near(t, "November energy", num(t, wh, i), sumOf(minutes(t, g.sim, s, nil, "Wh_sum", start, start.AddDate(0, 1, 0))), 0.0005+1e-6)
			return
		}
	}
	t.Fatalf("no November row for site %d", s.ID)
}

// alertsTruth: the rows are exactly the partner's alerts open at some time
// of the range, from the simulator's own alert history.
func alertsTruth(t *testing.T, g goldenRun, f data.Frames) {
	from, to := g.q.TimeRange.From, g.q.TimeRange.To
	var comps []*locussim.Component
	for _, s := range g.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		comps = append(comps, s.Components...)
	}
	var want []int64
	for _, a := range g.sim.Alerts(comps...) {
		if a.Start.Before(to) && (a.End == nil || !a.End.Before(from)) {
			want = append(want, a.ID)
		}
	}
	idf := testkit.Field(t, f[0], "id")
	var got []int64
	for i := 0; i < idf.Len(); i++ {
		got = append(got, int64(num(t, idf, i)))
	}
	sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
	sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("alert ids %v, the simulator's alerts open in the range are %v", got, want)
	}
}

// metadataTruth: the sites table lists the partner's sites with their names
// and zones.
func metadataTruth(t *testing.T, g goldenRun, f data.Frames) {
	sites := g.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	if n, _ := f[0].RowLen(); n != len(sites) {
		t.Fatalf("%d rows, the partner has %d sites", n, len(sites))
	}
	for _, s := range sites {
		i := row(t, f[0], "id", s.ID)
		if name, zone := testkit.Field(t, f[0], "name").At(i), testkit.Field(t, f[0], "timezone").At(i); name != s.Name || zone != s.Timezone {
			t.Errorf("site %d: %v in %v, want %s in %s", s.ID, name, zone, s.Name, s.Timezone)
		}
	}
}

// rankingTruth: the picked site's energy over last month (kWh) is the sum
// of its 1-minute energy over the month in its zone, and its specific
// yield is that energy over its modelsettings size (IEC 61724-1 Yf).
func rankingTruth(t *testing.T, g goldenRun, f data.Frames) {
	s := g.pick.Site
	start := time.Date(2025, 11, 1, 0, 0, 0, 0, s.Location())
	kWh := sumOf(minutes(t, g.sim, s, nil, "Wh_sum", start, start.AddDate(0, 1, 0))) / 1000
	i := row(t, f[0], "site_id", s.ID)
	near(t, "November energy (kWh)", num(t, testkit.Field(t, f[0], "energy"), i), kWh, 1e-6)
	if s.Model.Size == nil {
		t.Fatalf("site %d has no modelsettings size", s.ID)
	}
	near(t, "specific yield (kWh/kWp)", num(t, testkit.Field(t, f[0], "specificYield"), i), kWh / *s.Model.Size, 1e-6)
}
