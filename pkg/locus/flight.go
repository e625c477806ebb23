package locus

import (
	"context"
	"fmt"
	"sync"
)

// flightGroup makes identical calls in flight at the same time share one
// upstream request. Unlike x/sync/singleflight, the request runs on its own
// context and is cancelled only when every caller waiting for it has gone, so
// one panel's refresh does not fail another panel's identical query.
type flightGroup struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done    chan struct{}
	val     any
	err     error
	waiters int
	cancel  context.CancelFunc
}

// outcome says how a flightGroup.do call was served.
type outcome int

const (
	started outcome = iota // this caller's flight made the request
	joined                 // joined a flight another caller started
	cached                 // a flight finished just before: answered by recheck
)

// do runs fn once per key among concurrent callers. recheck, called under
// the group's lock when no flight is running, catches a result that a
// flight finishing a moment earlier has just cached (flights cache their
// result before they leave the group).
func (g *flightGroup) do(ctx context.Context, key string, recheck func() (any, bool), fn func(context.Context) (any, error)) (any, error, outcome) {
	g.mu.Lock()
	if g.m == nil {
		g.m = map[string]*flight{}
	}
	if f, ok := g.m[key]; ok {
		f.waiters++
		g.mu.Unlock()
		val, err := g.wait(ctx, key, f)
		return val, err, joined
	}
	if v, ok := recheck(); ok {
		g.mu.Unlock()
		return v, nil, cached
	}
	fctx, cancel := context.WithCancel(Detach(ctx))
	f := &flight{done: make(chan struct{}), waiters: 1, cancel: cancel}
	g.m[key] = f
	g.mu.Unlock()

	go func() {
		defer close(f.done)
		defer cancel()
		defer func() {
			if p := recover(); p != nil {
				f.err = &Error{Kind: KindDecode, Path: key, Message: fmt.Sprintf("internal error while handling the Locus response to GET %s: %v", key, p)}
			}
			g.mu.Lock()
			if g.m[key] == f {
				delete(g.m, key)
			}
			g.mu.Unlock()
		}()
		f.val, f.err = fn(fctx)
	}()
	val, err := g.wait(ctx, key, f)
	return val, err, started
}

func (g *flightGroup) wait(ctx context.Context, key string, f *flight) (any, error) {
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		g.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			f.cancel()
			if g.m[key] == f {
				delete(g.m, key)
			}
		}
		g.mu.Unlock()
		return nil, canceledError("GET "+key, ctx.Err())
	}
}
