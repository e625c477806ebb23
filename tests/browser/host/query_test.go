package main

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestParseQueryRequestAppliesGrafanaDefaults(t *testing.T) {
	body := `{"from":"1700000000000","to":"1700003600000","queries":[
		{"refId":"A","queryType":"timeseries","datasource":{"uid":"uid1"},"fields":["W_avg"]},
		{"refId":"B","queryType":"latest","intervalMs":300000,"maxDataPoints":600}]}`
	api := &grafanaAPI{settings: newSettingsStore("p", "uid1", "n")}
	qdr, err := api.parseQueryRequest(httptest.NewRequest("POST", "/api/ds/query", strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	a, b := qdr.Queries[0], qdr.Queries[1]
	if a.MaxDataPoints != 100 || a.Interval != time.Second {
		t.Errorf("A: maxDataPoints %d interval %v, want Grafana's defaults 100 and 1s", a.MaxDataPoints, a.Interval)
	}
	if b.MaxDataPoints != 600 || b.Interval != 5*time.Minute || b.QueryType != "latest" {
		t.Errorf("B: %d %v %q, want 600, 5m and latest", b.MaxDataPoints, b.Interval, b.QueryType)
	}
	if got := a.TimeRange.To.Sub(a.TimeRange.From); got != time.Hour || a.TimeRange.From.UnixMilli() != 1700000000000 {
		t.Errorf("range %v..%v, want the hour from epoch ms 1700000000000", a.TimeRange.From, a.TimeRange.To)
	}
	if !strings.Contains(string(a.JSON), `"fields":["W_avg"]`) {
		t.Errorf("query JSON not passed through: %s", a.JSON)
	}
	if qdr.PluginContext.DataSourceInstanceSettings.UID != "uid1" {
		t.Errorf("plugin context lacks the data source")
	}
}

func TestParseQueryRequestRelativeRange(t *testing.T) {
	body := `{"from":"now-6h","to":"now","queries":[{"refId":"A"}]}`
	api := &grafanaAPI{settings: newSettingsStore("p", "uid1", "n")}
	qdr, err := api.parseQueryRequest(httptest.NewRequest("POST", "/api/ds/query", strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	tr := qdr.Queries[0].TimeRange
	if d := tr.To.Sub(tr.From); d < 6*time.Hour-time.Second || d > 6*time.Hour+time.Second {
		t.Fatalf("now-6h..now spans %v", d)
	}
}

func TestParseQueryRequestErrorsNameTheProblem(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"not json":         {`{`, "bad query request body"},
		"no queries":       {`{"from":"1","to":"2","queries":[]}`, "no queries"},
		"bad from":         {`{"from":"yesterday-ish","to":"now","queries":[{"refId":"A"}]}`, "bad 'from'"},
		"other source":     {`{"from":"1","to":"2","queries":[{"refId":"A","datasource":{"uid":"other"}}]}`, `targets data source "other"`},
		"query not object": {`{"from":"1","to":"2","queries":[3]}`, "query 0 is not a JSON object"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			api := &grafanaAPI{settings: newSettingsStore("p", "uid1", "n")}
			_, err := api.parseQueryRequest(httptest.NewRequest("POST", "/api/ds/query", strings.NewReader(c.body)))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}
