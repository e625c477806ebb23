package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// newTestDatasource builds an instance with fast retries and a log capture.
func newTestDatasource(t testing.TB, s backend.DataSourceInstanceSettings) (*Datasource, *testkit.Logs) {
	t.Helper()
	logs := testkit.NewLogs()
	d := newDatasource(s, Options{Logger: logs, Tune: func(c *locus.Config) {
		c.RetryBaseDelay = time.Millisecond
		c.RetryMaxDelay = 5 * time.Millisecond
		c.MaxRetries = 2
		c.Timeout = 10 * time.Second
	}})
	t.Cleanup(d.Dispose)
	return d, logs
}

// callResource calls one route the way Grafana's resource API does.
func callResource(t testing.TB, d *Datasource, method, pathQuery string) (int, map[string]json.RawMessage, http.Header) {
	t.Helper()
	resp, err := testkit.CallResource(context.Background(), d, testkit.ResourceRequest(method, pathQuery))
	if err != nil {
		t.Fatalf("%s %s: %v", method, pathQuery, err)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %s", method, pathQuery, resp.Body)
	}
	h := http.Header{}
	for k, v := range resp.Headers {
		h[http.CanonicalHeaderKey(k)] = v
	}
	if ct := h.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type = %q", method, pathQuery, ct)
	}
	testkit.AssertNoSecrets(t, pathQuery, string(resp.Body), locussim.DefaultClientSecret, "s3cret-pw")
	return resp.Status, body, h
}

func decodeInto(t testing.TB, raw json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

func errorText(body map[string]json.RawMessage) string {
	var s string
	_ = json.Unmarshal(body["error"], &s)
	return s
}

func simDatasource(t testing.TB) (*Datasource, *locussim.Server) {
	t.Helper()
	sim, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	d, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	return d, sim
}

// getOK calls GET pathQuery and stops the test unless it answers 200; it
// returns the decoded body.
func getOK(t testing.TB, d *Datasource, pathQuery string) map[string]json.RawMessage {
	t.Helper()
	status, body, _ := callResource(t, d, http.MethodGet, pathQuery)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", pathQuery, status, errorText(body))
	}
	return body
}
