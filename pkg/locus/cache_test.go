package locus

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

const sitesRoute = "GET /v3/partners/{id}/sites"

func TestSingleFlightAndCacheCounts(t *testing.T) {
	g := testkit.NewGate("/v3/partners/4242/sites")
	e := newEnv(t, nil, g.Wrap)
	a := e.authedAPI(t, nil)
	const callers = 10
	stats := make([]*CallStats, callers)
	var wg sync.WaitGroup
	for i := range callers {
		ctx, cs := WithCallStats(bg())
		stats[i] = cs
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := a.Sites(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	waitFor(t, func() bool { return a.flightWaiters("/v3/partners/4242/sites") == callers })
	g.Open()
	wg.Wait()
	var upstream, shared int64
	for _, cs := range stats {
		upstream += cs.Upstream.Load()
		shared += cs.Shared.Load()
	}
	if got := e.sim.Stats().Count(sitesRoute); got != 1 {
		t.Fatalf("upstream sites requests = %d, want 1 for %d identical concurrent calls", got, callers)
	}
	if upstream != 1 || shared != callers-1 {
		t.Fatalf("CallStats upstream=%d shared=%d, want 1 and %d", upstream, shared, callers-1)
	}

	ctx, cs := WithCallStats(bg())
	if _, err := a.Sites(ctx); err != nil {
		t.Fatal(err)
	}
	if cs.CacheHits.Load() != 1 || cs.Upstream.Load() != 0 || e.sim.Stats().Count(sitesRoute) != 1 {
		t.Fatalf("repeat call: %+v; want a cache hit and no request", cs.Snapshot())
	}
	if ex := cs.Executed(); len(ex) != 1 || ex[0] != "GET /v3/partners/4242/sites" {
		t.Fatalf("Executed = %q", ex)
	}

	// Past its lifetime the list is served stale at once and refreshed in
	// the background: one more request, which nobody waited for.
	e.clock.Advance(DefaultMetadataTTL + time.Second)
	ctx, cs = WithCallStats(bg())
	if _, err := a.Sites(ctx); err != nil {
		t.Fatal(err)
	}
	if cs.Stale.Load() != 1 || cs.Upstream.Load() != 0 {
		t.Fatalf("after the metadata lifetime: %+v; want a stale hit and no request of the caller's own", cs.Snapshot())
	}
	if err := a.WaitBackground(bg()); err != nil {
		t.Fatal(err)
	}
	if got := e.sim.Stats().Count(sitesRoute); got != 2 {
		t.Fatalf("after the metadata lifetime: %d requests, want 2 (one background refresh)", got)
	}
	// Past lifetime + stale grace the entry is gone: the caller waits for it.
	e.clock.Advance(DefaultMetadataTTL + DefaultMetadataStale + time.Second)
	ctx, cs = WithCallStats(bg())
	if _, err := a.Sites(ctx); err != nil {
		t.Fatal(err)
	}
	if cs.Stale.Load() != 0 || cs.Upstream.Load() != 1 || e.sim.Stats().Count(sitesRoute) != 3 {
		t.Fatalf("past the stale grace: %+v; want the caller's own request", cs.Snapshot())
	}
}

// TestStaleMetadataRefreshRunsInTheBackgroundLane: the refresh of stale
// metadata is made on LaneBackground, never with the caller's lane, and
// only after flush when the caller deferred refreshes.
func TestStaleMetadataRefreshRunsInTheBackgroundLane(t *testing.T) {
	var sent laneLog
	e := newEnv(t, nil, nil)
	a := e.api(t, func(c *Config) {
		sent.record(c, func(path string) bool { return strings.HasSuffix(path, "/sites") })
	})
	if _, err := a.Sites(WithLane(bg(), LaneAlert)); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(DefaultMetadataTTL + time.Second)
	ctx, flush := a.DeferRefreshes(WithLane(bg(), LaneAlert))
	if _, err := a.Sites(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitBackground(bg()); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Stats().Count(sitesRoute); n != 1 {
		t.Fatalf("%d site list requests before flush, want 1 (the refresh waits for flush)", n)
	}
	flush()
	if err := a.WaitBackground(bg()); err != nil {
		t.Fatal(err)
	}
	if lanes := sent.all(); len(lanes) != 2 || lanes[0] != LaneAlert || lanes[1] != LaneBackground {
		t.Fatalf("site list requests made on lanes %v, want [alert background]", lanes)
	}
}

func TestCancelledCallerDoesNotFailSharedFlight(t *testing.T) {
	g := testkit.NewGate("/v3/partners/4242/sites")
	e := newEnv(t, nil, g.Wrap)
	a := e.authedAPI(t, nil)
	ctx, cancel := contextWithCancel()
	first := make(chan error, 1)
	go func() { _, err := a.Sites(ctx); first <- err }()
	<-g.Arrived
	second := make(chan error, 1)
	go func() { _, err := a.Sites(bg()); second <- err }()
	waitFor(t, func() bool { return a.flightWaiters("/v3/partners/4242/sites") == 2 })
	cancel()
	if err := <-first; !IsKind(err, KindCanceled) {
		t.Fatalf("cancelled caller: %v", err)
	}
	g.Open()
	if err := <-second; err != nil {
		t.Fatalf("the other caller of the shared request failed: %v", err)
	}
	if got := e.sim.Stats().Count(sitesRoute); got != 1 {
		t.Fatalf("requests = %d, want 1", got)
	}
}

func TestDataLifetimeDependsOnTheInterval(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	s := e.site(t, 0)
	req := func(start, end string) DataRequest {
		return DataRequest{Kind: KindSite, ID: s.ID, Fields: []string{"Wh_sum"}, Start: start, End: end, TZ: s.Timezone, Gran: "hourly"}
	}
	local := testNow.In(s.Location())
	past := req(local.AddDate(0, 0, -10).Format(wallLayout), local.AddDate(0, 0, -9).Format(wallLayout))
	recent := req(local.Add(-6*time.Hour).Format(wallLayout), local.Add(time.Hour).Format(wallLayout))
	for _, r := range []DataRequest{past, recent} {
		if _, err := a.Data(bg(), r); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(2 * time.Minute) // past RecentDataTTL, within PastDataTTL
	ctx, cs := WithCallStats(bg())
	for _, r := range []DataRequest{past, recent} {
		if _, err := a.Data(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if cs.CacheHits.Load() != 1 || cs.Upstream.Load() != 1 {
		t.Fatalf("after 2 minutes: %+v; want the past interval cached and the recent one refetched", cs.Snapshot())
	}
	if got := e.sim.Stats().Count("GET /v3/sites/{id}/data"); got != 3 {
		t.Fatalf("data requests = %d, want 3", got)
	}
}

func TestCacheIsPerInstance(t *testing.T) {
	e := newEnv(t, nil, nil)
	a, b := e.api(t, nil), e.api(t, nil)
	for _, api := range []*API{a, b, a, b} {
		if _, err := api.Clients(bg()); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.sim.Stats().Count("GET /v3/partners/{id}/clients"); got != 2 {
		t.Fatalf("requests = %d, want one per instance (2)", got)
	}
	// And different accounts see their own data.
	other := e.api(t, func(c *Config) {
		c.Username, c.Password, c.PartnerID = locussim.OtherUsername, locussim.OtherPassword, locussim.OtherPartnerID
	})
	mine, _ := a.Sites(bg())
	theirs, err := other.Sites(bg())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range theirs {
		for _, m := range mine {
			if s.ID == m.ID {
				t.Fatalf("site %d appears for both accounts", s.ID)
			}
		}
	}
}

func TestCallersGetIndependentCopies(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	sites, err := a.Sites(bg())
	if err != nil || len(sites) == 0 {
		t.Fatal(err)
	}
	name := sites[0].Name
	sites[0].Name = "changed by a caller"
	again, _ := a.Sites(bg())
	if again[0].Name != name {
		t.Fatal("a caller's change leaked into the cache")
	}
}

func TestCacheBoundedByBytesAndEntries(t *testing.T) {
	now := testNow
	c := newCache(1000, 5)
	for i := range 20 {
		c.put(fmt.Sprint(i), i, 100, now, time.Hour)
	}
	if n, b := c.usage(); n != 5 || b != 500 {
		t.Fatalf("usage = %d entries, %d bytes; want 5 entries (entry cap)", n, b)
	}
	if _, ok := c.get("19", now); !ok {
		t.Fatal("newest entry evicted")
	}
	if _, ok := c.get("0", now); ok {
		t.Fatal("oldest entry kept")
	}
	c2 := newCache(1000, 100)
	for i := range 20 {
		c2.put(fmt.Sprint(i), i, 200, now, time.Hour)
	}
	if n, b := c2.usage(); b > 1000 || n != 5 {
		t.Fatalf("usage = %d entries, %d bytes; want at most 1000 bytes", n, b)
	}
	c2.put("huge", 0, 600, now, time.Hour)
	if _, ok := c2.get("huge", now); ok {
		t.Fatal("an entry larger than a quarter of the budget was cached")
	}
	// LRU: touching an entry keeps it.
	c3 := newCache(1<<20, 3)
	c3.put("a", 1, 1, now, time.Hour)
	c3.put("b", 2, 1, now, time.Hour)
	c3.put("c", 3, 1, now, time.Hour)
	c3.get("a", now)
	c3.put("d", 4, 1, now, time.Hour)
	if _, ok := c3.get("a", now); !ok {
		t.Fatal("recently used entry evicted")
	}
	if _, ok := c3.get("b", now); ok {
		t.Fatal("least recently used entry kept")
	}
	if _, ok := c3.get("c", now.Add(2*time.Hour)); ok {
		t.Fatal("expired entry returned")
	}
}

func TestNoDuplicateRequestAroundFlightCompletion(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Latency = 3 * time.Millisecond }, nil)
	a := e.authedAPI(t, nil)
	// Callers keep arriving before, during and just after the one request.
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i%20) * 500 * time.Microsecond)
			if _, err := a.Clients(bg()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := e.sim.Stats().Count("GET /v3/partners/{id}/clients"); got != 1 {
		t.Fatalf("requests = %d, want 1", got)
	}
}

// laneLog records the lane (LaneFrom) of the requests a client sends.
type laneLog struct {
	mu    sync.Mutex
	lanes []Lane
}

// record wraps c's transport so that every request whose URL path matches is
// logged with its lane, in the order sent.
func (l *laneLog) record(c *Config, match func(path string) bool) {
	next := c.Transport
	c.Transport = transportFunc(func(r *http.Request) (*http.Response, error) {
		if match(r.URL.Path) {
			l.mu.Lock()
			l.lanes = append(l.lanes, LaneFrom(r.Context()))
			l.mu.Unlock()
		}
		return next.RoundTrip(r)
	})
}

// all is a copy of the lanes logged so far.
func (l *laneLog) all() []Lane {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Lane(nil), l.lanes...)
}

// transportFunc is an http.RoundTripper from a function.
type transportFunc func(*http.Request) (*http.Response, error)

func (f transportFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestNewInstanceWarmsWhatItsPredecessorUsed: a new API with the instance
// key of an earlier one fetches, in the background lane, the metadata the
// earlier one served, so its first query finds it cached; another key (or
// none) warms nothing.
func TestNewInstanceWarmsWhatItsPredecessorUsed(t *testing.T) {
	e := newEnv(t, nil, nil)
	first := e.api(t, func(c *Config) { c.InstanceKey = "ds-warm" })
	comp := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0].Components[0]
	if _, err := first.Sites(bg()); err != nil {
		t.Fatal(err)
	}
	if _, err := first.DataAvailable(bg(), KindComponent, comp.ID); err != nil {
		t.Fatal(err)
	}
	first.Close()
	const availRoute = "GET /v3/components/{id}/dataavailable"

	other := e.api(t, func(c *Config) { c.InstanceKey = "ds-other" })
	if err := other.WaitBackground(bg()); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Stats().Count(sitesRoute); n != 1 {
		t.Fatalf("an instance of another data source warmed the site list (%d requests)", n)
	}
	other.Close()

	var sent laneLog
	next := e.api(t, func(c *Config) {
		c.InstanceKey = "ds-warm"
		sent.record(c, func(path string) bool { return strings.HasPrefix(path, "/v3/") })
	})
	if err := next.WaitBackground(bg()); err != nil {
		t.Fatal(err)
	}
	if n, m := e.sim.Stats().Count(sitesRoute), e.sim.Stats().Count(availRoute); n != 2 || m != 2 {
		t.Fatalf("after the warm-up: %d site lists, %d dataavailable; want 2 and 2", n, m)
	}
	for _, l := range sent.all() {
		if l != LaneBackground {
			t.Errorf("warm-up request on lane %s, want background", l)
		}
	}
	ctx, cs := WithCallStats(bg())
	if _, err := next.Sites(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := next.DataAvailable(ctx, KindComponent, comp.ID); err != nil {
		t.Fatal(err)
	}
	if got := cs.Snapshot(); got.Upstream != 0 || got.CacheHits != 2 {
		t.Fatalf("first calls of the warmed instance: %+v; want 2 cache hits, no request", got)
	}
}
