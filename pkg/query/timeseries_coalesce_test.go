package query

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// TestPanelsInSeparateRequestsShareCalls loads two panels of one entity as
// Grafana does (one request each, at once): waiting chunk calls are merged,
// and a reload builds the same calls, all served from the cache.
func TestPanelsInSeparateRequestsShareCalls(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Latency = 20 * time.Millisecond }, nil)
	s, inv := e.inverter(t, "", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, s.Location())
	panel := func(ref, field string) testkit.Query {
		return testkit.Query{Ref: ref, JSON: fmt.Sprintf(`{"componentId":"%d","fields":["%s"],"granularity":"5min"}`, inv.ID, field),
			From: from, To: from.AddDate(0, 0, 90), Interval: time.Minute, MaxDP: 100000}
	}
	load := func() (*backend.QueryDataResponse, *backend.QueryDataResponse) {
		r := testkit.RunConcurrently(t, e.eng, []testkit.Query{panel("A", "W_avg")}, []testkit.Query{panel("B", "Wh_sum")})
		return r[0], r[1]
	}
	r1, r2 := load()
	first := e.dataCalls()
	// 3 chunks each: without merging 6 calls; the first chunk of each panel
	// may leave before the other panel arrives, the others wait and merge.
	t.Logf("first load: %d data calls", first)
	if first > 4 {
		t.Errorf("%d data calls for two panels of 3 chunks, want at most 4", first)
	}
	a, b := testkit.Frames(t, r1, "A"), testkit.Frames(t, r2, "B")
	if len(testkit.Times(t, a[0])) != 90*288 || len(testkit.Times(t, b[0])) != 90*288 {
		t.Fatalf("buckets A=%d B=%d, want %d", len(testkit.Times(t, a[0])), len(testkit.Times(t, b[0])), 90*288)
	}
	r1, r2 = load()
	if n := e.dataCalls() - first; n != 0 {
		t.Errorf("reload made %d data calls, want 0 (same merged calls, cached)", n)
	}
	// The values are those of each panel fetched alone.
	alone := newEnv(t, nil, nil)
	for _, p := range []struct {
		resp *backend.QueryDataResponse
		q    testkit.Query
	}{{r1, panel("A", "W_avg")}, {r2, panel("B", "Wh_sum")}} {
		got, want := testkit.Values(t, testkit.Frames(t, p.resp, p.q.Ref)[0]), testkit.Values(t, testkit.Frames(t, testkit.Run(t, alone.eng, nil, p.q), p.q.Ref)[0])
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, alone %d", p.q.Ref, len(got), len(want))
		}
		for i := range got {
			if deref(got[i]) != deref(want[i]) {
				t.Fatalf("%s value %d: %s, alone %s", p.q.Ref, i, deref(got[i]), deref(want[i]))
			}
		}
	}
}

// TestViewersLoadingTogetherMakeNoDuplicateCalls runs the same panel for
// three viewers at once: one call per chunk.
func TestViewersLoadingTogetherMakeNoDuplicateCalls(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Latency = 10 * time.Millisecond }, nil)
	s := e.site(t, "", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	q := testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg","Wh_sum"],"granularity":"hourly"}`, s.ID), From: from, To: from.AddDate(0, 0, 60), Interval: time.Hour, MaxDP: 10000}
	for _, r := range testkit.RunConcurrently(t, e.eng, []testkit.Query{q}, []testkit.Query{q}, []testkit.Query{q}) {
		testkit.Frames(t, r, "A")
	}
	if n := e.dataCalls(); n != 2 {
		t.Errorf("%d data calls for 3 viewers of a 2-chunk panel, want 2", n)
	}
	if m := e.sim.Stats().MaxInFlight; m > 1 {
		t.Errorf("max in flight %d, want 1", m)
	}
}

// TestSharedCallSurvivesOneCancelledWaiter cancels one of two panels
// waiting for the same call: the other still gets its data from that call.
func TestSharedCallSurvivesOneCancelledWaiter(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Latency = 150 * time.Millisecond }, nil)
	s := e.site(t, "", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	q := testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"granularity":"hourly"}`, s.ID), From: from, To: from.AddDate(0, 0, 2), Interval: time.Hour, MaxDP: 1000}
	// Warm the metadata so both requests reach the data call at once.
	testkit.Frames(t, testkit.Run(t, e.eng, nil, testkit.Query{Ref: "W", JSON: q.JSON, From: from.AddDate(0, -1, 0), To: from.AddDate(0, -1, 1), Interval: time.Hour, MaxDP: 1000}), "W")
	before := e.dataCalls()

	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var cancelled, kept *backend.QueryDataResponse
	var wg sync.WaitGroup
	wg.Go(func() { cancelled, _ = e.eng.QueryData(short, testkit.Request(nil, q)) })
	wg.Go(func() { kept, _ = e.eng.QueryData(context.Background(), testkit.Request(nil, q)) })
	wg.Wait()
	if cancelled.Responses["A"].Error == nil {
		t.Error("the request cancelled after 50 ms of a 150 ms call succeeded")
	}
	if fs := testkit.Frames(t, kept, "A"); len(testkit.Times(t, fs[0])) != 48 {
		t.Errorf("%d hourly buckets, want 48", len(testkit.Times(t, fs[0])))
	}
	if n := e.dataCalls() - before; n != 1 {
		t.Errorf("%d data calls, want 1 shared call", n)
	}
}

// TestReloadAfterAMergeWithParametersIsCached: two fetches of one site's
// chunk, one with field parameters (modelled energy), one without, merge
// into one call carrying the parameters while the gate is busy; fetched
// again one at a time (so they cannot merge), each builds that call again
// and is served from the cache (each used to ask a new call: the Site
// detail dashboard's flaky reload).
func TestReloadAfterAMergeWithParametersIsCached(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
	c := newCoalescer(e.api, 1, fixedNow)
	key := chunkKey{kind: locus.KindSite, id: s.ID, gran: planner.Daily, zone: s.Timezone, start: "2025-06-01T00:00:00", end: "2025-06-21T00:00:00"}
	modelled := func() error {
		_, _, err := c.fetch(t.Context(), key, map[string]string{"modelType": "simple"}, []string{"Wh_sum", "Wh_m_sum"})
		return err
	}
	expected := func() error {
		_, _, err := c.fetch(t.Context(), key, nil, []string{"Wh_sum", "Wh_e_sum"})
		return err
	}
	// Hold the gate so that both fetches open and join one batch.
	release, err := c.gate.Acquire(t.Context(), locus.LaneInteractive)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	go func() { errs <- modelled() }()
	go func() { errs <- expected() }()
	for {
		c.mu.Lock()
		joined := len(c.open[key]) == 1 && c.open[key][0].waiters == 2
		c.mu.Unlock()
		if joined {
			break
		}
		runtime.Gosched()
	}
	release()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	first := e.dataCalls()
	if first != 1 {
		t.Fatalf("%d data calls for two joined fetches, want 1", first)
	}
	if err := expected(); err != nil {
		t.Fatal(err)
	}
	if err := modelled(); err != nil {
		t.Fatal(err)
	}
	if n := e.dataCalls() - first; n != 0 {
		t.Errorf("fetching again one at a time made %d data calls, want 0 (the merged call, cached)", n)
	}
}
