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
	cfg := locussim.DefaultConfig()
	cfg.Password, cfg.ClientSecret = simPassword, simClientSecret
	sim := locussim.New(cfg)
	srv := httptest.NewServer(tokenRecorder(sim))
	t.Cleanup(srv.Close)
	return sim, srv.URL
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
	for _, s := range secrets() {
		if strings.Contains(text, s) {
			t.Errorf("%s contains a secret or token (%.4s…)", where, s)
		}
	}
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
	return dsContext(map[string]any{
		"baseUrl": base, "partnerId": locussim.DefaultPartnerID,
		"username": locussim.DefaultUsername, "clientId": locussim.DefaultClientID,
	}, map[string]string{"password": password, "clientSecret": simClientSecret})
}

func demoContext() backend.PluginContext {
	return dsContext(map[string]any{"demoMode": true}, nil)
}

// fleetPick are entity ids of the default fleet for queries.
type fleetPick struct {
	site      *locussim.Site
	inverters []*locussim.Component
	sites     []*locussim.Site
}

func pick(t *testing.T, sim *locussim.Server) fleetPick {
	t.Helper()
	now := time.Now()
	site := sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return len(s.ComponentsOfType(locussim.NodeInverter)) > 1 && s.Startup.Before(now.AddDate(0, -3, 0))
	})
	if site == nil {
		t.Fatal("no site with several inverters and three months of history")
	}
	var sites []*locussim.Site
	for _, s := range sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		if s.Startup.Before(now.AddDate(0, 0, -2)) && len(sites) < 3 {
			sites = append(sites, s)
		}
	}
	return fleetPick{site: site, inverters: site.ComponentsOfType(locussim.NodeInverter), sites: sites}
}

func dataQuery(ref string, tr backend.TimeRange, model string) backend.DataQuery {
	return backend.DataQuery{RefID: ref, TimeRange: tr, Interval: time.Minute, MaxDataPoints: 1000, JSON: json.RawMessage(model)}
}

// queriesOfEachType is one query of every type.
func queriesOfEachType(p fleetPick) []backend.DataQuery {
	now := time.Now()
	day := backend.TimeRange{From: now.Add(-24 * time.Hour), To: now}
	months := backend.TimeRange{From: now.AddDate(0, -3, 0), To: now}
	return []backend.DataQuery{
		dataQuery("timeseries", day, fmt.Sprintf(`{"queryType":"timeseries","entityType":"site","siteId":"%d","fields":["W_avg","Wh_sum"]}`, p.site.ID)),
		dataQuery("latest", day, fmt.Sprintf(`{"queryType":"latest","componentId":"%d","fields":["W_avg"]}`, p.inverters[0].ID)),
		dataQuery("bulk", months, `{"queryType":"bulk","fields":["Wh_sum"],"format":"table"}`),
		dataQuery("alerts", months, `{"queryType":"alerts","scope":"partner"}`),
		dataQuery("metadata", day, `{"queryType":"metadata","kind":"sites"}`),
	}
}

// rows counts the rows of every frame of a response.
func rows(r backend.DataResponse) int {
	n := 0
	for _, f := range r.Frames {
		if l, err := f.RowLen(); err == nil {
			n += l
		}
	}
	return n
}
