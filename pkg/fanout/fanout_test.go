package fanout

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

func itemName(i int) string { return fmt.Sprintf("item %d", i) }

// The first failure cancels the context every other running item sees, and
// is what Each returns; items not yet started never run.
func TestFirstErrorCancelsTheOthers(t *testing.T) {
	const n, running = 12, 6
	boom := errors.New("item 3 failed")
	started := make(chan int, n)
	var ran atomic.Int32
	errs, err := Each(context.Background(), n, Options{Limit: running}, itemName, func(ctx context.Context, i int) error {
		ran.Add(1)
		if i == 3 {
			// Fail only once the other five running items are waiting.
			for range running - 1 {
				<-started
			}
			return boom
		}
		started <- i
		<-ctx.Done()
		return fmt.Errorf("item %d: %w", i, context.Cause(ctx))
	})
	if err != boom {
		t.Fatalf("Each returned %v, want the first failure %v", err, boom)
	}
	if got := ran.Load(); got != running {
		t.Errorf("%d items ran, want %d (those started before the failure)", got, running)
	}
	for i, e := range errs {
		switch {
		case i == 3 && e != boom:
			t.Errorf("errs[3] = %v, want %v", e, boom)
		case i != 3 && !errors.Is(e, boom):
			t.Errorf("errs[%d] = %v, want cancelled by %v", i, e, boom)
		}
	}
}

// With KeepGoing every item runs whatever the others return, and each keeps
// its own error.
func TestKeepGoingRunsEveryItem(t *testing.T) {
	const n = 9
	var ran atomic.Int32
	errs, err := Each(context.Background(), n, Options{Limit: 2, KeepGoing: true}, itemName, func(ctx context.Context, i int) error {
		ran.Add(1)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if i%3 == 0 {
			return fmt.Errorf("item %d failed", i)
		}
		return nil
	})
	if ran.Load() != n {
		t.Errorf("%d items ran, want %d", ran.Load(), n)
	}
	if err == nil {
		t.Error("Each returned nil, want the first failure")
	}
	for i, e := range errs {
		if want := i%3 == 0; (e != nil) != want || (want && e.Error() != fmt.Sprintf("item %d failed", i)) {
			t.Errorf("errs[%d] = %v", i, e)
		}
	}
}

// A panic in one item is an error naming the item, given to OnPanic with
// its stack; the process does not crash and the other items complete.
func TestPanicBecomesAnErrorNamingTheItem(t *testing.T) {
	var logged []*PanicError
	var done atomic.Int32
	errs, err := Each(context.Background(), 5, Options{KeepGoing: true, OnPanic: func(p *PanicError) { logged = append(logged, p) }},
		func(i int) string { return fmt.Sprintf("fetching site %d", 100+i) },
		func(_ context.Context, i int) error {
			if i == 2 {
				var m map[string]int
				m["x"] = 1 // a nil-map write: a runtime panic
			}
			done.Add(1)
			return nil
		})
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Item != "fetching site 102" {
		t.Fatalf("Each returned %v, want a *PanicError naming fetching site 102", err)
	}
	if !strings.Contains(err.Error(), "internal error while fetching site 102") || strings.Contains(err.Error(), "nil map") {
		t.Errorf("message %q: want the item named, not the panic value", err.Error())
	}
	if errs[2] != err || done.Load() != 4 {
		t.Errorf("errs[2] = %v, %d items done; want the panic and the 4 others done", errs[2], done.Load())
	}
	if len(logged) != 1 || logged[0] != pe || !strings.Contains(string(pe.Stack), "fanout_test.go") || fmt.Sprint(pe.Value) == "" {
		t.Errorf("OnPanic got %v, want the panic once with its value and stack", logged)
	}
	if g := Guard("reading the settings", func() error { panic("bug") }); g == nil || !strings.Contains(g.Error(), "while reading the settings") {
		t.Errorf("Guard = %v, want a *PanicError naming the item", g)
	}
}

// At most Limit items run at once, and the bound is used. The workers are
// counted with atomics and wait to be released; the first release comes
// once limit workers have started and the scheduler has had many chances
// to start more (which a broken bound would let it do). Nothing here waits
// for time: a correct bound passes however slow the machine.
func TestBoundIsRespected(t *testing.T) {
	const n, limit = 40, 3
	var running, most atomic.Int32
	started := make(chan struct{}, n)
	release := make(chan struct{})
	go func() {
		for range limit {
			<-started
		}
		for range 10000 {
			runtime.Gosched()
		}
		close(release)
	}()
	_, err := Each(context.Background(), n, Options{Limit: limit}, itemName, func(context.Context, int) error {
		cur := running.Add(1)
		for {
			m := most.Load()
			if cur <= m || most.CompareAndSwap(m, cur) {
				break
			}
		}
		started <- struct{}{}
		<-release
		running.Add(-1)
		return nil
	})
	if err != nil {
		t.Fatalf("Each: %v", err)
	}
	if got := most.Load(); got != limit {
		t.Errorf("at most %d items ran at once, want exactly %d (the bound, reached)", got, limit)
	}
}

// Without KeepGoing, items do not start once the caller's context ended:
// each reports its error, and so does Each. With KeepGoing every item runs
// and sees the ended context itself.
func TestEndedContextStopsStarting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var ran atomic.Int32
	errs, err := Each(ctx, 4, Options{}, itemName, func(context.Context, int) error {
		ran.Add(1)
		return nil
	})
	if !errors.Is(err, context.Canceled) || ran.Load() != 0 {
		t.Fatalf("Each = %v with %d items run, want context.Canceled and none run", err, ran.Load())
	}
	for i, e := range errs {
		if !errors.Is(e, context.Canceled) {
			t.Errorf("errs[%d] = %v, want context.Canceled", i, e)
		}
	}
	var saw atomic.Int32
	errs, err = Each(ctx, 4, Options{KeepGoing: true}, itemName, func(ctx context.Context, _ int) error {
		if ctx.Err() != nil {
			saw.Add(1)
		}
		return nil
	})
	if err != nil || saw.Load() != 4 || errs[0] != nil {
		t.Errorf("KeepGoing: Each = %v, %d of 4 items saw the ended context; want nil and 4", err, saw.Load())
	}
}
