package locus

import (
	"context"
	"sync"
)

// accountQueue is the account's request queue: the Limiter of requests in
// flight for one Locus account, shared by every API instance of that
// account in the process (the account is BaseURL+ClientID+Username,
// Config.accountKey). Its capacity is the smallest MaxConcurrent among the
// live instances, so a settings change that raises the limit takes effect
// once the old instance is closed, and one that lowers it takes effect at
// once. Slots are handed out by lane (see LaneQueue and StarvationBound).
// It also holds the account's login state (one grant at a time, and the
// last refusal), so that instances of one account never log in at once.
type accountQueue struct {
	*LaneQueue
	key string

	mu   sync.Mutex
	caps map[int]int // MaxConcurrent -> number of live instances using it

	login accountLogin
}

var queues = struct {
	sync.Mutex
	m map[string]*accountQueue
}{m: map[string]*accountQueue{}}

// joinQueue returns the account's queue, creating it, and registers one
// instance with the given capacity.
func joinQueue(key string, capacity int) *accountQueue {
	queues.Lock()
	defer queues.Unlock()
	q := queues.m[key]
	if q == nil {
		q = &accountQueue{LaneQueue: NewLaneQueue(capacity), key: key, caps: map[int]int{}}
		q.login.slot = make(chan struct{}, 1)
		queues.m[key] = q
	}
	q.mu.Lock()
	q.caps[capacity]++
	q.recomputeLocked()
	q.mu.Unlock()
	return q
}

// leave unregisters one instance. The queue is removed once no instance
// uses it and nothing is in flight or waiting: requests a closed instance
// still has running keep counting against the account, so an instance
// created meanwhile for the same account (Grafana swapping instances after a
// settings change) shares the same queue with them.
func (q *accountQueue) leave(capacity int) {
	q.mu.Lock()
	q.caps[capacity]--
	if q.caps[capacity] <= 0 {
		delete(q.caps, capacity)
	}
	q.recomputeLocked()
	q.mu.Unlock()
	q.dropIfIdle()
}

// dropIfIdle removes the queue from the registry when it is unused.
func (q *accountQueue) dropIfIdle() {
	queues.Lock()
	defer queues.Unlock()
	q.mu.Lock()
	defer q.mu.Unlock()
	st := q.Stats()
	if len(q.caps) == 0 && st.InFlight == 0 && st.TotalWaiting() == 0 && queues.m[q.key] == q {
		delete(queues.m, q.key)
	}
}

// recomputeLocked sets the capacity to the smallest live limit; with no
// live instance the last capacity stays for the requests still running.
func (q *accountQueue) recomputeLocked() {
	c := 0
	for v := range q.caps {
		if c == 0 || v < c {
			c = v
		}
	}
	if c >= 1 {
		q.SetCapacity(c)
	}
}

// acquire waits for a slot in the turn of ctx's lane (LaneFrom).
func (q *accountQueue) acquire(ctx context.Context) error {
	if err := q.LaneQueue.acquire(ctx, LaneFrom(ctx)); err != nil {
		q.dropIfOrphan()
		return err
	}
	return nil
}

// Acquire implements Limiter; the queue is forgotten once unused.
func (q *accountQueue) Acquire(ctx context.Context, lane Lane) (func(), error) {
	if err := q.LaneQueue.acquire(ctx, lane); err != nil {
		q.dropIfOrphan()
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(q.release) }, nil
}

// release frees a slot taken by acquire.
func (q *accountQueue) release() {
	q.LaneQueue.release()
	q.dropIfOrphan()
}

// dropIfOrphan drops the queue when no instance uses it any more.
func (q *accountQueue) dropIfOrphan() {
	q.mu.Lock()
	orphan := len(q.caps) == 0
	q.mu.Unlock()
	if orphan {
		q.dropIfIdle()
	}
}

// stats reports the slots in use, the waiters and the capacity (for tests and diagnostics).
func (q *accountQueue) stats() (inFlight, waiting, capacity int) {
	s := q.Stats()
	return s.InFlight, s.TotalWaiting(), s.Capacity
}

// waitIdle is LaneQueue.WaitIdle.
func (q *accountQueue) waitIdle(ctx context.Context) error { return q.WaitIdle(ctx) }
