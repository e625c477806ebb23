package query

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// testNow is the simulator's and the engine's clock in these tests: late
// enough that 2025's DST days and a 90-day summer range lie in the past.
var testNow = time.Date(2025, 12, 1, 18, 0, 0, 0, time.UTC)

// env is a simulator served over HTTP on 127.0.0.1, a real client for its
// main account and an engine on top.
type env struct {
	sim *locussim.Server
	srv *httptest.Server
	api *locus.API
	eng *Engine
}

// newEnv starts a simulator (mod adjusts its config; wrap, if not nil, wraps
// its handler to inject a fault it has no knob for) and an engine.
func newEnv(t testing.TB, mod func(*locussim.Config), wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	return newEnvWith(t, mod, wrap, nil)
}

// newEnvWith is newEnv with a hook adjusting the client's config too.
func newEnvWith(t testing.TB, mod func(*locussim.Config), wrap func(http.Handler) http.Handler, client func(*locus.Config)) *env {
	t.Helper()
	cfg := locussim.DefaultConfig()
	cfg.Now = func() time.Time { return testNow }
	cfg.Sites = 12
	if mod != nil {
		mod(&cfg)
	}
	sim := locussim.New(cfg)
	var h http.Handler = sim
	if wrap != nil {
		h = wrap(sim)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	lc := locus.Config{
		BaseURL:        srv.URL,
		PartnerID:      locussim.DefaultPartnerID,
		Username:       locussim.DefaultUsername,
		Password:       locussim.DefaultPassword,
		ClientID:       locussim.DefaultClientID,
		ClientSecret:   locussim.DefaultClientSecret,
		Timeout:        10 * time.Second,
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  5 * time.Millisecond,
		Now:            func() time.Time { return testNow },
	}
	if client != nil {
		client(&lc)
	}
	api, err := locus.New(lc)
	if err != nil {
		t.Fatalf("locus.New: %v", err)
	}
	t.Cleanup(api.Close)
	return &env{sim: sim, srv: srv, api: api, eng: NewEngine(api, Options{Now: func() time.Time { return testNow }})}
}

// tq is a test query: JSON model plus Grafana's request-level values.
type tq struct {
	ref      string
	js       string
	from, to time.Time
	interval time.Duration
	maxDP    int64
}

// grafanaRequest builds one Grafana request of the queries (headers may be nil).
func grafanaRequest(headers map[string]string, qs ...tq) *backend.QueryDataRequest {
	req := &backend.QueryDataRequest{Headers: headers}
	for _, q := range qs {
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: q.ref, JSON: json.RawMessage(q.js), Interval: q.interval, MaxDataPoints: q.maxDP,
			TimeRange: backend.TimeRange{From: q.from, To: q.to},
		})
	}
	return req
}

// run sends the queries in one request (headers may be nil).
func (e *env) run(t *testing.T, headers map[string]string, qs ...tq) *backend.QueryDataResponse {
	t.Helper()
	resp, err := e.eng.QueryData(context.Background(), grafanaRequest(headers, qs...))
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	return resp
}

// runConcurrently sends each query set as its own request, all at once
// (as Grafana sends one request per panel), and returns the responses in order.
func (e *env) runConcurrently(t *testing.T, sets ...[]tq) []*backend.QueryDataResponse {
	t.Helper()
	out := make([]*backend.QueryDataResponse, len(sets))
	errs := make([]error, len(sets))
	var wg sync.WaitGroup
	for i, qs := range sets {
		wg.Go(func() { out[i], errs[i] = e.eng.QueryData(context.Background(), grafanaRequest(nil, qs...)) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("QueryData: %v", err)
		}
	}
	return out
}

// ok returns the frames of refID, failing the test on an error response.
func ok(t *testing.T, resp *backend.QueryDataResponse, refID string) data.Frames {
	t.Helper()
	r, found := resp.Responses[refID]
	if !found {
		t.Fatalf("no response for %s", refID)
	}
	if r.Error != nil {
		t.Fatalf("query %s failed: %v (status %d)", refID, r.Error, r.Status)
	}
	return r.Frames
}

// failed returns the error response of refID, failing the test if it succeeded.
func failed(t *testing.T, resp *backend.QueryDataResponse, refID string) backend.DataResponse {
	t.Helper()
	r, found := resp.Responses[refID]
	if !found {
		t.Fatalf("no response for %s", refID)
	}
	if r.Error == nil {
		t.Fatalf("query %s succeeded with %d frames, want an error", refID, len(r.Frames))
	}
	return r
}

// dataCalls is how many data requests (site and component) the simulator served.
func (e *env) dataCalls() int {
	st := e.sim.Stats()
	return st.Count("GET /v3/sites/{id}/data") + st.Count("GET /v3/components/{id}/data")
}

// site returns a main-partner site with the given zone whose data starts
// before notAfter and that has every node type listed.
func (e *env) site(t testing.TB, zone string, notAfter time.Time, types ...string) *locussim.Site {
	t.Helper()
	s := e.sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return (zone == "" || s.Timezone == zone) && s.Startup.Before(notAfter) && s.HasTypes(types...)
	})
	if s == nil {
		t.Fatalf("the simulated fleet has no site in %q started before %s with %v", zone, notAfter, types)
	}
	return s
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

// notices joins a frame's notices.
func notices(f *data.Frame) string {
	if f.Meta == nil {
		return ""
	}
	var b []string
	for _, n := range f.Meta.Notices {
		b = append(b, n.Text)
	}
	return strings.Join(b, "\n")
}

// column returns the float values of a frame's value field (float64 or
// nullable *float64), nil where a value is null.
func column(t *testing.T, f *data.Frame) []*float64 {
	t.Helper()
	for _, fl := range f.Fields {
		if fl.Type() == data.FieldTypeNullableFloat64 || fl.Type() == data.FieldTypeFloat64 {
			out := make([]*float64, fl.Len())
			for i := range out {
				v, err := fl.NullableFloatAt(i)
				if err != nil {
					t.Fatal(err)
				}
				out[i] = v
			}
			return out
		}
	}
	t.Fatalf("frame %q has no float field", f.Name)
	return nil
}

// times returns the time column of a frame.
func times(t *testing.T, f *data.Frame) []time.Time {
	t.Helper()
	for _, fl := range f.Fields {
		if fl.Type() == data.FieldTypeTime {
			out := make([]time.Time, fl.Len())
			for i := range out {
				out[i] = fl.At(i).(time.Time)
			}
			return out
		}
	}
	t.Fatalf("frame %q has no time field", f.Name)
	return nil
}

// localDay returns [00:00, next 00:00) of a calendar day in loc.
func localDay(loc *time.Location, y int, m time.Month, d int) (time.Time, time.Time) {
	return time.Date(y, m, d, 0, 0, 0, 0, loc), time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}
