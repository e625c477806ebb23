package faults

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// A full run of everything that can show text (queries under faults, bad
// input, token renewal and fallback, failed and passing health checks,
// every resource route and their errors) never shows the password, the
// client secret or any access or refresh token seen on the wire, in any
// log line at any level, error, frame meta, resource body or health message.
func TestSecretsNeverSurface(t *testing.T) {
	scenario(t)
	o := newOrigin(t, func(c *locussim.Config) { c.Faults = locussim.Faults{Rate429: 0.1, Rate5xx: 0.1} })
	d := newHost(t, settingsFor(o, nil, nil), fastRetries(10))
	site := o.sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool { return s.HasTypes(locussim.NodeInverter) })
	start := len(surface.String())

	health(t, d)
	expireAfter(o, 3, true)
	runDashboard(t, o, d)
	o.wire.setOnRequest(nil)
	run(context.Background(), t, d, testkit.Query{Ref: "bad", JSON: `{"queryType":"timeseries","siteId":"x","fields":["W_avg"]}`, From: day(2025, 6, 1), To: day(2025, 6, 2), Interval: time.Hour, MaxDP: 10})
	for _, p := range []string{"/clients", "/sites?q=a", fmt.Sprintf("/sites/%d", site.ID), fmt.Sprintf("/sites/%d/components", site.ID),
		"/components?nodeId=%25", fmt.Sprintf("/dataavailable?entityType=site&id=%d", site.ID), "/bulk/dataavailable",
		fmt.Sprintf("/plan?entityType=site&id=%d&from=1748736000000&to=1749340800000&fields=W_avg", site.ID), "/timezones",
		"/sites/abc", "/nope", "/sites/999999999"} {
		resource(t, d, http.MethodGet, p)
	}
	// Every kind of failure a health check reports.
	o.sim.SetFaults(locussim.Faults{})
	health(t, newHost(t, settingsFor(o, nil, map[string]string{"password": "wrong-" + testPassword}), nil))
	health(t, newHost(t, settingsFor(o, nil, map[string]string{"clientSecret": testClientSecret + "-x"}), nil))
	health(t, newHost(t, settingsFor(o, map[string]any{"partnerId": 9999}, nil), nil))
	o.sim.SetFaults(locussim.Faults{Rate5xx: 1})
	health(t, d)
	o.sim.SetFaults(locussim.Faults{RateMalformed: 1})
	health(t, d)
	o.sim.SetFaults(locussim.Faults{})
	d.Dispose()
	run(context.Background(), t, d, dashboard(t, o)[0]) // a disposed instance

	text := surface.String()[start:]
	all := secrets.list()
	tokens := 0
	for _, s := range all {
		if s != testPassword && s != testClientSecret && !strings.Contains(s, testPassword) && !strings.Contains(s, testClientSecret) {
			tokens++
		}
	}
	if tokens < 3 {
		t.Fatalf("only %d tokens were observed on the wire: the check would prove little", tokens)
	}
	for _, want := range []string{"debug ", "warn ", "frame meta:", "resource GET", "health:", "query error:"} {
		if !strings.Contains(text, want) {
			t.Errorf("the capture holds no %q line: it does not see everything", want)
		}
	}
	if found := leaks(text, all); len(found) > 0 {
		t.Fatalf("secrets surfaced: %v", found)
	}
	t.Logf("checked %d bytes of logs, errors, meta, resources and health against %d secrets (%d tokens)", len(text), len(all), tokens)
}

// Two instances on different Locus accounts: each sees only its partner's
// data; the other's cached data and tokens are never served to it; their
// requests are not serialised behind each other (the queue is per account).
func TestTwoAccountsShareNothing(t *testing.T) {
	scenario(t)
	o := newOrigin(t, func(c *locussim.Config) { c.Latency = 20 * time.Millisecond })
	var inFlight, peak atomic.Int64
	o.wire.setOnRequest(func(r *http.Request) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		go func() { <-r.Context().Done(); inFlight.Add(-1) }()
	})
	main := newHost(t, settingsFor(o, nil, nil), nil)
	other := newHost(t, settingsFor(o, map[string]any{"partnerId": locussim.OtherPartnerID, "username": locussim.OtherUsername},
		map[string]string{"password": locussim.OtherPassword}), nil)
	fleet := o.sim.Fleet()
	mainSite := fleet.FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool { return s.HasTypes(locussim.NodeInverter) })
	otherSite := fleet.SitesOfPartner(locussim.OtherPartnerID)[0]
	sites := testkit.Query{Ref: "sites", JSON: `{"queryType":"metadata","kind":"sites"}`, From: day(2025, 6, 1), To: day(2025, 6, 2), Interval: time.Hour, MaxDP: 100}
	dataOf := func(id int64) testkit.Query {
		return testkit.Query{Ref: "data", JSON: fmt.Sprintf(`{"queryType":"timeseries","siteId":"%d","fields":["Wh_sum"],"granularity":"daily"}`, id),
			From: day(2025, 6, 1), To: day(2025, 7, 1), Interval: time.Hour, MaxDP: 1000}
	}

	// Both load at once: each sees only its own partner.
	var wg sync.WaitGroup
	var mainResp, otherResp *backend.QueryDataResponse
	wg.Add(2)
	go func() { defer wg.Done(); mainResp = run(context.Background(), t, main, sites, dataOf(mainSite.ID)) }()
	go func() { defer wg.Done(); otherResp = run(context.Background(), t, other, sites, dataOf(otherSite.ID)) }()
	wg.Wait()
	assertOnlyPartner(t, "main", testkit.Frames(t, mainResp, "sites")[0].Rows(), fleet.SitesOfPartner(locussim.DefaultPartnerID))
	assertOnlyPartner(t, "other", testkit.Frames(t, otherResp, "sites")[0].Rows(), fleet.SitesOfPartner(locussim.OtherPartnerID))
	testkit.Frames(t, mainResp, "data")
	testkit.Frames(t, otherResp, "data")
	if peak.Load() < 2 {
		t.Errorf("the two accounts never had requests in flight at once (peak %d): one account's queue held the other back", peak.Load())
	}

	// The main account's cached site data is never served to the other account.
	r := testkit.Failed(t, run(context.Background(), t, other, dataOf(mainSite.ID)), "data")
	if r.Status != backend.StatusForbidden {
		t.Errorf("the other account asking for the main account's cached site got %d %v, want 403 from Locus", r.Status, r.Error)
	}
	r = testkit.Failed(t, run(context.Background(), t, main, dataOf(otherSite.ID)), "data")
	if r.Status != backend.StatusForbidden {
		t.Errorf("the main account asking for the other's cached site got %d %v, want 403 from Locus", r.Status, r.Error)
	}
	if st := o.sim.Stats(); st.TokenGrants["password"] != 2 {
		t.Errorf("token grants %v: want one password grant per account", st.TokenGrants)
	}
}

// assertOnlyPartner checks that a sites table holds exactly the partner's sites.
func assertOnlyPartner(t *testing.T, who string, rows int, want []*locussim.Site) {
	t.Helper()
	if rows != len(want) {
		t.Errorf("%s instance lists %d sites, want its partner's %d", who, rows, len(want))
	}
}

// A settings change makes Grafana dispose the instance and build a new one:
// the new one keeps nothing of the old (no cached data, no token): with a
// wrong password it fails even for what the old one had cached, and the
// disposed instance answers with a clear error instead of stale data.
func TestSettingsChangeDropsOldState(t *testing.T) {
	scenario(t)
	o := newOrigin(t, nil)
	old := newHost(t, settingsFor(o, nil, nil), nil)
	p := dashboard(t, o)[1]
	want := testkit.Frames(t, run(context.Background(), t, old, p), p.Ref)
	before := o.sim.Stats().API
	testkit.Frames(t, run(context.Background(), t, old, p), p.Ref)
	if o.sim.Stats().API != before {
		t.Fatal("the repeated query was not served from the old instance's cache: the scenario proves nothing")
	}
	old.Dispose()
	r := testkit.Failed(t, run(context.Background(), t, old, p), p.Ref)
	t.Logf("disposed instance: %d %v", r.Status, r.Error)

	changed := newHost(t, settingsFor(o, nil, map[string]string{"password": "changed-" + testPassword}), nil)
	r = testkit.Failed(t, run(context.Background(), t, changed, p), p.Ref)
	if r.Status != backend.StatusUnauthorized {
		t.Errorf("new instance with a wrong password: %d %v, want 401 (not the old instance's cached data or token)", r.Status, r.Error)
	}
	fixed := newHost(t, settingsFor(o, nil, nil), nil)
	sameFrames(t, "new instance", want, testkit.Frames(t, run(context.Background(), t, fixed, p), p.Ref))
}

// The resource endpoints serve only the editors' routes: anything else is
// 404, a wrong method 405, a bad id 400; none of them reaches Locus.
func TestResourcesAreNoProxy(t *testing.T) {
	o := newOrigin(t, nil)
	d := newHost(t, settingsFor(o, nil, nil), nil)
	cases := []struct {
		method, path string
		status       int
	}{
		{"GET", "/v3/sites/1/data?fields=W_avg", 404},
		{"GET", "/v3/partners/4242/sites", 404},
		{"GET", "/oauth/token", 404},
		{"POST", "/oauth/token", 404},
		{"GET", "/proxy?url=http://169.254.169.254/latest/meta-data", 404},
		{"GET", "/sites/1/../../oauth/token", 404},
		{"GET", "/sites/1/data", 404},
		{"GET", "/sites/1/components/2", 404},
		{"GET", "/sites/", 404},
		{"GET", "/sites/abc", 400},
		{"GET", "/sites/-1", 400},
		{"GET", "/sites/1.5", 400},
		{"GET", "/sites/1e3", 400},
		{"GET", "/sites/99999999999999999999", 400},
		{"GET", "/sites/0x10/components", 400},
		{"GET", "/dataavailable?entityType=site&id=1%20OR%201", 400},
		{"GET", "/dataavailable?entityType=plant&id=1", 400},
		{"GET", "/components?limit=1000000", 400},
		{"POST", "/sites", 405},
		{"DELETE", "/sites/1", 405},
		{"PUT", "/clients", 405},
	}
	before := o.sim.Stats().Total
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			scenario(t)
			status, body := resource(t, d, c.method, c.path)
			if status != c.status {
				t.Errorf("status %d, want %d: %s", status, c.status, body)
			}
			if !strings.HasPrefix(strings.TrimSpace(body), `{"error":`) {
				t.Errorf("body %s is not a JSON error", body)
			}
		})
	}
	if after := o.sim.Stats().Total; after != before {
		t.Errorf("%d requests reached Locus through refused resource calls", after-before)
	}
}
