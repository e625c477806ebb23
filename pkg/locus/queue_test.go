package locus

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestOneInFlightAcrossInstancesOfOneAccount(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Latency = 2 * time.Millisecond }, nil)
	apis := []*API{e.api(t, nil), e.api(t, nil)}
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	var comps []*locussim.Component
	for _, s := range sites {
		comps = append(comps, s.Components...)
	}
	testkit.NoErrors(t, testkit.Concurrently(20, func(i int) error {
		a := apis[i%2]
		var err error
		switch i % 4 {
		case 0:
			_, err = a.Component(bg(), comps[i%len(comps)].ID)
		case 1:
			_, err = a.Site(bg(), sites[i%len(sites)].ID)
		case 2:
			_, err = a.DataAvailable(bg(), KindComponent, comps[(i*3)%len(comps)].ID)
		default:
			_, err = a.Components(bg(), sites[(i/4)%len(sites)].ID)
		}
		return err
	}))
	st := e.sim.Stats()
	if st.MaxInFlight != 1 {
		t.Fatalf("MaxInFlight = %d, want 1 with 20 callers on 2 instances of one account", st.MaxInFlight)
	}
	if n := st.ByStatus[http.StatusTooManyRequests]; n != 0 {
		t.Fatalf("%d requests met 429", n)
	}
	if st.API < 10 {
		t.Fatalf("only %d /v3 requests were made; the test did not exercise the queue", st.API)
	}
}

func TestCancelWhileQueuedNeverReachesUpstream(t *testing.T) {
	var g *testkit.Gate
	e := newEnv(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { g.Wrap(next).ServeHTTP(w, r) })
	})
	s0, s1, s2 := e.site(t, 0), e.site(t, 1), e.site(t, 2)
	g = testkit.NewGate(fmt.Sprintf("/v3/sites/%d", s0.ID))
	a := e.authedAPI(t, nil)
	first := make(chan error, 1)
	go func() { _, err := a.Site(bg(), s0.ID); first <- err }()
	waitFor(t, func() bool { n, _, _ := a.queue.stats(); return n == 1 })

	ctx, cancel := context.WithCancel(bg())
	ctx, queuedStats := WithCallStats(ctx)
	queued := make(chan error, 1)
	go func() { _, err := a.Site(ctx, s1.ID); queued <- err }()
	waitFor(t, func() bool { _, w, _ := a.queue.stats(); return w == 1 })
	third := make(chan error, 1)
	go func() { _, err := a.Site(bg(), s2.ID); third <- err }()
	waitFor(t, func() bool { _, w, _ := a.queue.stats(); return w == 2 })

	cancel()
	// The slot holder is still held at the gate: the cancelled caller must
	// return without waiting for it.
	if err := <-queued; !IsKind(err, KindCanceled) {
		t.Fatalf("queued call: err = %v, want canceled", err)
	}
	waitFor(t, func() bool { _, w, _ := a.queue.stats(); return w == 1 }) // only the third caller
	if n := queuedStats.Upstream.Load(); n != 0 {
		t.Fatalf("the cancelled call counted %d upstream requests", n)
	}
	g.Open()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-third; err != nil {
		t.Fatalf("the queue did not move on: %v", err)
	}
	for _, uri := range e.wire.v3() {
		if uri == fmt.Sprintf("/v3/sites/%d", s1.ID) {
			t.Fatalf("the cancelled request reached upstream: %v", e.wire.v3())
		}
	}
	if n, w, _ := a.queue.stats(); n != 0 || w != 0 {
		t.Fatalf("queue left with %d in flight, %d waiting", n, w)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestQueueIsFIFO(t *testing.T) {
	q := joinQueue("fifo-test", 1)
	defer q.leave(1)
	if err := q.acquire(bg()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := q.acquire(bg()); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			q.release()
		}()
		waitFor(t, func() bool { _, w, _ := q.stats(); return w == i+1 })
	}
	q.release()
	wg.Wait()
	for i, v := range order {
		if v != i {
			t.Fatalf("grant order %v, want arrival order", order)
		}
	}
}

func TestQueueSharedPerAccountWithSmallestCapacity(t *testing.T) {
	a := joinQueue("acct-A", 3)
	b := joinQueue("acct-A", 2)
	c := joinQueue("acct-B", 5)
	if a != b || a == c {
		t.Fatal("queues must be shared by account key and only by it")
	}
	if _, _, capacity := a.stats(); capacity != 2 {
		t.Fatalf("capacity = %d, want the smallest live limit 2", capacity)
	}
	b.leave(2)
	if _, _, capacity := a.stats(); capacity != 3 {
		t.Fatalf("capacity after the stricter instance left = %d, want 3", capacity)
	}
	a.leave(3)
	c.leave(5)
	queues.Lock()
	defer queues.Unlock()
	if _, ok := queues.m["acct-A"]; ok {
		t.Fatal("queue not freed after its last instance left")
	}
}

func TestAccountKeySeparatesAccounts(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	b := e.api(t, nil)
	other := e.api(t, func(c *Config) { c.Username, c.Password = locussim.OtherUsername, locussim.OtherPassword })
	if a.queue != b.queue || a.queue == other.queue {
		t.Fatal("instances of one account must share a queue; other accounts must not")
	}
	b.Close()
	b.Close() // idempotent
	if _, err := b.Sites(bg()); !IsKind(err, KindConfig) {
		t.Fatalf("call after Close: err = %v, want a config error", err)
	}
	if _, err := a.Clients(bg()); err != nil {
		t.Fatalf("closing one instance broke the other: %v", err)
	}
}

func TestSwappedInstanceWaitsForTheClosedOnesRequests(t *testing.T) {
	var g *testkit.Gate
	e := newEnv(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { g.Wrap(next).ServeHTTP(w, r) })
	})
	g = testkit.NewGate(fmt.Sprintf("/v3/sites/%d", e.site(t, 0).ID))
	old := e.authedAPI(t, nil)
	done := make(chan error, 1)
	go func() { _, err := old.Site(bg(), e.site(t, 0).ID); done <- err }()
	<-g.Arrived
	old.Close() // Grafana disposes the old instance while its query runs
	fresh := e.api(t, nil)
	if fresh.queue != old.queue {
		t.Fatal("the new instance got a new queue while the old one still has a request in flight")
	}
	freshDone := make(chan error, 1)
	go func() { _, err := fresh.Site(bg(), e.site(t, 1).ID); freshDone <- err }()
	waitFor(t, func() bool { _, w, _ := fresh.queue.stats(); return w == 1 })
	g.Open()
	if err := <-freshDone; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the closed instance's running request failed: %v", err)
	}
	if st := e.sim.Stats(); st.MaxInFlight != 1 {
		t.Fatalf("MaxInFlight = %d across the swap, want 1", st.MaxInFlight)
	}
	fresh.Close()
	queues.Lock()
	defer queues.Unlock()
	if _, ok := queues.m[fresh.cfg.accountKey()]; ok {
		t.Fatal("queue not freed once idle and unused")
	}
}
