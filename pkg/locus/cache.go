package locus

import (
	"container/list"
	"sync"
	"time"
)

// cache is a per-instance LRU of decoded responses with per-entry lifetimes,
// bounded by total (estimated) bytes and by entry count so that a dashboard
// left open for weeks cannot grow memory without limit.
type cache struct {
	mu         sync.Mutex
	maxBytes   int64
	maxEntries int
	bytes      int64
	ll         list.List // front = most recently used
	m          map[string]*list.Element
}

type cacheEntry struct {
	key     string
	val     any
	size    int64
	expires time.Time
	// staleUntil is when the entry leaves the cache; between expires and
	// staleUntil it is served only by getStale.
	staleUntil time.Time
}

func newCache(maxBytes int64, maxEntries int) *cache {
	return &cache{maxBytes: maxBytes, maxEntries: maxEntries, m: map[string]*list.Element{}}
}

// get returns a live entry and marks it recently used.
func (c *cache) get(key string, now time.Time) (any, bool) {
	return c.lookup(key, now, false)
}

// getStale returns an entry past its lifetime but still within its stale
// grace (see putStale), and marks it recently used.
func (c *cache) getStale(key string, now time.Time) (any, bool) {
	return c.lookup(key, now, true)
}

// lookup serves get (stale false: only a live entry answers) and getStale
// (stale true: any entry within its stale grace answers). An entry that does
// not answer and is past its grace is removed.
func (c *cache) lookup(key string, now time.Time, stale bool) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	inGrace := now.Before(e.staleUntil)
	answers := inGrace
	if !stale {
		answers = now.Before(e.expires)
	}
	if !answers {
		if !inGrace {
			c.removeLocked(el)
		}
		return nil, false
	}
	c.ll.MoveToFront(el)
	return e.val, true
}

// remove drops key's entry, fresh or stale.
func (c *cache) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		c.removeLocked(el)
	}
}

// put stores val for ttl. Entries larger than a quarter of the budget are
// not cached, so one huge response cannot flush everything else.
func (c *cache) put(key string, val any, size int64, now time.Time, ttl time.Duration) {
	c.putStale(key, val, size, now, ttl, 0)
}

// putStale is put for an entry that getStale may still serve for grace
// after its lifetime ends.
func (c *cache) putStale(key string, val any, size int64, now time.Time, ttl, grace time.Duration) {
	if ttl <= 0 || size > c.maxBytes/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		c.removeLocked(el)
	}
	c.m[key] = c.ll.PushFront(&cacheEntry{key: key, val: val, size: size, expires: now.Add(ttl), staleUntil: now.Add(ttl + max(grace, 0))})
	c.bytes += size
	// Drop expired entries found at the cold end, then evict for the budget.
	for el := c.ll.Back(); el != nil && c.ll.Len() > 1; {
		prev := el.Prev()
		if e := el.Value.(*cacheEntry); !now.Before(e.staleUntil) {
			c.removeLocked(el)
			el = prev
			continue
		}
		break
	}
	for (c.bytes > c.maxBytes || c.ll.Len() > c.maxEntries) && c.ll.Len() > 0 {
		c.removeLocked(c.ll.Back())
	}
}

func (c *cache) removeLocked(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.ll.Remove(el)
	delete(c.m, e.key)
	c.bytes -= e.size
}

func (c *cache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	c.m = map[string]*list.Element{}
	c.bytes = 0
}

// usage reports the entries and estimated bytes held.
func (c *cache) usage() (entries int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len(), c.bytes
}
