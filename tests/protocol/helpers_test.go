package protocol

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/tests/pluginhost"
)

const pluginID = "sunfleet-locus-datasource"

// Distinctive credentials, so that a leak into logs or responses is found.
const (
	simPassword     = "Pw-proto-s3cret!"
	simClientSecret = "Cs-proto-s3cret!"
	wrongPassword   = "Wrong-proto-s3cret!"
)

var fixedSecrets = []string{simPassword, simClientSecret, wrongPassword}

// issuedTokens are the access and refresh tokens the simulators handed out,
// recorded so tests can prove none of them leaks either.
var issuedTokens sync.Map

// secrets lists every credential and token seen so far.
func secrets() []string {
	out := append([]string{}, fixedSecrets...)
	issuedTokens.Range(func(k, _ any) bool {
		out = append(out, k.(string))
		return true
	})
	return out
}

// startSim serves a simulator with the test credentials on 127.0.0.1,
// recording the tokens it issues.
func startSim(t *testing.T) (*locussim.Server, string) {
	t.Helper()
	sim := simkit.Start(t, nil, func(c *locussim.Config) { c.Password, c.ClientSecret = simPassword, simClientSecret }, tokenRecorder)
	return sim.Server, sim.URL
}

// tokenRecorder passes requests to next and remembers the tokens in
// /oauth/token responses.
func tokenRecorder(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth/token" {
			next.ServeHTTP(w, r)
			return
		}
		r.Header.Del("Accept-Encoding") // keep the body readable here
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var tok struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		}
		if json.Unmarshal(rec.Body.Bytes(), &tok) == nil {
			for _, s := range []string{tok.AccessToken, tok.RefreshToken} {
				if len(s) >= 8 {
					issuedTokens.Store(s, true)
				}
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// assertNoSecret fails if any credential or issued token appears in text.
func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	testkit.AssertNoSecrets(t, where, text, secrets()...)
}

// startPlugin starts the built binary; it is stopped when the test ends,
// after checking that it never logged a secret.
func startPlugin(t *testing.T) *pluginhost.Host {
	t.Helper()
	h, err := pluginhost.Start(binaryPath)
	if err != nil {
		t.Fatalf("start plugin: %v", err)
	}
	t.Cleanup(func() {
		logs := h.Logs()
		h.Close()
		if !strings.Contains(logs, "plugin") {
			t.Errorf("no plugin log output was captured")
		}
		assertNoSecret(t, "plugin logs", logs)
	})
	return h
}

var uidSeq atomic.Int64

// dsContext is the plugin context of a fresh data source instance.
func dsContext(jsonData map[string]any, secure map[string]string) backend.PluginContext {
	raw, _ := json.Marshal(jsonData)
	uid := fmt.Sprintf("proto-%d", uidSeq.Add(1))
	return pluginhost.DataSourceContext(pluginID, uid, raw, secure, time.Now())
}

// simContext is a data source pointing at the simulator's main account.
func simContext(base string, password string) backend.PluginContext {
	s := simkit.Settings(base, nil, map[string]string{"password": password, "clientSecret": simClientSecret})
	uid := fmt.Sprintf("proto-%d", uidSeq.Add(1))
	return pluginhost.DataSourceContext(pluginID, uid, s.JSONData, s.DecryptedSecureJSONData, time.Now())
}

func demoContext() backend.PluginContext {
	return dsContext(map[string]any{"demoMode": true}, nil)
}
