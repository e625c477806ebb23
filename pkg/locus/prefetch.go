package locus

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Prefetch of per-site metadata that a query answered without: the
// installed sizes (modelsettings) of a fleet ranking. Locus gives a site's
// size only per site (GET /v3/sites/{id}/modelsettings), so a 10,000-site
// ranking would otherwise cost 10,000 requests before its first answer.
// The query reads what the cache holds (CachedModelSettings) and hands the
// rest to PrefetchModelSettings, which fetches them like warm-up: one call
// at a time on LaneBackground, each only once the instance has no query in
// progress (at most maxQuietWait) and the account queue is idle, so no
// prefetch request is ever queued in front of a panel's or an alert's.
// Fetched entries are cached like any metadata (MetadataTTL, then served
// stale for MetadataStale while refreshed; in the shared state when one is
// configured, so another replica finds them without a request).
// WaitBackground waits for the prefetch too.

// prefetcher is an instance's queue of metadata calls to fetch in the
// background.
type prefetcher struct {
	mu      sync.Mutex
	queue   []string                                   // paths waiting, first come first served
	pending map[string]func(ctx context.Context) error // queued or being fetched
	failed  map[string]error                           // the last background attempt's error, by path
	running bool
}

// maxPrefetchFailures bounds the failures remembered for reporting.
const maxPrefetchFailures = 20000

// getModeKey carries a getMode on a context.
type getModeKey struct{}

// getMode changes how getDecoded serves a GET.
type getMode int

const (
	// getCacheOnly answers from the cache (fresh, or stale within the
	// grace, then refreshed in the background as usual) and fails with
	// errNotCached instead of sending a request.
	getCacheOnly getMode = iota + 1
	// getUnremembered is a normal GET that warm-up does not remember
	// (background prefetches: a fleet's sizes would push out the calls
	// the dashboards and alert rules used).
	getUnremembered
)

func withGetMode(ctx context.Context, m getMode) context.Context {
	return context.WithValue(ctx, getModeKey{}, m)
}

func getModeFrom(ctx context.Context) getMode {
	m, _ := ctx.Value(getModeKey{}).(getMode)
	return m
}

// errNotCached is a cache-only GET's answer when the cache has no entry.
var errNotCached = errors.New("not in the cache")

func modelSettingsPath(siteID int64) string {
	return fmt.Sprintf("/v3/sites/%d/modelsettings", siteID)
}

// CachedModelSettings returns a site's model settings when this instance's
// cache holds them (fresh, or stale within MetadataStale, which is then
// refreshed in the background as any metadata), without any request; ok
// is false when it does not (a failed call is never cached).
func (a *API) CachedModelSettings(ctx context.Context, siteID int64) (ms *ModelSettings, ok bool) {
	if siteID <= 0 {
		return nil, false
	}
	ms, err := getObject[ModelSettings](withGetMode(ctx, getCacheOnly), a, modelSettingsPath(siteID))
	return ms, err == nil
}

// PrefetchModelSettings queues the model settings calls of siteIDs for the
// background (see the prefetch comment above): sites already queued or
// being fetched are not queued twice, and cached sites are left out.
// It returns how many of siteIDs are queued or being fetched now (each one
// request to Locus, unless the shared state has it), and, by site, the
// error of the last background attempt for those that failed (they are
// queued again).
func (a *API) PrefetchModelSettings(siteIDs []int64) (pending int, failed map[int64]error) {
	fetch := func(ctx context.Context, path string) error {
		_, err := getObject[ModelSettings](withGetMode(ctx, getUnremembered), a, path)
		return err
	}
	p := &a.pre
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending == nil {
		p.pending = map[string]func(context.Context) error{}
	}
	for _, id := range siteIDs {
		if id <= 0 {
			continue
		}
		path := modelSettingsPath(id)
		if err := p.failed[path]; err != nil {
			if failed == nil {
				failed = map[int64]error{}
			}
			failed[id] = err
		}
		if _, ok := a.cache.getStale(path, a.cfg.Now()); ok {
			continue // fresh or stale: served without a request
		}
		pending++
		if _, ok := p.pending[path]; ok {
			continue
		}
		p.pending[path] = func(ctx context.Context) error { return fetch(ctx, path) }
		p.queue = append(p.queue, path)
	}
	if len(p.queue) > 0 && !p.running {
		p.running = true
		if !a.bg.start("", a.runPrefetch) { // closed
			p.running = false
			p.queue, p.pending = nil, nil
			return 0, failed
		}
	}
	return pending, failed
}

// runPrefetch fetches the queued calls one at a time until none is left.
func (a *API) runPrefetch(ctx context.Context) {
	p := &a.pre
	for {
		p.mu.Lock()
		if len(p.queue) == 0 || ctx.Err() != nil {
			p.running = false
			p.queue, p.pending = nil, nil
			p.mu.Unlock()
			return
		}
		path := p.queue[0]
		p.queue = p.queue[1:]
		fetch := p.pending[path]
		p.mu.Unlock()
		var err error
		if err = a.bg.waitQuiet(ctx); err == nil {
			if err = a.queue.waitIdle(ctx); err == nil {
				err = fetch(ctx)
			}
		}
		p.mu.Lock()
		delete(p.pending, path)
		switch {
		case err == nil:
			delete(p.failed, path)
		case ctx.Err() == nil:
			if p.failed == nil || len(p.failed) >= maxPrefetchFailures {
				p.failed = map[string]error{}
			}
			p.failed[path] = err
			a.log.Debug("Locus metadata prefetch failed; queued again by the next query that needs it", "kind", string(KindOf(err)))
		}
		p.mu.Unlock()
	}
}
