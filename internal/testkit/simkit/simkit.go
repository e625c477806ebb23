// Package simkit starts the Locus simulator (pkg/locussim) for tests and
// holds what tests of the engine, the plugin host and the built binary
// share about it: fleet picks, data source settings for its accounts and
// the query set of one query of every type (testdata/queries).
package simkit

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// Sim is a simulator served on 127.0.0.1 for one test.
type Sim struct {
	*locussim.Server
	// URL is its base URL (the data source's baseUrl).
	URL string
}

// Start serves a simulator of the default config until the test ends. now
// is its clock (nil: the wall clock); mod, if not nil, adjusts its config;
// wrap, if not nil, wraps its handler (to inject a fault it has no knob for).
func Start(t testing.TB, now func() time.Time, mod func(*locussim.Config), wrap func(http.Handler) http.Handler) *Sim {
	t.Helper()
	cfg := locussim.DefaultConfig()
	if now != nil {
		cfg.Now = now
	}
	if mod != nil {
		mod(&cfg)
	}
	sim, url := Serve(t, cfg, wrap)
	return &Sim{Server: sim, URL: url}
}

// Serve serves a simulator of cfg on 127.0.0.1 until the test ends and
// returns it and its base URL; wrap is as for Start.
func Serve(t testing.TB, cfg locussim.Config, wrap func(http.Handler) http.Handler) (*locussim.Server, string) {
	t.Helper()
	sim := locussim.New(cfg)
	return sim, testkit.Serve(t, sim, wrap)
}

// Settings are data source instance settings for the simulator's main
// account at baseURL. overrides replace jsonData keys (a nil value deletes
// the key) and secrets replace secure keys (password, clientSecret).
func Settings(baseURL string, overrides map[string]any, secrets map[string]string) backend.DataSourceInstanceSettings {
	js := map[string]any{
		"baseUrl":   baseURL,
		"partnerId": locussim.DefaultPartnerID,
		"username":  locussim.DefaultUsername,
		"clientId":  locussim.DefaultClientID,
	}
	for k, v := range overrides {
		if v == nil {
			delete(js, k)
			continue
		}
		js[k] = v
	}
	raw, _ := json.Marshal(js)
	sec := map[string]string{"password": locussim.DefaultPassword, "clientSecret": locussim.DefaultClientSecret}
	for k, v := range secrets {
		sec[k] = v
	}
	return backend.DataSourceInstanceSettings{UID: "test", JSONData: raw, DecryptedSecureJSONData: sec, Updated: time.Now()}
}

// FindSite returns a main-partner site in zone ("" for any) whose data
// starts before notAfter and that has every node type listed; it fails the
// test if the fleet has none.
func FindSite(t testing.TB, sim *locussim.Server, zone string, notAfter time.Time, types ...string) *locussim.Site {
	t.Helper()
	s := sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return (zone == "" || s.Timezone == zone) && s.Startup.Before(notAfter) && s.HasTypes(types...)
	})
	if s == nil {
		t.Fatalf("the simulated fleet has no site in %q started before %s with %v", zone, notAfter, types)
	}
	return s
}

// MainAccount are the credentials of the default simulator's main account.
var MainAccount = testkit.Credentials{
	ClientID: locussim.DefaultClientID, ClientSecret: locussim.DefaultClientSecret,
	Username: locussim.DefaultUsername, Password: locussim.DefaultPassword,
}
