package faults

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Bad settings never crash the host: every query answers 400 and the health
// check fails, both naming the settings key and what is valid. The table
// lists every case tried.
func TestBadSettingsTable(t *testing.T) {
	o := newOrigin(t, nil)
	cases := []struct {
		name      string
		overrides map[string]any
		secrets   map[string]string
		raw       string // replaces the whole jsonData when set
		says      []string
	}{
		{name: "empty", raw: " ", secrets: map[string]string{"password": "", "clientSecret": ""}, says: []string{"partnerId", "required"}},
		{name: "jsonData not an object", raw: `[1,2]`, says: []string{"jsonData", "not a JSON object"}},
		{name: "partial: no partnerId", overrides: map[string]any{"partnerId": nil}, says: []string{"partnerId", "positive integer"}},
		{name: "partial: no clientId", overrides: map[string]any{"clientId": nil}, says: []string{"clientId", "required"}},
		{name: "partial: no username", overrides: map[string]any{"username": nil}, says: []string{"username", "required"}},
		{name: "partial: no password", secrets: map[string]string{"password": ""}, says: []string{"password", "required"}},
		{name: "partial: no client secret", secrets: map[string]string{"clientSecret": ""}, says: []string{"clientSecret", "required"}},
		{name: "secret only whitespace", secrets: map[string]string{"password": " \n\t"}, says: []string{"password", "required"}},
		{name: "partnerId not a number", overrides: map[string]any{"partnerId": "acme"}, says: []string{"partnerId", "positive integer"}},
		{name: "partnerId negative", overrides: map[string]any{"partnerId": -4242}, says: []string{"partnerId", "positive integer"}},
		{name: "partnerId fractional", overrides: map[string]any{"partnerId": 42.5}, says: []string{"partnerId", "whole number"}},
		{name: "wrong base URL scheme", overrides: map[string]any{"baseUrl": "ftp://api.locusenergy.com"}, says: []string{"baseUrl", "ftp", "https"}},
		{name: "base URL not absolute", overrides: map[string]any{"baseUrl": "api.locusenergy.com"}, says: []string{"baseUrl", "https"}},
		{name: "plain http to a remote host", overrides: map[string]any{"baseUrl": "http://api.locusenergy.com"}, says: []string{"baseUrl", "loopback", "https"}},
		{name: "base URL with credentials", overrides: map[string]any{"baseUrl": "https://user:" + testPassword + "@api.locusenergy.com"}, says: []string{"baseUrl", "credentials"}},
		{name: "base URL with a query", overrides: map[string]any{"baseUrl": "https://api.locusenergy.com/?x=1"}, says: []string{"baseUrl", "query"}},
		{name: "authType unknown", overrides: map[string]any{"authType": "oauth"}, says: []string{"authType", "password", "client_credentials"}},
		{name: "maxConcurrentRequests zero", overrides: map[string]any{"maxConcurrentRequests": 0}, says: []string{"maxConcurrentRequests", "1 to 10"}},
		{name: "maxConcurrentRequests absurd", overrides: map[string]any{"maxConcurrentRequests": 1e9}, says: []string{"maxConcurrentRequests", "1 to 10"}},
		{name: "cache lifetime negative", overrides: map[string]any{"pastDataCacheSeconds": -1}, says: []string{"pastDataCacheSeconds", "0 (default) to"}},
		{name: "demoMode not a boolean", overrides: map[string]any{"demoMode": "sometimes"}, says: []string{"demoMode", "true or false"}},
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
			resp := run(context.Background(), t, d, panel{ref: "A", js: `{"queryType":"metadata","kind":"sites"}`, from: day(2025, 6, 1), to: day(2025, 6, 2), interval: time.Hour, maxDP: 100})
			r := failed(t, resp, "A")
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
