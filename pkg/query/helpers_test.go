package query

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/locuskit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// testNow is the simulator's and the engine's clock in these tests: late
// enough that 2025's DST days and a 90-day summer range lie in the past.
var testNow = time.Date(2025, 12, 1, 18, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// env is a simulator served on 127.0.0.1, a real client for its main
// account and an engine on top, all at testNow.
type env struct {
	sim *locussim.Server
	url string // the simulator's base URL
	api *locus.API
	eng *Engine
}

// newEnv starts a simulator of 12 sites (mod adjusts its config; wrap, if
// not nil, wraps its handler to inject a fault it has no knob for) and an
// engine.
func newEnv(t testing.TB, mod func(*locussim.Config), wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	return newEnvWith(t, mod, wrap, nil)
}

// newEnvWith is newEnv with a hook adjusting the client's config too.
func newEnvWith(t testing.TB, mod func(*locussim.Config), wrap func(http.Handler) http.Handler, client func(*locus.Config)) *env {
	t.Helper()
	sim := simkit.Start(t, fixedNow, func(c *locussim.Config) {
		c.Sites = 12
		if mod != nil {
			mod(c)
		}
	}, wrap)
	api := locuskit.NewAPI(t, sim.URL, fixedNow, client)
	return &env{sim: sim.Server, url: sim.URL, api: api, eng: NewEngine(api, Options{Now: fixedNow})}
}

// site returns a main-partner site in zone ("" for any) whose data starts
// before notAfter and that has every node type listed (simkit.FindSite).
func (e *env) site(t testing.TB, zone string, notAfter time.Time, types ...string) *locussim.Site {
	t.Helper()
	return simkit.FindSite(t, e.sim, zone, notAfter, types...)
}

// inverter is e.site's first inverter with its site: a main-partner site in
// zone ("" for any), with data before notAfter and the extra node types.
func (e *env) inverter(t testing.TB, zone string, notAfter time.Time, types ...string) (*locussim.Site, *locussim.Component) {
	t.Helper()
	s := e.site(t, zone, notAfter, append([]string{"INVERTER"}, types...)...)
	return s, s.ComponentsOfType("INVERTER")[0]
}

// dataCalls is how many data requests (site and component) the simulator served.
func (e *env) dataCalls() int {
	st := e.sim.Stats()
	return st.Count("GET /v3/sites/{id}/data") + st.Count("GET /v3/components/{id}/data")
}

// custom returns the engine's meta custom object of a frame.
func custom(t *testing.T, f *data.Frame) Custom {
	t.Helper()
	if f.Meta == nil {
		t.Fatal("frame has no meta")
	}
	c, isCustom := f.Meta.Custom.(Custom)
	if !isCustom {
		t.Fatalf("frame meta custom is %T, want query.Custom", f.Meta.Custom)
	}
	return c
}

// rawSum reads one entity's field straight from the simulator through the
// Locus client (not the engine under test) and sums its non-null values: the
// independent total a query's answer is checked against. req names one field.
func (e *env) rawSum(t testing.TB, req locus.DataRequest) float64 {
	t.Helper()
	d, err := e.api.Data(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, v := range d.Values[req.Fields[0]].Pointers() {
		if v != nil {
			sum += *v
		}
	}
	return sum
}

// octoberWh is site s's energy (Wh) over October 2025 in its own zone, summed
// from the simulator's daily Wh_sum.
func (e *env) octoberWh(t testing.TB, s *locussim.Site) float64 {
	t.Helper()
	loc := s.Location()
	from, to := time.Date(2025, 10, 1, 0, 0, 0, 0, loc), time.Date(2025, 11, 1, 0, 0, 0, 0, loc)
	return e.rawSum(t, locus.DataRequest{Kind: locus.KindSite, ID: s.ID, Fields: []string{"Wh_sum"},
		Start: from.Format("2006-01-02T15:04:05"), End: to.Format("2006-01-02T15:04:05"), TZ: s.Timezone, Gran: "daily"})
}

// idSet is the set of the int64 values of frame f's field name; a value on
// more than one row is an error naming it as what (e.g. "alert").
func idSet(t testing.TB, f *data.Frame, name, what string) map[int64]bool {
	t.Helper()
	ids := testkit.Field(t, f, name)
	set := map[int64]bool{}
	for i := 0; i < ids.Len(); i++ {
		id := ids.At(i).(int64)
		if set[id] {
			t.Errorf("%s %d is on more than one row", what, id)
		}
		set[id] = true
	}
	return set
}
