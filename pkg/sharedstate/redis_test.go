package sharedstate

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/tests/redisserver"
)

func newState(t *testing.T, url string, lease time.Duration) *Redis {
	t.Helper()
	r, err := New(Options{URL: url, Lease: lease})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// waitState polls the limiter's line until cond holds (an event, not a
// duration: the bound only ends a broken test).
func waitState(t *testing.T, r *Redis, account string, cond func(holders, waiters int64) bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		h, w, err := r.LimiterState(context.Background(), account)
		if err != nil {
			t.Fatal(err)
		}
		if cond(h, w) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("limiter never reached the expected state")
}

func TestLimiterNeverExceedsCapacityAcrossReplicas(t *testing.T) {
	srv := redisserver.StartT(t)
	replicas := []*Redis{newState(t, srv.URL(), 5*time.Second), newState(t, srv.URL(), 5*time.Second), newState(t, srv.URL(), 5*time.Second)}
	var inFlight, maxSeen, served atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func(r *Redis, lane locus.Lane) {
			defer wg.Done()
			release, err := r.Acquire(context.Background(), "acct-cap", 1, lane)
			if err != nil {
				t.Error(err)
				return
			}
			n := inFlight.Add(1)
			for {
				m := maxSeen.Load()
				if n <= m || maxSeen.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(time.Millisecond) // hold the slot across a scheduling point
			inFlight.Add(-1)
			served.Add(1)
			release()
		}(replicas[i%3], locus.Lanes[i%len(locus.Lanes)])
	}
	wg.Wait()
	if served.Load() != 60 {
		t.Fatalf("served %d of 60 acquisitions", served.Load())
	}
	if maxSeen.Load() != 1 {
		t.Fatalf("at most 1 slot in flight expected across 3 replicas, saw %d", maxSeen.Load())
	}
	// Capacity 2 admits two at once.
	r := replicas[0]
	rel1, err := r.Acquire(context.Background(), "acct-two", 2, locus.LaneBulk)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rel2, err := replicas[1].Acquire(ctx, "acct-two", 2, locus.LaneBulk)
	if err != nil {
		t.Fatalf("capacity 2 must admit a second holder: %v", err)
	}
	rel1()
	rel2()
}

func TestLimiterServesAlertLaneBeforeEarlierBulkWaiters(t *testing.T) {
	srv := redisserver.StartT(t)
	a, b := newState(t, srv.URL(), 5*time.Second), newState(t, srv.URL(), 5*time.Second)
	const acct = "acct-lanes"
	hold, err := a.Acquire(context.Background(), acct, 1, locus.LaneBulk)
	if err != nil {
		t.Fatal(err)
	}
	order := make(chan string, 4)
	var wg sync.WaitGroup
	start := func(r *Redis, name string, lane locus.Lane, waiters int64) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rel, err := r.Acquire(context.Background(), acct, 1, lane)
			if err != nil {
				t.Error(err)
				return
			}
			order <- name
			rel()
		}()
		waitState(t, a, acct, func(_, w int64) bool { return w >= waiters })
	}
	start(a, "bulk1", locus.LaneBulk, 1)
	start(b, "bulk2", locus.LaneBulk, 2)
	start(a, "interactive", locus.LaneInteractive, 3)
	start(b, "alert", locus.LaneAlert, 4)
	hold()
	wg.Wait()
	close(order)
	var got []string
	for n := range order {
		got = append(got, n)
	}
	want := []string{"alert", "interactive", "bulk1", "bulk2"}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("grant order %v, want %v (lanes first, then arrival)", got, want)
		}
	}
}

func TestLimiterFreesAKilledHoldersSlotWithinTheLease(t *testing.T) {
	srv := redisserver.StartT(t)
	const lease = 2 * time.Second
	dead := newState(t, srv.URL(), lease)
	alive := newState(t, srv.URL(), lease)
	const acct = "acct-lease"
	if _, err := dead.Acquire(context.Background(), acct, 1, locus.LaneInteractive); err != nil {
		t.Fatal(err)
	}
	// The holder's lease ends at most one lease from now (Redis time).
	ctx := context.Background()
	members, err := alive.rdb.ZRangeWithScores(ctx, holdersKey(acct), 0, -1).Result()
	if err != nil || len(members) != 1 {
		t.Fatalf("holders = %v, %v; want one", members, err)
	}
	now, err := alive.rdb.Time(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if exp := time.UnixMilli(int64(members[0].Score)); exp.After(now.Add(lease)) {
		t.Fatalf("lease expires at %s, more than %s after %s", exp, lease, now)
	}
	// The holder dies without releasing: its renewals stop with its connection.
	dead.rdb.Close()
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	rel, err := alive.Acquire(wctx, acct, 1, locus.LaneInteractive)
	if err != nil {
		t.Fatalf("the dead holder's slot was never freed: %v", err)
	}
	rel()
}

func TestCacheAndFlight(t *testing.T) {
	srv := redisserver.StartT(t)
	r := newState(t, srv.URL(), time.Second)
	ctx := context.Background()
	if _, ok, err := r.Load(ctx, "k"); ok || err != nil {
		t.Fatalf("empty cache: ok=%v err=%v", ok, err)
	}
	if err := r.Store(ctx, "k", []byte("v1"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := r.Load(ctx, "k"); !ok || err != nil || string(v) != "v1" {
		t.Fatalf("Load = %q %v %v", v, ok, err)
	}
	lead, done, err := r.Lead(ctx, "f")
	if err != nil || !lead {
		t.Fatalf("first Lead = %v %v, want leader", lead, err)
	}
	other := newState(t, srv.URL(), time.Second)
	if lead2, _, err := other.Lead(ctx, "f"); err != nil || lead2 {
		t.Fatalf("second Lead = %v %v, want follower", lead2, err)
	}
	if still, _ := other.Leading(ctx, "f"); !still {
		t.Fatal("Leading must be true while the leader fetches")
	}
	done()
	if still, _ := other.Leading(ctx, "f"); still {
		t.Fatal("Leading must be false once the leader is done")
	}
}

func TestErrorsWhenRedisIsDown(t *testing.T) {
	srv := redisserver.StartT(t)
	r := newState(t, srv.URL(), time.Second)
	srv.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := r.Acquire(ctx, "acct-down", 1, locus.LaneAlert); err == nil || ctx.Err() != nil {
		t.Fatalf("Acquire with Redis down: err=%v ctx=%v; want a prompt Redis error", err, ctx.Err())
	}
	if err := r.Ping(ctx); err == nil {
		t.Fatal("Ping must fail with Redis down")
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := r.Ping(ctx); err != nil {
		t.Fatalf("Ping after restart: %v", err)
	}
}

func TestNewRejectsNonRedisURL(t *testing.T) {
	if _, err := New(Options{URL: "http://127.0.0.1:6379"}); err == nil {
		t.Fatal("an http URL must be rejected")
	}
}
