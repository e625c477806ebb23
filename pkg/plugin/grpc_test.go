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

// queriesOfEachType builds one query of every type against the fleet.
func queriesOfEachType(t *testing.T, sim *locussim.Server, to time.Time) []backend.DataQuery {
	t.Helper()
	site := sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return len(s.ComponentsOfType(locussim.NodeInverter)) > 0 && s.Startup.Before(to.AddDate(0, -3, 0))
	})
	if site == nil {
		t.Fatal("no site with an inverter and three months of history")
	}
	inv := site.ComponentsOfType(locussim.NodeInverter)[0]
	day := backend.TimeRange{From: to.Add(-24 * time.Hour), To: to}
	months := backend.TimeRange{From: to.AddDate(0, -3, 0), To: to}
	q := func(ref string, tr backend.TimeRange, model string) backend.DataQuery {
		return backend.DataQuery{RefID: ref, TimeRange: tr, Interval: time.Minute, MaxDataPoints: 1000, JSON: json.RawMessage(model)}
	}
	return []backend.DataQuery{
		q("TS", day, fmt.Sprintf(`{"queryType":"timeseries","entityType":"site","siteId":"%d","fields":["W_avg"]}`, site.ID)),
		q("LATEST", day, fmt.Sprintf(`{"queryType":"latest","componentId":"%d","fields":["W_avg"]}`, inv.ID)),
		q("BULK", months, `{"queryType":"bulk","fields":["Wh_sum"],"format":"table"}`),
		q("ALERTS", months, `{"queryType":"alerts","scope":"partner"}`),
		q("META", day, `{"queryType":"metadata","kind":"sites"}`),
	}
}

// assertEveryQueryHasData fails unless every response is error-free with at
// least one non-empty frame.
func assertEveryQueryHasData(t *testing.T, resp *backend.QueryDataResponse, queries []backend.DataQuery) {
	t.Helper()
	for _, q := range queries {
		r, ok := resp.Responses[q.RefID]
		if !ok {
			t.Errorf("%s: no response", q.RefID)
			continue
		}
		if r.Error != nil {
			t.Errorf("%s: error %v", q.RefID, r.Error)
			continue
		}
		rows := 0
		for _, f := range r.Frames {
			if n, err := f.RowLen(); err == nil {
				rows += n
			}
		}
		if len(r.Frames) == 0 || rows == 0 {
			t.Errorf("%s: %d frames, %d rows; want data", q.RefID, len(r.Frames), rows)
		}
	}
}

func TestGRPCHealthQueryResource(t *testing.T) {
	sim, base := simOrigin(t, locussim.DefaultConfig())
	client := servePlugin(t)
	ctx := context.Background()
	pc := pluginContext(simSettings(base, nil, nil))

	health, err := client.CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: pc})
	if err != nil {
		t.Fatalf("CheckHealth: %v", err)
	}
	if health.Status != backend.HealthStatusOk || !strings.Contains(health.Message, "Connected to partner 4242: 12 sites") {
		t.Fatalf("health = %v %q", health.Status, health.Message)
	}

	queries := queriesOfEachType(t, sim, time.Now())
	resp, err := client.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pc, Queries: queries})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	assertEveryQueryHasData(t, resp, queries)

	sender := &resourceSender{}
	err = client.CallResource(ctx, &backend.CallResourceRequest{PluginContext: pc, Method: "GET", Path: "sites", URL: "sites?query=&limit=5"}, sender)
	if err != nil {
		t.Fatalf("CallResource: %v", err)
	}
	var body struct {
		Sites []query.SiteSummary `json:"sites"`
		Total int                 `json:"total"`
	}
	if sender.resp == nil || sender.resp.Status != 200 || json.Unmarshal(sender.resp.Body, &body) != nil || len(body.Sites) != 5 || body.Total != 12 {
		t.Fatalf("resource response %+v", sender.resp)
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
	queries := queriesOfEachType(t, locussim.New(locussim.DefaultConfig()), time.Now())
	resp, err := client.QueryData(ctx, &backend.QueryDataRequest{PluginContext: pc, Queries: queries})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	assertEveryQueryHasData(t, resp, queries)
}
