package distribution

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
	"github.com/sunfleet/locus-datasource/tests/pluginhost"
)

// backendAPI is what Grafana calls on a data source backend: queries and
// resource calls (resource responses gathered into one).
type backendAPI interface {
	QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error)
	CallResource(ctx context.Context, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error)
}

// demoBackend is the plugin backend configured from the provisioned demo
// data source, called the way Grafana calls it: in-process, or the built
// gpx_locus binary over the plugin gRPC protocol (what the compose stack runs).
type demoBackend struct {
	t   *testing.T
	api backendAPI
	pc  backend.PluginContext
}

// newDemoBackend starts the plugin's data source in-process exactly as
// provisioned in provisioning/datasources (demo mode: the simulator runs
// inside the plugin).
func newDemoBackend(t *testing.T) *demoBackend {
	t.Helper()
	f := loadDatasources(t)
	settings := settingsOf(t, f.Datasources[0])
	inst, err := plugin.NewDatasource(context.Background(), settings)
	if err != nil {
		t.Fatalf("NewDatasource: %v", err)
	}
	qd, ok1 := inst.(backend.QueryDataHandler)
	cr, ok2 := inst.(backend.CallResourceHandler)
	if !ok1 || !ok2 {
		t.Fatalf("the data source instance %T does not serve queries and resources", inst)
	}
	return &demoBackend{t: t, api: inProcess{qd, cr}, pc: backend.PluginContext{PluginID: pluginID, DataSourceInstanceSettings: &settings}}
}

// inProcess adapts the instance's SDK handlers to backendAPI.
type inProcess struct {
	qd backend.QueryDataHandler
	cr backend.CallResourceHandler
}

func (p inProcess) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return p.qd.QueryData(ctx, req)
}

func (p inProcess) CallResource(ctx context.Context, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error) {
	return testkit.CallResource(ctx, p.cr, req)
}

var (
	buildOnce   sync.Once
	builtBinary string
	buildErr    error
	buildDir    string
)

// newBinaryDemoBackend builds ./pkg once (as gpx_locus, like the release)
// and starts it the way Grafana does, with the provisioned demo settings.
func newBinaryDemoBackend(t *testing.T) *demoBackend {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "locus-distribution-")
		if buildErr != nil {
			return
		}
		builtBinary = filepath.Join(buildDir, "gpx_locus_"+runtime.GOOS+"_"+runtime.GOARCH)
		cmd := exec.Command("go", "build", "-o", builtBinary, "./pkg")
		cmd.Dir = repoPath(t, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./pkg: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	h, err := pluginhost.Start(builtBinary)
	if err != nil {
		t.Fatalf("start %s: %v", builtBinary, err)
	}
	t.Cleanup(h.Close)
	ds := loadDatasources(t).Datasources[0]
	raw, err := json.Marshal(ds.JSONData)
	if err != nil {
		t.Fatal(err)
	}
	return &demoBackend{t: t, api: h, pc: pluginhost.DataSourceContext(pluginID, ds.UID, raw, ds.SecureJSONData, time.Now())}
}

// TestMain removes the binary newBinaryDemoBackend built.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// resource GETs a resource route and decodes its JSON body into out.
func (b *demoBackend) resource(path string, params url.Values, out any) {
	b.t.Helper()
	u := path
	if len(params) > 0 {
		u += "?" + params.Encode()
	}
	resp, err := b.api.CallResource(context.Background(), &backend.CallResourceRequest{PluginContext: b.pc, Method: "GET", Path: path, URL: u})
	if err != nil {
		b.t.Fatalf("GET %s: %v", u, err)
	}
	if resp.Status != 200 {
		b.t.Fatalf("GET %s: status %d: %s", u, resp.Status, resp.Body)
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		b.t.Fatalf("GET %s: %v in %s", u, err, resp.Body)
	}
}

// query runs one query model over tr, as a panel (or, with fromAlert, as an
// alert rule evaluation) would, and returns its response.
func (b *demoBackend) query(model map[string]any, tr backend.TimeRange, maxDataPoints int64, fromAlert bool) backend.DataResponse {
	b.t.Helper()
	m := map[string]any{}
	for k, v := range model {
		m[k] = v
	}
	interval := tr.Duration() / time.Duration(maxDataPoints)
	if interval < time.Millisecond {
		interval = time.Millisecond
	}
	m["maxDataPoints"] = maxDataPoints
	m["intervalMs"] = interval.Milliseconds()
	raw, err := json.Marshal(m)
	if err != nil {
		b.t.Fatalf("marshal query: %v", err)
	}
	refID, _ := m["refId"].(string)
	req := &backend.QueryDataRequest{
		PluginContext: b.pc,
		Queries: []backend.DataQuery{{
			RefID: refID, QueryType: stringOf(m["queryType"]), JSON: raw, TimeRange: tr,
			MaxDataPoints: maxDataPoints, Interval: interval,
		}},
	}
	if fromAlert {
		req.Headers = map[string]string{"FromAlert": "true"}
	}
	resp, err := b.api.QueryData(context.Background(), req)
	if err != nil {
		b.t.Fatalf("QueryData(%s): %v", raw, err)
	}
	r, ok := resp.Responses[refID]
	if !ok {
		b.t.Fatalf("QueryData(%s): no response for refId %q", raw, refID)
	}
	return r
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}

// nonNullNumbers counts the non-null numeric values of a frame.
func nonNullNumbers(f *data.Frame) int {
	n := 0
	for _, field := range f.Fields {
		if !field.Type().Numeric() {
			continue
		}
		for i := 0; i < field.Len(); i++ {
			if v, ok := field.ConcreteAt(i); ok && v != nil {
				n++
			}
		}
	}
	return n
}

// fieldByName returns the frame's field with that name, or nil.
func fieldByName(f *data.Frame, name string) *data.Field {
	for _, field := range f.Fields {
		if field.Name == name {
			return field
		}
	}
	return nil
}

// relativeRange resolves Grafana's relative time expressions used by the
// bundled dashboards ("now", "now-7d", "now-24h", "now/M") in UTC.
func relativeRange(t *testing.T, from, to string, now time.Time) backend.TimeRange {
	t.Helper()
	return backend.TimeRange{From: relativeTime(t, from, now), To: relativeTime(t, to, now)}
}

func relativeTime(t *testing.T, expr string, now time.Time) time.Time {
	t.Helper()
	now = now.UTC()
	switch {
	case expr == "now":
		return now
	case expr == "now/M":
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	case expr == "now/d":
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	case strings.HasPrefix(expr, "now-"):
		d, err := parseGrafanaDuration(strings.TrimPrefix(expr, "now-"))
		if err != nil {
			t.Fatalf("time %q: %v", expr, err)
		}
		return now.Add(-d)
	}
	t.Fatalf("time expression %q is not supported by this test", expr)
	return time.Time{}
}

// parseGrafanaDuration parses 24h, 7d, 30m, 2w.
func parseGrafanaDuration(s string) (time.Duration, error) {
	if n := len(s); n > 1 {
		switch s[n-1] {
		case 'd':
			d, err := time.ParseDuration(s[:n-1] + "h")
			return d * 24, err
		case 'w':
			d, err := time.ParseDuration(s[:n-1] + "h")
			return d * 24 * 7, err
		}
	}
	return time.ParseDuration(s)
}
