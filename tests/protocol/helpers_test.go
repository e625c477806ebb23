package protocol

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
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

var secrets = []string{simPassword, simClientSecret, wrongPassword}

// startSim serves a simulator with the test credentials on 127.0.0.1.
func startSim(t *testing.T) (*locussim.Server, string) {
	t.Helper()
	cfg := locussim.DefaultConfig()
	cfg.Password, cfg.ClientSecret = simPassword, simClientSecret
	sim := locussim.New(cfg)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv.URL
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
		for _, s := range secrets {
			if strings.Contains(logs, s) {
				t.Errorf("plugin logs contain a secret (%q)", s)
			}
		}
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
