package faults

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
)

// Bad settings never crash the host: every query answers 400 and the health
// check fails, both naming the settings key, and no request reaches Locus.
// One case per way LoadSettings refuses (jsonData not an object, a required
// key or secret missing, a value out of its range); the message of every
// rule is tested once, in pkg/plugin's TestLoadSettingsErrors.
func TestBadSettingsTable(t *testing.T) {
	o := newOrigin(t, nil)
	cases := []struct {
		name      string
		overrides map[string]any
		secrets   map[string]string
		raw       string // replaces the whole jsonData when set
		says      []string
	}{
		{name: "jsonData not an object", raw: `[1,2]`, says: []string{"jsonData", "not a JSON object"}},
		{name: "partial: no clientId", overrides: map[string]any{"clientId": nil}, says: []string{"clientId", "required"}},
		{name: "secret only whitespace", secrets: map[string]string{"password": " \n\t"}, says: []string{"password", "required"}},
		{name: "maxConcurrentRequests absurd", overrides: map[string]any{"maxConcurrentRequests": 1e9}, says: []string{"maxConcurrentRequests", "1 to 10"}},
	}
	var table strings.Builder
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scenario(t)
			s := settingsFor(o, c.overrides, c.secrets)
			if c.raw != "" {
				s.JSONData = []byte(c.raw)
			}
			d := newHost(t, s, nil)
			before := o.sim.Stats().Total
			resp := run(context.Background(), t, d, testkit.Query{Ref: "A", JSON: `{"queryType":"metadata","kind":"sites"}`, From: day(2025, 6, 1), To: day(2025, 6, 2), Interval: time.Hour, MaxDP: 100})
			r := testkit.Failed(t, resp, "A")
			if r.Status != backend.StatusBadRequest {
				t.Errorf("query status %d, want 400", r.Status)
			}
			h := health(t, d)
			if h.Status != backend.HealthStatusError {
				t.Errorf("health %s, want error", h.Status)
			}
			for _, s := range c.says {
				if !strings.Contains(r.Error.Error(), s) {
					t.Errorf("query error %q does not mention %q", r.Error, s)
				}
				if !strings.Contains(h.Message, s) {
					t.Errorf("health message %q does not mention %q", h.Message, s)
				}
			}
			if after := o.sim.Stats().Total; after != before {
				t.Errorf("invalid settings still sent %d requests to Locus", after-before)
			}
			fmt.Fprintf(&table, "| %s | %s |\n", c.name, h.Message)
		})
	}
	t.Logf("bad settings table (%d cases):\n%s", len(cases), table.String())
}

// Accepted oddities work and warn: plain http to the loopback simulator,
// secrets pasted with surrounding whitespace (trimmed), a trailing /v3/.
func TestAcceptedSettingsWithWarnings(t *testing.T) {
	scenario(t)
	o := newOrigin(t, nil)
	s := settingsFor(o, map[string]any{"baseUrl": o.url + "/v3/", "partnerId": "4242"},
		map[string]string{"password": "  " + testPassword + "\n", "clientSecret": testClientSecret + "\r\n"})
	d := newHost(t, s, nil)
	h := health(t, d)
	if h.Status != backend.HealthStatusOk {
		t.Fatalf("health %s: %s", h.Status, h.Message)
	}
	details := string(h.JSONDetails)
	for _, want := range []string{"plain http", "secureJsonData.password", "secureJsonData.clientSecret", "whitespace"} {
		if !strings.Contains(details, want) {
			t.Errorf("health details %s do not warn about %q", details, want)
		}
	}
	assertDashboard(t, o, runDashboard(t, o, d))
}
