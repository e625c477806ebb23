// Package ha tests several Grafana replicas sharing one Locus account
// through Redis: two or three BUILT plugin binaries, each driven over
// go-plugin/gRPC as Grafana drives it, a real redis-server on 127.0.0.1 and
// one simulator that allows one request in flight (429 beyond it).
package ha

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/redis/go-redis/v9"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/tests/pluginhost"
	"github.com/sunfleet/locus-datasource/tests/redisserver"
)

const pluginID = "sunfleet-locus-datasource"

// Distinctive credentials, so a leak into Redis or logs is found.
const (
	simPassword     = "Pw-ha-s3cret!"
	simClientSecret = "Cs-ha-s3cret!"
)

var binaryPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gpx_locus_ha")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binaryPath, err = pluginhost.Build("../..", dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cluster is N replicas, one Redis and one simulator.
type cluster struct {
	sim    *locussim.Server
	simURL string
	redis  *redisserver.Server
	hosts  []*pluginhost.Host
	lease  int

	// hold, when set, makes /v3 data requests wait at the simulator until
	// their client goes away or hold is cleared; arrived gets one value per
	// held request.
	hold    atomic.Bool
	arrived chan string

	mu   sync.Mutex
	uris []string // every request line the simulator received
}

// requestLines returns and forgets the request lines received so far.
func (c *cluster) requestLines() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.uris
	c.uris = nil
	return out
}

func startCluster(t *testing.T, replicas, leaseSeconds int) *cluster {
	t.Helper()
	cfg := locussim.DefaultConfig()
	cfg.Password, cfg.ClientSecret = simPassword, simClientSecret
	cfg.Latency = 5 * time.Millisecond
	c := &cluster{sim: locussim.New(cfg), redis: redisserver.StartT(t), lease: leaseSeconds, arrived: make(chan string, 16)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.uris = append(c.uris, r.Method+" "+r.URL.RequestURI())
		c.mu.Unlock()
		if c.hold.Load() && strings.HasSuffix(r.URL.Path, "/data") {
			c.arrived <- r.URL.RequestURI()
			<-r.Context().Done() // the client died
			return
		}
		c.sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c.simURL = srv.URL
	for i := 0; i < replicas; i++ {
		h, err := pluginhost.Start(binaryPath)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			logs := h.Logs()
			h.Close()
			for _, s := range []string{simPassword, simClientSecret} {
				if strings.Contains(logs, s) {
					t.Errorf("replica %d logged a secret", i)
				}
			}
		})
		c.hosts = append(c.hosts, h)
	}
	return c
}

// pctx is the data source every replica sees: same UID and settings, as a
// provisioned data source in a shared Grafana database.
func (c *cluster) pctx(uid string) backend.PluginContext {
	js, _ := json.Marshal(map[string]any{
		"baseUrl": c.simURL, "partnerId": locussim.DefaultPartnerID,
		"username": locussim.DefaultUsername, "clientId": locussim.DefaultClientID,
		"sharedStateUrl": c.redis.URL(), "sharedStateLeaseSeconds": c.lease,
	})
	return pluginhost.DataSourceContext(pluginID, uid, js, map[string]string{"password": simPassword, "clientSecret": simClientSecret}, time.Unix(1700000000, 0))
}

// dashboard is one request per panel, as Grafana sends them, over ranges
// that ended yesterday so every replica builds the same URLs.
func dashboard(t *testing.T, sim *locussim.Server, days int) []*backend.QueryDataRequest {
	t.Helper()
	end := time.Now().UTC().Truncate(24 * time.Hour).Add(-24 * time.Hour)
	site := sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return len(s.ComponentsOfType(locussim.NodeInverter)) > 1 && s.Startup.Before(end.AddDate(0, -3, 0))
	})
	if site == nil {
		t.Fatal("no site with inverters and three months of history")
	}
	inv := site.ComponentsOfType(locussim.NodeInverter)[0]
	q := func(ref string, from time.Time, model string) *backend.QueryDataRequest {
		return &backend.QueryDataRequest{Queries: []backend.DataQuery{{
			RefID: ref, TimeRange: backend.TimeRange{From: from, To: end}, Interval: time.Minute, MaxDataPoints: 1000, JSON: json.RawMessage(model),
		}}}
	}
	return []*backend.QueryDataRequest{
		q("energy", end.AddDate(0, 0, -days), fmt.Sprintf(`{"queryType":"timeseries","entityType":"site","siteId":"%d","fields":["Wh_sum"],"granularity":"daily"}`, site.ID)),
		q("power", end.Add(-48*time.Hour), fmt.Sprintf(`{"queryType":"timeseries","entityType":"component","siteId":"%d","componentId":"%d","fields":["W_avg"],"granularity":"hourly"}`, site.ID, inv.ID)),
		q("alerts", end.AddDate(0, 0, -days), fmt.Sprintf(`{"queryType":"alerts","scope":"site","siteId":"%d"}`, site.ID)),
		q("sites", end.Add(-time.Hour), `{"queryType":"metadata","kind":"sites"}`),
	}
}

// load sends every panel of the dashboard to replica i at once and
// returns the rows per panel.
func (c *cluster) load(ctx context.Context, i int, pctx backend.PluginContext, reqs []*backend.QueryDataRequest, headers map[string]string) ([]int, error) {
	out := make([]int, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for k, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := *r
			req.PluginContext = pctx
			req.Headers = headers
			resp, err := c.hosts[i].QueryData(ctx, &req)
			if err != nil {
				errs[k] = err
				return
			}
			for ref, dr := range resp.Responses {
				if dr.Error != nil {
					errs[k] = fmt.Errorf("replica %d panel %s: %v", i, ref, dr.Error)
					return
				}
				for _, f := range dr.Frames {
					n, _ := f.RowLen()
					out[k] += n
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// loadAll loads the dashboard on every replica at once.
func (c *cluster) loadAll(t *testing.T, pctx backend.PluginContext, reqs []*backend.QueryDataRequest, headers map[string]string) [][]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rows := make([][]int, len(c.hosts))
	errs := make([]error, len(c.hosts))
	var wg sync.WaitGroup
	for i := range c.hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows[i], errs[i] = c.load(ctx, i, pctx, reqs, headers)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return rows
}

func (c *cluster) health(t *testing.T, i int, pctx backend.PluginContext) (*backend.CheckHealthResult, map[string]any) {
	t.Helper()
	res, err := c.hosts[i].CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: pctx})
	if err != nil {
		t.Fatal(err)
	}
	var details map[string]any
	_ = json.Unmarshal(res.JSONDetails, &details)
	return res, details
}

// soloCount is the upstream /v3 requests of one load on one replica, on a
// data source of its own (its own cache keys).
func (c *cluster) soloCount(t *testing.T, uid string, reqs []*backend.QueryDataRequest, headers map[string]string) (locussim.Stats, []int) {
	t.Helper()
	c.sim.ResetStats()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rows, err := c.load(ctx, 0, c.pctx(uid), reqs, headers)
	if err != nil {
		t.Fatal(err)
	}
	return c.sim.Stats(), rows
}

func checkOneInFlight(t *testing.T, st locussim.Stats) {
	t.Helper()
	if st.MaxInFlight > 1 {
		t.Errorf("the simulator saw %d requests of the account in flight at once; the account allows 1", st.MaxInFlight)
	}
	if n := st.ByStatus[http.StatusTooManyRequests]; n != 0 {
		t.Errorf("the simulator answered 429 %d times", n)
	}
}

func TestDashboardOnThreeReplicasCostsWhatOneReplicaCosts(t *testing.T) {
	c := startCluster(t, 3, 15)
	reqs := dashboard(t, c.sim, 30)
	solo, soloRows := c.soloCount(t, "ha-solo", reqs, nil)
	soloLines := c.requestLines()
	if solo.API == 0 {
		t.Fatal("the dashboard made no upstream request")
	}
	c.sim.ResetStats()
	rows := c.loadAll(t, c.pctx("ha-shared"), reqs, nil)
	st := c.sim.Stats()
	if st.API != solo.API {
		t.Errorf("3 replicas made %d upstream requests, one replica %d: want the same\nthree replicas:\n%s\none replica:\n%s", st.API, solo.API, strings.Join(c.requestLines(), "\n"), strings.Join(soloLines, "\n"))
	}
	checkOneInFlight(t, st)
	for i, r := range rows {
		if fmt.Sprint(r) != fmt.Sprint(soloRows) {
			t.Errorf("replica %d got rows %v, one replica alone %v", i, r, soloRows)
		}
	}
	// Nothing in Redis is a credential, a token or a clear response.
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", c.redis.Port)})
	defer rdb.Close()
	keys, err := rdb.Keys(context.Background(), "*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("Redis keys: %v %v", keys, err)
	}
	for _, k := range keys {
		v, _ := rdb.Dump(context.Background(), k).Result()
		for _, s := range []string{simPassword, simClientSecret, `"Wh_sum"`, locussim.DefaultUsername, "access_token"} {
			if strings.Contains(k, s) || strings.Contains(v, s) {
				t.Errorf("Redis key %q (or its value) contains %q in clear", k, s)
			}
		}
	}
}

func TestAlertRuleOnEveryReplicaMakesOneSetOfRequests(t *testing.T) {
	c := startCluster(t, 3, 15)
	alert := dashboard(t, c.sim, 7)[:1] // the energy query, as an alert rule runs it
	headers := map[string]string{"FromAlert": "true"}
	solo, _ := c.soloCount(t, "ha-alert-solo", alert, headers)
	c.sim.ResetStats()
	c.loadAll(t, c.pctx("ha-alert"), alert, headers)
	st := c.sim.Stats()
	if st.API != solo.API {
		t.Errorf("the rule evaluated on 3 replicas made %d upstream requests %v, on one %d %v", st.API, st.ByEndpoint, solo.API, solo.ByEndpoint)
	}
	checkOneInFlight(t, st)
}

func TestKilledReplicaFreesItsSlotWithinTheLease(t *testing.T) {
	const lease = 2
	c := startCluster(t, 2, lease)
	pctx := c.pctx("ha-kill")
	reqs := dashboard(t, c.sim, 10)
	// Warm metadata on replica 1 so its later query needs only data.
	if _, err := c.load(context.Background(), 1, pctx, reqs[3:], nil); err != nil {
		t.Fatal(err)
	}
	c.hold.Store(true)
	go func() { _, _ = c.load(context.Background(), 0, pctx, reqs[:1], nil) }()
	select {
	case <-c.arrived: // replica 0 holds the account's only slot, mid-request
	case <-time.After(2 * time.Minute):
		t.Fatal("replica 0's request never reached the simulator")
	}
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", c.redis.Port)})
	defer rdb.Close()
	ctx := context.Background()
	holders, err := rdb.ZRangeWithScores(ctx, "locus:"+accountOf(t, rdb)+":holders", 0, -1).Result()
	if err != nil || len(holders) != 1 {
		t.Fatalf("holders while replica 0 is mid-request: %v %v", holders, err)
	}
	killedAt, _ := rdb.Time(ctx).Result()
	if exp := time.UnixMilli(int64(holders[0].Score)); exp.After(killedAt.Add(lease * time.Second)) {
		t.Errorf("the slot's lease runs to %s, more than %ds after %s", exp, lease, killedAt)
	}
	if err := c.hosts[0].KillHard(); err != nil {
		t.Fatal(err)
	}
	c.hold.Store(false)
	qctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := c.load(qctx, 1, pctx, reqs[1:2], nil); err != nil {
		t.Fatalf("replica 1 never got the killed replica's slot: %v", err)
	}
}

// accountOf finds the limiter's (hashed) account name in Redis.
func accountOf(t *testing.T, rdb *redis.Client) string {
	t.Helper()
	keys, err := rdb.Keys(context.Background(), "locus:*:holders").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("limiter keys: %v %v", keys, err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(keys[0], "locus:"), ":holders")
}

func TestRedisDownFallsBackAndReturns(t *testing.T) {
	c := startCluster(t, 3, 15)
	pctx := c.pctx("ha-down")
	for i := range c.hosts {
		if res, d := c.health(t, i, pctx); res.Status != backend.HealthStatusOk || d["sharedState"] != "shared" {
			t.Fatalf("replica %d health with Redis up: %s %v", i, res.Message, d)
		}
	}
	c.redis.Stop()
	c.sim.ResetStats()
	rows := c.loadAll(t, pctx, dashboard(t, c.sim, 20), nil)
	for i, r := range rows {
		if r[0] == 0 {
			t.Errorf("replica %d answered no rows with Redis down", i)
		}
	}
	st := c.sim.Stats()
	if n := st.ByStatus[http.StatusTooManyRequests]; n > st.API/2 {
		t.Errorf("with Redis down the replicas met %d answers of 429 for %d requests: a storm", n, st.API)
	}
	res, d := c.health(t, 0, pctx)
	if d["sharedState"] != "fallback" || !strings.Contains(res.Message+fmt.Sprint(d["message"]), "unreachable") {
		t.Errorf("health with Redis down: %q %v; want the fallback warning", res.Message, d)
	}
	if err := c.redis.Restart(); err != nil {
		t.Fatal(err)
	}
	// Each replica notices within its probe interval; wait for the event.
	deadline := time.Now().Add(2 * time.Minute)
	for i := range c.hosts {
		for {
			_, d := c.health(t, i, pctx)
			if d["sharedState"] == "shared" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("replica %d never returned to the shared state: %v", i, d)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	c.sim.ResetStats()
	c.loadAll(t, pctx, dashboard(t, c.sim, 40), nil)
	checkOneInFlight(t, c.sim.Stats())
}

func TestInvalidSharedStateURLIsASettingsError(t *testing.T) {
	c := startCluster(t, 1, 15)
	js, _ := json.Marshal(map[string]any{
		"baseUrl": c.simURL, "partnerId": locussim.DefaultPartnerID, "username": locussim.DefaultUsername,
		"clientId": locussim.DefaultClientID, "sharedStateUrl": "redis://:hunter2@127.0.0.1:6379/0",
	})
	pctx := pluginhost.DataSourceContext(pluginID, "ha-bad", js, map[string]string{"password": simPassword, "clientSecret": simClientSecret}, time.Now())
	res, d := c.health(t, 0, pctx)
	if res.Status != backend.HealthStatusError || d["field"] != "sharedStateUrl" || strings.Contains(res.Message, "hunter2") {
		t.Errorf("a password in the URL: %s %v; want a sharedStateUrl settings error without the password", res.Message, d)
	}
}
