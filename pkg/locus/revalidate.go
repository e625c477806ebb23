package locus

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
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

	// queries counts the queries in progress (DeferRefreshes to flush);
	// quiet is closed when it drops to 0 (nil while 0).
	queries int
	quiet   chan struct{}
}

// maxQuietWait bounds how long background work waits for the instance's
// queries to end before it queues anyway (on the background lane, which
// the account queue serves after every other lane): a busy instance still
// refreshes its metadata.
const maxQuietWait = time.Minute

// enterQuery and leaveQuery bracket a query in progress.
func (b *background) enterQuery() {
	b.mu.Lock()
	if b.queries == 0 {
		b.quiet = make(chan struct{})
	}
	b.queries++
	b.mu.Unlock()
}

func (b *background) leaveQuery() {
	b.mu.Lock()
	b.queries--
	if b.queries == 0 {
		close(b.quiet)
		b.quiet = nil
	}
	b.mu.Unlock()
}

// waitQuiet returns when no query of the instance is in progress, after
// maxQuietWait, or with ctx's error.
func (b *background) waitQuiet(ctx context.Context) error {
	b.mu.Lock()
	quiet := b.quiet
	b.mu.Unlock()
	if quiet == nil {
		return nil
	}
	t := time.NewTimer(maxQuietWait)
	defer t.Stop()
	select {
	case <-quiet:
		return nil
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
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

// DeferRefreshes marks a query in progress: stale metadata served under
// the returned ctx is refreshed only when flush is called (the engine calls
// it once the query is answered), and background work waits until no
// query of the instance is in progress (see maxQuietWait) and the account
// queue is idle, so a refresh never takes the account's slot ahead of the
// queries' own data requests. Without it, a refresh is queued at once.
// flush must be called exactly once.
func (a *API) DeferRefreshes(ctx context.Context) (context.Context, func()) {
	d := &deferredRefreshes{fns: map[string]func(){}}
	a.bg.enterQuery()
	return context.WithValue(ctx, deferredKey{}, d), func() {
		a.bg.leaveQuery()
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
// background lane, once the instance has no query in progress and the
// account queue is idle, sharing an identical
// request in flight; nothing waits for it. A refresh answered 403 or 404
// drops the entry (the entity is gone or no longer the account's); other
// failures keep serving the stale entry until its grace ends.
func (a *API) revalidate(ctx context.Context, key string, recheck func() (any, bool), fetch func(context.Context) (any, error)) {
	run := func() {
		a.bg.start("refresh "+key, func(bctx context.Context) {
			if a.bg.waitQuiet(bctx) != nil || a.queue.waitIdle(bctx) != nil {
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

// Warm-up of a new instance. An instance whose Config names an InstanceKey
// (the plugin passes the data source's UID) remembers, process-wide, the
// metadata calls it served; a new instance with the same key (Grafana
// creates one whenever the data source's settings change) fetches them
// again in the background, so the dashboards and alert rules that used the
// data source find their metadata cached. What is remembered is what was
// used, not a guess: no provisioning files are read. It lives in memory,
// so a restarted plugin process starts cold (alert rules, evaluated within
// a minute, then pay for their never-seen entities once).

// maxRemembered bounds the metadata calls remembered per instance key, and
// rememberFor how long an unused one is kept.
const (
	maxRemembered = 2000
	rememberFor   = 24 * time.Hour
)

// remembered is one metadata call: when it was last used, and how to make
// it again on an instance.
type remembered struct {
	used time.Time
	warm func(ctx context.Context, a *API) error
}

var (
	rememberMu sync.Mutex
	remembers  = map[string]map[string]remembered{} // instance key -> path -> call
)

// remember records a metadata call of an instance with an InstanceKey.
func (a *API) remember(pathQuery string, warm func(ctx context.Context, a *API) error) {
	if a.cfg.InstanceKey == "" {
		return
	}
	now := a.cfg.Now()
	rememberMu.Lock()
	defer rememberMu.Unlock()
	m := remembers[a.rememberKey()]
	if m == nil {
		m = map[string]remembered{}
		remembers[a.rememberKey()] = m
	}
	if _, ok := m[pathQuery]; !ok && len(m) >= maxRemembered {
		oldest, at := "", now
		for k, r := range m {
			if r.used.Before(at) {
				oldest, at = k, r.used
			}
		}
		delete(m, oldest)
	}
	m[pathQuery] = remembered{used: now, warm: warm}
}

// forget drops a remembered call.
func (a *API) forget(pathQuery string) {
	rememberMu.Lock()
	defer rememberMu.Unlock()
	delete(remembers[a.rememberKey()], pathQuery)
}

// rememberKey is the instance key with the account and partner: calls of
// another account or partner are never replayed.
func (a *API) rememberKey() string {
	return fmt.Sprintf("%s\x00%s\x00%d", a.cfg.InstanceKey, a.cfg.accountKey(), a.cfg.PartnerID)
}

// warmUp fetches, in the background lane, the metadata that earlier
// instances with the same InstanceKey used within rememberFor, oldest
// first, each once the instance has no query in progress and the queue is
// idle. Entries already cached are not fetched again.
func (a *API) warmUp() {
	if a.cfg.InstanceKey == "" {
		return
	}
	now := a.cfg.Now()
	rememberMu.Lock()
	type call struct {
		path string
		remembered
	}
	var calls []call
	for k, r := range remembers[a.rememberKey()] {
		if now.Sub(r.used) <= rememberFor {
			calls = append(calls, call{k, r})
		}
	}
	rememberMu.Unlock()
	if len(calls) == 0 {
		return
	}
	slices.SortFunc(calls, func(x, y call) int { return x.used.Compare(y.used) })
	a.bg.start("", func(ctx context.Context) {
		for _, c := range calls {
			if a.bg.waitQuiet(ctx) != nil || a.queue.waitIdle(ctx) != nil {
				return
			}
			if err := c.warm(ctx, a); err != nil {
				if k := KindOf(err); k == KindNotFound || k == KindForbidden {
					a.forget(c.path) // gone, or no longer the account's
				}
				a.log.Debug("Locus metadata warm-up call failed", "kind", string(KindOf(err)))
			}
		}
	})
}
