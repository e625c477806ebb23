package plugin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// Every error kind has its own headline, and none is a generic fallback.
func TestHealthMessagePerKind(t *testing.T) {
	d := &Datasource{logger: newRedactingLogger(log.NewNullLogger()), clientCfg: locus.Config{BaseURL: "https://api.example", PartnerID: 7}}
	cases := map[locus.ErrorKind]string{
		locus.KindAuth:        "rejected the credentials (401)",
		locus.KindForbidden:   "partner 7 is not accessible to this account (403)",
		locus.KindNotFound:    "Partner 7 was not found (404)",
		locus.KindNetwork:     "Cannot reach Locus at https://api.example",
		locus.KindTimeout:     "did not answer in time",
		locus.KindRateLimited: "rate-limiting this account (429)",
		locus.KindServer:      "server error",
		locus.KindDecode:      "Is the base URL the Locus API?",
		locus.KindTooLarge:    "Is the base URL the Locus API?",
		locus.KindConfig:      "Invalid settings",
		locus.KindCanceled:    "cancelled",
		locus.KindBadRequest:  "rejected the request (400)",
	}
	seen := map[string]locus.ErrorKind{}
	for kind, want := range cases {
		msg := d.healthMessage(&locus.Error{Kind: kind, Message: "detail"})
		if !strings.Contains(msg, want) {
			t.Errorf("%s: %q lacks %q", kind, msg, want)
		}
		if strings.HasPrefix(msg, "Health check failed") {
			t.Errorf("%s falls back to the generic message", kind)
		}
		if other, dup := seen[msg]; dup && !(kind == locus.KindDecode || kind == locus.KindTooLarge) {
			t.Errorf("%s and %s share the message %q", kind, other, msg)
		}
		seen[msg] = kind
	}
}

func TestCheckHealthAgainstFailingOrigins(t *testing.T) {
	sim, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	notLocus := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>SolarNOC sign-in</html>"))
	}))
	t.Cleanup(notLocus.Close)

	d, _ := newTestDatasource(t, simkit.Settings(notLocus.URL, nil, nil))
	res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "base URL") {
		t.Errorf("a web page instead of the API: %q", res.Message)
	}

	sim.SetFaults(locussim.Faults{Rate429: 1})
	d, _ = newTestDatasource(t, simkit.Settings(base, nil, nil))
	res, _ = d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "rate-limiting this account (429)") {
		t.Errorf("429 storm: %q", res.Message)
	}

	sim.SetFaults(locussim.Faults{Rate5xx: 1})
	res, _ = d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "server error") {
		t.Errorf("5xx: %q", res.Message)
	}

	sim.SetFaults(locussim.Faults{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, _ = d.CheckHealth(ctx, &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "cancelled") {
		t.Errorf("cancelled: %q", res.Message)
	}
}

func TestNewDatasourceWithOptionsAppliesTune(t *testing.T) {
	sim, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	sim.SetFaults(locussim.Faults{Rate5xx: 1})
	d := NewDatasourceWithOptions(simkit.Settings(base, nil, nil), Options{
		Tune:   func(c *locus.Config) { c.MaxRetries = -1 },
		Logger: testkit.NewLogs(),
	})
	t.Cleanup(d.Dispose)
	status, _, _ := callResource(t, d, "GET", "/clients")
	if status < http.StatusBadGateway || status > http.StatusGatewayTimeout {
		t.Fatalf("status %d, want the upstream's 502/503/504", status)
	}
	if got := sim.Stats().Faults["5xx"]; got != 1 {
		t.Errorf("with retries disabled, one call met %d faults, want 1", got)
	}
}
