package query

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// Grafana sends each panel as its own request, so the panels of a dashboard
// that read the same entity, granularity, zone and chunk arrive separately.
// The coalescer merges them across requests:
//
//   - data calls wait for a per-engine gate (as many as the account may have
//     in flight, handed out by lane like the account queue: an alert
//     evaluation's call never waits behind a backfill's chunks here either)
//     and, while waiting, are open: a fetch of the same chunk with
//     compatible field parameters joins it, adding its fields;
//   - once sent, a call is shared by any fetch whose fields it covers;
//   - the call a fetch last went out in (its fields and parameters, which
//     joining fetches may have widened) is remembered per chunk and
//     parameters for fieldMemoryTTL and asked again, so a
//     reload builds the same URLs as the load before and is served by the
//     client's cache, whatever order the panels arrive in.
type coalescer struct {
	api  *locus.API
	gate *locus.LaneQueue
	now  func() time.Time

	mu     sync.Mutex
	open   map[chunkKey][]*batch
	flying map[chunkKey][]*batch
	memory map[memoryKey]fieldMemory
}

// fieldMemoryTTL is how long the fields asked of one series are remembered
// (the client's default metadata lifetime).
const fieldMemoryTTL = 10 * time.Minute

// maxOpenWait bounds how long a batch that passed the gate stays open
// waiting for the account's queue to be idle, so steady traffic from other
// instances of the account cannot starve it.
const maxOpenWait = 2 * time.Second

// maxFieldMemory bounds the remembered series.
const maxFieldMemory = 10000

// chunkKey identifies one upstream data call but for its fields and parameters.
type chunkKey struct {
	kind       locus.EntityKind
	id         int64
	gran       planner.Granularity
	zone       string
	start, end string
}

// memoryKey identifies a chunk whose fields are remembered: the chunk's
// key (a series over one range: the range contract's small edge requests
// at a granularity must not change the URLs of other ranges at it) and
// its parameters.
type memoryKey struct {
	chunkKey
	params string
}

// fieldMemory is the remembered call of a series: its fields and parameters.
type fieldMemory struct {
	fields  []string
	params  map[string]string
	expires time.Time
}

// batch is one upstream data call and everyone waiting for it.
type batch struct {
	key    chunkKey
	lane   locus.Lane // the lane of the fetch that opened it
	params map[string]string
	fields []string
	ctx    context.Context
	cancel context.CancelFunc
	// waiters counts fetches still waiting; at 0 the call is cancelled.
	waiters   int
	abandoned bool
	// joined lists the parameter keys of the fetches in the call, whose
	// memory the call becomes when sent.
	joined []string
	done   chan struct{}

	series  *locus.Series
	err     error
	figures callFigures
}

// newCoalescer returns a coalescer sending at most maxInFlight calls at once.
func newCoalescer(api *locus.API, maxInFlight int, now func() time.Time) *coalescer {
	if maxInFlight < 1 {
		maxInFlight = 1
	}
	return &coalescer{
		api: api, gate: locus.NewLaneQueue(maxInFlight), now: now,
		open: map[chunkKey][]*batch{}, flying: map[chunkKey][]*batch{}, memory: map[memoryKey]fieldMemory{},
	}
}

// fetch returns the chunk's series holding at least fields (possibly more),
// and the figures to report: the call's own for the fetch that opened it,
// a shared result for the others.
func (c *coalescer) fetch(ctx context.Context, key chunkKey, params map[string]string, fields []string) (*locus.Series, callFigures, error) {
	c.mu.Lock()
	fields, params = c.remember(key, params, fields)
	b, opened := c.attach(ctx, key, params, fields)
	c.mu.Unlock()
	if opened {
		go c.send(b)
	}
	select {
	case <-b.done:
		if opened {
			return b.series, b.figures, b.err
		}
		return b.series, callFigures{Shared: 1, Executed: b.figures.Executed}, b.err
	case <-ctx.Done():
		c.mu.Lock()
		b.waiters--
		if b.waiters == 0 {
			b.abandoned = true
			b.cancel()
		}
		c.mu.Unlock()
		return nil, callFigures{}, locus.Canceled(ctx.Err())
	}
}

// attach finds a batch for the fetch (a sent one covering its fields, or an
// open one of the same or a higher lane to join) or opens one. It holds c.mu.
func (c *coalescer) attach(ctx context.Context, key chunkKey, params map[string]string, fields []string) (*batch, bool) {
	lane := locus.LaneFrom(ctx)
	for _, b := range c.flying[key] {
		if !b.abandoned && compatible(b.params, params) && covers(b.fields, fields) {
			b.waiters++
			return b, false
		}
	}
	for _, b := range c.open[key] {
		if !b.abandoned && b.lane <= lane && compatible(b.params, params) {
			for k, v := range params {
				b.params[k] = v
			}
			b.fields = union(b.fields, fields)
			b.joined = append(b.joined, paramsKey(params))
			b.waiters++
			return b, false
		}
	}
	bctx, cancel := context.WithCancel(locus.Detach(ctx))
	b := &batch{key: key, lane: lane, params: map[string]string{}, fields: append([]string(nil), fields...), ctx: bctx, cancel: cancel, waiters: 1, done: make(chan struct{}),
		joined: []string{paramsKey(params)}}
	for k, v := range params {
		b.params[k] = v
	}
	c.open[key] = append(c.open[key], b)
	return b, true
}

// send waits for the gate, freezes the batch and makes the call.
func (c *coalescer) send(b *batch) {
	defer close(b.done)
	defer b.cancel()
	before := c.gate.Stats()
	queued := time.Now()
	release, err := c.gate.Acquire(b.ctx, b.lane)
	gateWait := locus.QueueFigures{Lanes: []locus.Lane{b.lane}, TotalWait: time.Since(queued), MaxWait: time.Since(queued), MaxDepth: before.Waiting}
	if err == nil && b.lane != locus.LaneAlert {
		// Stay open while the account's queue is busy (typically with the
		// metadata lookups of panels still planning, whose data calls would
		// join): fields are fixed only when the call can leave at once. An
		// alert evaluation's call goes at once: it is first in the queue.
		wctx, cancel := context.WithTimeout(b.ctx, maxOpenWait)
		_ = c.api.WaitQueueIdle(wctx)
		cancel()
	}
	c.mu.Lock()
	c.open[b.key] = remove(c.open[b.key], b)
	if len(c.open[b.key]) == 0 {
		delete(c.open, b.key)
	}
	if err != nil {
		c.mu.Unlock()
		b.err = err
		return
	}
	c.flying[b.key] = append(c.flying[b.key], b)
	fields, params := b.fields, b.params
	// Every fetch in the call asks the same call next time.
	expires := c.now().Add(fieldMemoryTTL)
	for _, pk := range b.joined {
		mk := memoryKey{chunkKey: b.key, params: pk}
		c.memory[mk] = fieldMemory{fields: fields, params: params, expires: expires}
	}
	c.mu.Unlock()

	// The gate is free again as soon as Locus has answered (decoding the
	// answer needs no slot), or when the call ends.
	var freeOnce sync.Once
	free := func() { freeOnce.Do(release) }
	ctx, cs := locus.WithCallStats(locus.WithAnswered(b.ctx, free))
	var p map[string]string
	if len(params) > 0 {
		p = params
	}
	b.series, b.err = c.api.Data(ctx, locus.DataRequest{
		Kind: b.key.kind, ID: b.key.id, Fields: fields, Start: b.key.start, End: b.key.end,
		TZ: b.key.zone, Gran: string(b.key.gran), Params: p,
	})
	free()
	b.figures = figuresOf(cs)
	b.figures.Queue = gateWait.Merge(b.figures.Queue)

	c.mu.Lock()
	c.flying[b.key] = remove(c.flying[b.key], b)
	if len(c.flying[b.key]) == 0 {
		delete(c.flying, b.key)
	}
	c.mu.Unlock()
}

// remember merges fields and params with the remembered call of the series
// and returns the sorted union of fields and the parameters to ask. It holds
// c.mu.
func (c *coalescer) remember(key chunkKey, params map[string]string, fields []string) ([]string, map[string]string) {
	mk := memoryKey{chunkKey: key, params: paramsKey(params)}
	now := c.now()
	m, ok := c.memory[mk]
	if ok && now.After(m.expires) || !compatible(m.params, params) {
		m = fieldMemory{}
	}
	all := union(m.fields, fields)
	merged := make(map[string]string, len(params)+len(m.params))
	for k, v := range m.params {
		merged[k] = v
	}
	for k, v := range params {
		merged[k] = v
	}
	if !ok && len(c.memory) >= maxFieldMemory {
		for k, v := range c.memory {
			if now.After(v.expires) {
				delete(c.memory, k)
			}
		}
		if len(c.memory) >= maxFieldMemory {
			c.memory = map[memoryKey]fieldMemory{}
		}
	}
	c.memory[mk] = fieldMemory{fields: all, params: merged, expires: now.Add(fieldMemoryTTL)}
	return all, merged
}

// union returns the sorted distinct fields of a and b.
func union(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	out = append(out, a...)
	for _, f := range b {
		if !contains(out, f) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// covers reports whether have holds every field of want.
func covers(have, want []string) bool {
	for _, f := range want {
		if !contains(have, f) {
			return false
		}
	}
	return true
}

// remove deletes b from bs.
func remove(bs []*batch, b *batch) []*batch {
	for i, x := range bs {
		if x == b {
			return append(bs[:i], bs[i+1:]...)
		}
	}
	return bs
}

// paramsKey is a canonical string of params.
func paramsKey(p map[string]string) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += k + "=" + p[k] + "&"
	}
	return s
}
