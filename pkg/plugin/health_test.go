package plugin

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestCheckHealth(t *testing.T) {
	sim, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + closed.Addr().String()
	closed.Close()

	cases := []struct {
		name     string
		settings backend.DataSourceInstanceSettings
		status   backend.HealthStatus
		want     []string
		kind     string
	}{
		{"ok", simkit.Settings(base, nil, nil), backend.HealthStatusOk,
			[]string{"Connected to partner 4242: 12 sites"}, ""},
		{"client credentials ok", simkit.Settings(base, map[string]any{"authType": "client_credentials", "username": nil}, map[string]string{"password": ""}),
			backend.HealthStatusOk, []string{"Connected to partner 4242: 12 sites"}, ""},
		{"bad password", simkit.Settings(base, nil, map[string]string{"password": "wrong-password"}), backend.HealthStatusError,
			[]string{"rejected the credentials (401)", "username and password"}, "auth"},
		{"bad client secret", simkit.Settings(base, map[string]any{"authType": "client_credentials"}, map[string]string{"clientSecret": "wrong-secret"}),
			backend.HealthStatusError, []string{"rejected the credentials (401)", "client ID and client secret"}, "auth"},
		{"wrong partner", simkit.Settings(base, map[string]any{"partnerId": locussim.OtherPartnerID}, nil), backend.HealthStatusError,
			[]string{"partner 9999 is not accessible to this account (403)", "check the partner ID"}, "forbidden"},
		{"unreachable host", simkit.Settings(deadURL, nil, nil), backend.HealthStatusError,
			[]string{"Cannot reach Locus at " + deadURL, "check the base URL"}, "network"},
		{"invalid settings", simkit.Settings(base, map[string]any{"partnerId": nil}, nil), backend.HealthStatusError,
			[]string{"Invalid settings", "partnerId", "is required"}, "config"},
		{"invalid scheme", simkit.Settings("ftp://example.com", nil, nil), backend.HealthStatusError,
			[]string{"Invalid settings", "baseUrl", `scheme "ftp"`}, "config"},
		{"demo mode", backend.DataSourceInstanceSettings{JSONData: []byte(`{"demoMode":true}`)}, backend.HealthStatusOk,
			[]string{"Demo mode", "built-in Locus simulator", "partner 4242: 12 sites"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, logs := newTestDatasource(t, tc.settings)
			res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			if err != nil {
				t.Fatalf("CheckHealth returned an error instead of a result: %v", err)
			}
			if res.Status != tc.status {
				t.Fatalf("status = %v, want %v (message %q)", res.Status, tc.status, res.Message)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Message, w) {
					t.Errorf("message %q lacks %q", res.Message, w)
				}
			}
			var details healthDetails
			if err := json.Unmarshal(res.JSONDetails, &details); err != nil {
				t.Fatalf("details are not JSON: %v", err)
			}
			if tc.status == backend.HealthStatusError && tc.kind != "config" && (details.Detail == "" || !strings.Contains(details.VerboseMessage, "kind="+tc.kind)) {
				t.Errorf("error details should carry the Locus message and kind: %+v", details)
			}
			// Grafana prints details.message under the headline: it must add something, never repeat it.
			if details.Message != "" && (strings.Contains(res.Message, details.Message) || strings.HasPrefix(details.Message, "Locus client")) {
				t.Errorf("Save & test would say the same thing twice: %q then %q", res.Message, details.Message)
			}
			if tc.kind == "auth" || tc.kind == "forbidden" {
				if details.Message != "" {
					t.Errorf("the %s headline says it all, details.message should be empty: %q", tc.kind, details.Message)
				}
			}
			if tc.kind == "network" && (!strings.Contains(details.Message, "(after 1 retry)") || strings.Contains(details.Message, "retries")) {
				t.Errorf("the network detail adds the cause and counts retries in words: %q", details.Message)
			}
			if tc.kind == "config" && details.Field == "" {
				t.Errorf("a settings error should name the field in details: %+v", details)
			}
			if details.ErrorKind != tc.kind {
				t.Errorf("details.errorKind = %q, want %q", details.ErrorKind, tc.kind)
			}
			secrets := []string{"wrong-password", "wrong-secret", locussim.DefaultClientSecret}
			testkit.AssertNoSecrets(t, "health message", res.Message, secrets...)
			testkit.AssertNoSecrets(t, "health details", string(res.JSONDetails), secrets...)
			testkit.AssertNoSecrets(t, "logs", logs.String(), secrets...)
		})
	}
	_ = sim
}

func TestCheckHealthAlwaysAsksLocus(t *testing.T) {
	sim, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	d, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	for i := 0; i < 2; i++ {
		res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		if res.Status != backend.HealthStatusOk {
			t.Fatalf("check %d: %s", i, res.Message)
		}
	}
	st := sim.Stats()
	if got := st.Count("GET /v3/partners/{id}/sites"); got != 2 {
		t.Errorf("two health checks made %d site list calls, want 2 (a health check must not be served from cache)", got)
	}
	if got := st.TokenGrants["password"]; got != 2 {
		t.Errorf("two health checks made %d password grants, want 2 (each check authenticates)", got)
	}
}

func TestCheckHealthDetails(t *testing.T) {
	_, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	d, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	var details healthDetails
	if err := json.Unmarshal(res.JSONDetails, &details); err != nil {
		t.Fatal(err)
	}
	if details.PartnerID != 4242 || details.Sites == nil || *details.Sites != 12 || details.BaseURL != base || details.DemoMode {
		t.Errorf("details = %+v", details)
	}
	if !strings.Contains(details.Message, "plain http to a loopback host") || len(details.Warnings) != 1 {
		t.Errorf("the loopback warning belongs in details.message: %+v", details)
	}
}
