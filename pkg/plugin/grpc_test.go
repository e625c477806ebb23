package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/datasourcetest"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

var (
	served     datasourcetest.TestPlugin
	serveErr   error
	serveOnce  sync.Once
	instanceID atomic.Int64
)

// servePlugin serves NewDatasource over gRPC in-process, as the SDK serves
// it to Grafana, and returns a client of it. The SDK registers process-wide
// metrics, so one server is shared by every test of the package; each test
// uses its own data source uid.
func servePlugin(t *testing.T) *datasourcetest.TestPluginClient {
	t.Helper()
	serveOnce.Do(func() {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			serveErr = err
			return
		}
		addr := l.Addr().String()
		l.Close()
		served, serveErr = datasourcetest.Manage(NewDatasource, datasourcetest.ManageOpts{Address: addr})
	})
	if serveErr != nil {
		t.Fatalf("serve plugin: %v", serveErr)
	}
	return served.Client
}

// pluginContext is what Grafana sends for a data source: a new uid per call,
// so each test gets its own instance.
func pluginContext(s backend.DataSourceInstanceSettings) backend.PluginContext {
	id := instanceID.Add(1)
	s.ID, s.Name, s.Type = id, "Locus", PluginID
	s.UID = fmt.Sprintf("locus-%d", id)
	s.Updated = time.Now()
	return backend.PluginContext{OrgID: 1, PluginID: PluginID, DataSourceInstanceSettings: &s}
}

func TestGRPCHealthQueryResource(t *testing.T) {
	sim, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	client := servePlugin(t)
	ctx := context.Background()
	pc := pluginContext(simkit.Settings(base, nil, nil))

	health, err := client.CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: pc})
	if err != nil {
		t.Fatalf("CheckHealth: %v", err)
	}
	if health.Status != backend.HealthStatusOk || !strings.Contains(health.Message, "Connected to partner 4242: 12 sites") {
		t.Fatalf("health = %v %q", health.Status, health.Message)
	}

	queries := simkit.QuerySet(t, sim, time.Now())
	resp, err := client.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pc, Queries: queries})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	testkit.AssertEveryQueryHasData(t, resp, queries)

	res, err := testkit.CallResource(ctx, client, &backend.CallResourceRequest{PluginContext: pc, Method: "GET", Path: "sites", URL: "sites?query=&limit=5"})
	if err != nil {
		t.Fatalf("CallResource: %v", err)
	}
	var body struct {
		Sites []query.SiteSummary `json:"sites"`
		Total int                 `json:"total"`
	}
	if res.Status != 200 || json.Unmarshal(res.Body, &body) != nil || len(body.Sites) != 5 || body.Total != 12 {
		t.Fatalf("resource response %+v", res)
	}
}

func TestGRPCInvalidSettingsDoNotCrash(t *testing.T) {
	client := servePlugin(t)
	ctx := context.Background()
	pc := pluginContext(backend.DataSourceInstanceSettings{JSONData: []byte(`{"partnerId":"twelve"}`)})
	health, err := client.CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: pc})
	if err != nil || health.Status != backend.HealthStatusError || !strings.Contains(health.Message, "partnerId") {
		t.Fatalf("health = %+v, %v", health, err)
	}
	resp, err := client.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pc, Queries: []backend.DataQuery{{RefID: "A", JSON: json.RawMessage(`{}`)}}})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	if r := resp.Responses["A"]; r.Error == nil || !strings.Contains(r.Error.Error(), "partnerId") || r.Status != backend.StatusBadRequest {
		t.Fatalf("query response = %+v", r)
	}
}

func TestGRPCDemoMode(t *testing.T) {
	client := servePlugin(t)
	ctx := context.Background()
	pc := pluginContext(backend.DataSourceInstanceSettings{JSONData: []byte(`{"demoMode":true}`)})
	health, err := client.CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: pc})
	if err != nil || health.Status != backend.HealthStatusOk || !strings.Contains(health.Message, "Demo mode") {
		t.Fatalf("health = %+v, %v", health, err)
	}
	// The demo fleet is the default simulator's: build the same one to pick ids.
	queries := simkit.QuerySet(t, locussim.New(locussim.DefaultConfig()), time.Now())
	resp, err := client.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pc, Queries: queries})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	testkit.AssertEveryQueryHasData(t, resp, queries)
}
