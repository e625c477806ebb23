package protocol

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// TestHealth: the binary answers health checks over gRPC, success and
// failure, with no secret in the message or details. What each failure
// says is tested once, in pkg/plugin's TestCheckHealth.
func TestHealth(t *testing.T) {
	_, base := startSim(t)
	h := startPlugin(t)
	ctx := context.Background()
	cases := []struct {
		name   string
		pc     backend.PluginContext
		status backend.HealthStatus
		want   string
	}{
		{"ok", simContext(base, simPassword), backend.HealthStatusOk, "Connected to partner 4242: 12 sites"},
		{"bad password", simContext(base, wrongPassword), backend.HealthStatusError, "rejected the credentials (401)"},
		{"invalid settings", dsContext(map[string]any{"partnerId": "x"}, nil), backend.HealthStatusError, "Invalid settings: partnerId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := h.CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: tc.pc})
			if err != nil {
				t.Fatalf("CheckHealth: %v", err)
			}
			if res.Status != tc.status || !strings.Contains(res.Message, tc.want) {
				t.Fatalf("health = %v %q, want %v containing %q", res.Status, res.Message, tc.status, tc.want)
			}
			assertNoSecret(t, "health message", res.Message)
			assertNoSecret(t, "health details", string(res.JSONDetails))
		})
	}
	if h.Exited() {
		t.Fatal("the plugin process exited")
	}
}

func TestQueryOfEachType(t *testing.T) {
	sim, base := startSim(t)
	h := startPlugin(t)
	queries := simkit.QuerySet(t, sim, time.Now())
	resp, err := h.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: simContext(base, simPassword), Queries: queries})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	if raw, err := json.Marshal(resp); err == nil {
		assertNoSecret(t, "query responses (frames, meta, errors)", string(raw))
	} else {
		t.Fatalf("marshal response: %v", err)
	}
	if len(secrets()) <= len(fixedSecrets) {
		t.Fatalf("no issued token was recorded: the token check would be vacuous")
	}
	for _, q := range queries {
		r := resp.Responses[q.RefID]
		if r.Error != nil {
			t.Errorf("%s: %v", q.RefID, r.Error)
			continue
		}
		if testkit.Rows(r) == 0 {
			t.Errorf("%s: no rows in %d frames", q.RefID, len(r.Frames))
		}
	}
	ts := resp.Responses["timeseries"]
	if len(ts.Frames) != 2 {
		t.Fatalf("timeseries W_avg,Wh_sum: %d frames, want one per field", len(ts.Frames))
	}
	for _, f := range ts.Frames {
		if f.Meta == nil || !strings.Contains(f.Meta.ExecutedQueryString, "/data?") {
			t.Errorf("frame %q lacks the executed upstream call in meta", f.Name)
		}
		if f.Fields[0].Type() != data.FieldTypeTime || len(f.Fields) < 2 || f.Fields[1].Labels["site_id"] == "" {
			t.Errorf("frame %q is not a labelled time series: %v", f.Name, f.Fields)
		}
	}
}

func TestAlertRuleQuery(t *testing.T) {
	sim, base := startSim(t)
	h := startPlugin(t)
	p := simkit.PickFleet(t, sim, time.Now())
	ids := make([]string, len(p.Sites))
	for i, s := range p.Sites {
		ids[i] = fmt.Sprint(s.ID)
	}
	now := time.Now()
	// What Grafana's alerting sends: FromAlert header, no interval, no max
	// data points, no dashboard time zone; every default resolves server-side.
	q := backend.DataQuery{
		RefID:     "A",
		TimeRange: backend.TimeRange{From: now.Add(-6 * time.Hour), To: now},
		JSON:      json.RawMessage(fmt.Sprintf(`{"queryType":"timeseries","entityType":"site","siteId":"%s","fields":["W_avg"],"timeZoneMode":"dashboard"}`, strings.Join(ids, ","))),
	}
	resp, err := h.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: simContext(base, simPassword),
		Headers:       map[string]string{"FromAlert": "true"},
		Queries:       []backend.DataQuery{q},
	})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	r := resp.Responses["A"]
	if r.Error != nil {
		t.Fatalf("alert query: %v", r.Error)
	}
	if len(r.Frames) != len(ids) {
		t.Fatalf("alert query over %d sites gave %d frames, want one per site (one alert instance each)", len(ids), len(r.Frames))
	}
	seen := map[string]bool{}
	for _, f := range r.Frames {
		if len(f.Fields) < 2 {
			t.Fatalf("frame %q has no value field", f.Name)
		}
		id := f.Fields[1].Labels["site_id"]
		if id == "" || seen[id] {
			t.Errorf("frame %q: site_id label %q missing or repeated", f.Name, id)
		}
		seen[id] = true
	}
	latest := backend.DataQuery{RefID: "B", TimeRange: q.TimeRange,
		JSON: json.RawMessage(fmt.Sprintf(`{"queryType":"latest","componentId":"%d,%d","fields":["W_avg"]}`, p.Inverters[0].ID, p.Inverters[1].ID))}
	resp, err = h.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: simContext(base, simPassword), Headers: map[string]string{"FromAlert": "true"}, Queries: []backend.DataQuery{latest}})
	if err != nil || resp.Responses["B"].Error != nil {
		t.Fatalf("latest alert query: %v %v", err, resp.Responses["B"].Error)
	}
	frames := resp.Responses["B"].Frames
	if len(frames) != 2 {
		t.Fatalf("latest over 2 inverters gave %d frames, want one alert instance per component", len(frames))
	}
	for i, f := range frames {
		want := fmt.Sprint(p.Inverters[i].ID)
		if got := f.Fields[0].Labels["component_id"]; got != want {
			t.Errorf("frame %d: component_id label %q, want %q", i, got, want)
		}
	}
}

func TestResourceCall(t *testing.T) {
	sim, base := startSim(t)
	h := startPlugin(t)
	p := simkit.PickFleet(t, sim, time.Now())
	pc := simContext(base, simPassword)
	get := func(path string) (int, map[string]json.RawMessage) {
		t.Helper()
		u, _ := url.Parse(path)
		res, err := h.CallResource(context.Background(), &backend.CallResourceRequest{
			PluginContext: pc, Method: "GET", Path: strings.TrimPrefix(u.Path, "/"), URL: path,
		})
		if err != nil {
			t.Fatalf("CallResource %s: %v", path, err)
		}
		var body map[string]json.RawMessage
		if err := json.Unmarshal(res.Body, &body); err != nil {
			t.Fatalf("%s: not JSON: %s", path, res.Body)
		}
		assertNoSecret(t, path, string(res.Body))
		return res.Status, body
	}
	status, body := get("sites?query=" + url.QueryEscape(p.Site.Name))
	var sites []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	if status != 200 || json.Unmarshal(body["sites"], &sites) != nil || len(sites) == 0 || sites[0].ID != p.Site.ID {
		t.Fatalf("site search: %d %s", status, body["sites"])
	}
	status, body = get(fmt.Sprintf("dataavailable?entityType=component&id=%d", p.Inverters[0].ID))
	if status != 200 || !strings.Contains(string(body["fields"]), `"shortName":"W_avg"`) {
		t.Fatalf("dataavailable: %d %s", status, body)
	}
	status, body = get("sites/abc")
	if status != 400 || !strings.Contains(string(body["error"]), "positive integer") {
		t.Fatalf("bad id: %d %s", status, body)
	}
}

func TestDemoMode(t *testing.T) {
	h := startPlugin(t)
	// The demo fleet is the default simulator's fleet; build it locally to pick ids.
	queries := simkit.QuerySet(t, locussim.New(locussim.DefaultConfig()), time.Now())
	resp, err := h.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: demoContext(), Queries: queries})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	for _, q := range queries {
		if r := resp.Responses[q.RefID]; r.Error != nil || testkit.Rows(r) == 0 {
			t.Errorf("%s in demo mode: error %v, %d rows", q.RefID, r.Error, testkit.Rows(r))
		}
	}
}

func TestSettingsChangeReplacesInstance(t *testing.T) {
	_, base := startSim(t)
	h := startPlugin(t)
	ctx := context.Background()
	pc := simContext(base, wrongPassword)
	res, err := h.CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: pc})
	if err != nil || res.Status != backend.HealthStatusError {
		t.Fatalf("wrong password: %v %v", res, err)
	}
	// The user fixes the password and saves: same uid, newer Updated.
	fixed := simContext(base, simPassword)
	fixed.DataSourceInstanceSettings.UID = pc.DataSourceInstanceSettings.UID
	fixed.DataSourceInstanceSettings.Updated = pc.DataSourceInstanceSettings.Updated.Add(time.Second)
	res, err = h.CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: fixed})
	if err != nil || res.Status != backend.HealthStatusOk {
		t.Fatalf("after fixing the password: %v %v", res, err)
	}
}
