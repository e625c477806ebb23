package locus

import (
	"context"
	"sync"
)

// background runs an instance's work nobody waits for: refreshes of stale
// metadata and the warm-up of a new instance. Its requests carry
// LaneBackground and start only once the account queue is idle, so they
// never delay a query's own requests; Close cancels them.
type background struct {
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	running map[string]bool // keys being refreshed
	active  int             // refreshes and warm-ups running
	idle    chan struct{}   // closed when active drops to 0 (nil while 0)
}

func (b *background) init() {
	b.ctx, b.cancel = context.WithCancel(WithLane(context.Background(), LaneBackground))
	b.running = map[string]bool{}
}

func (b *background) stop() { b.cancel() }

// start runs fn in its own goroutine unless key is already running (key ""
// never deduplicates); false when it was not started.
func (b *background) start(key string, fn func(ctx context.Context)) bool {
	b.mu.Lock()
	if b.ctx.Err() != nil || (key != "" && b.running[key]) {
		b.mu.Unlock()
		return false
	}
	if key != "" {
		b.running[key] = true
	}
	if b.active == 0 {
		b.idle = make(chan struct{})
	}
	b.active++
	b.mu.Unlock()
	go func() {
		defer func() {
			b.mu.Lock()
			delete(b.running, key)
			b.active--
			if b.active == 0 {
				close(b.idle)
				b.idle = nil
			}
			b.mu.Unlock()
		}()
		fn(b.ctx)
	}()
	return true
}

// wait returns when no background work is running, or with ctx's error.
func (b *background) wait(ctx context.Context) error {
	b.mu.Lock()
	idle := b.idle
	b.mu.Unlock()
	if idle == nil {
		return nil
	}
	select {
	case <-idle:
		return b.wait(ctx) // work may have started since
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WaitBackground returns once no metadata refresh or warm-up of this
// instance is running (or queued to start), or when ctx ends.
func (a *API) WaitBackground(ctx context.Context) error { return a.bg.wait(ctx) }

// deferredKey carries a deferredRefreshes on a context.
type deferredKey struct{}

// deferredRefreshes are the refreshes of stale metadata that a query hit,
// held until the query is answered.
type deferredRefreshes struct {
	mu   sync.Mutex
	keys []string
	fns  map[string]func()
}

// DeferRefreshes returns ctx under which stale metadata served to callers
// is refreshed only when flush is called (the engine calls it once the
// query is answered), so a refresh never takes the account's slot before
// the query's own data requests. Without it, a refresh starts at once (in
// the background lane, once the queue is idle).
func (a *API) DeferRefreshes(ctx context.Context) (context.Context, func()) {
	d := &deferredRefreshes{fns: map[string]func(){}}
	return context.WithValue(ctx, deferredKey{}, d), func() {
		d.mu.Lock()
		keys, fns := d.keys, d.fns
		d.keys, d.fns = nil, map[string]func(){}
		d.mu.Unlock()
		for _, k := range keys {
			fns[k]()
		}
	}
}

// revalidate refreshes key (stale in the cache) in the background: on the
// background lane, once the account queue is idle, sharing an identical
// request in flight; nothing waits for it. A refresh answered 403 or 404
// drops the entry (the entity is gone or no longer the account's); other
// failures keep serving the stale entry until its grace ends.
func (a *API) revalidate(ctx context.Context, key string, recheck func() (any, bool), fetch func(context.Context) (any, error)) {
	run := func() {
		a.bg.start("refresh "+key, func(bctx context.Context) {
			if err := a.queue.waitIdle(bctx); err != nil {
				return
			}
			if _, err, _ := a.flight.do(bctx, key, recheck, fetch); err != nil {
				if k := KindOf(err); k == KindNotFound || k == KindForbidden {
					a.cache.remove(key)
				}
				a.log.Debug("Locus metadata refresh failed; the stale entry is kept until its grace ends", "kind", string(KindOf(err)))
			}
		})
	}
	if d, ok := ctx.Value(deferredKey{}).(*deferredRefreshes); ok {
		d.mu.Lock()
		if _, dup := d.fns[key]; !dup {
			d.keys = append(d.keys, key)
			d.fns[key] = run
		}
		d.mu.Unlock()
		return
	}
	run()
}
