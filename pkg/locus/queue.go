package locus

import (
	"container/list"
	"context"
	"sync"
)

// accountQueue is the FIFO-fair limit of requests in flight for one Locus
// account, shared by every API instance of that account in the process.
// Its capacity is the smallest MaxConcurrent among the live instances, so a
// settings change that raises the limit takes effect once the old instance
// is closed, and one that lowers it takes effect at once.
type accountQueue struct {
	key string

	mu       sync.Mutex
	inFlight int
	capacity int
	caps     map[int]int // MaxConcurrent -> number of live instances using it
	waiters  list.List   // of chan struct{}, closed when granted
	// idle is closed (and replaced) whenever a slot is free with nobody waiting.
	idle chan struct{}
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
		q = &accountQueue{key: key, caps: map[int]int{}}
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
	if len(q.caps) == 0 && q.inFlight == 0 && q.waiters.Len() == 0 && queues.m[q.key] == q {
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
		q.capacity = c
	}
	q.grantLocked()
	q.signalIdleLocked()
}

// grantLocked hands free slots to waiters in arrival order.
func (q *accountQueue) grantLocked() {
	for q.inFlight < q.capacity {
		front := q.waiters.Front()
		if front == nil {
			return
		}
		q.waiters.Remove(front)
		q.inFlight++
		close(front.Value.(chan struct{}))
	}
}

// acquire waits for a slot in arrival order. A caller whose ctx ends while
// waiting leaves the line without ever holding a slot.
func (q *accountQueue) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q.mu.Lock()
	if q.inFlight < q.capacity && q.waiters.Len() == 0 {
		q.inFlight++
		q.mu.Unlock()
		return nil
	}
	ready := make(chan struct{})
	elem := q.waiters.PushBack(ready)
	q.mu.Unlock()

	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		q.mu.Lock()
		select {
		case <-ready:
			// Granted while we were giving up: pass the slot on.
			q.inFlight--
			q.grantLocked()
		default:
			q.waiters.Remove(elem)
			q.signalIdleLocked()
		}
		orphan := len(q.caps) == 0
		q.mu.Unlock()
		if orphan {
			q.dropIfIdle()
		}
		return ctx.Err()
	}
}

// release frees a slot taken by acquire.
func (q *accountQueue) release() {
	q.mu.Lock()
	q.inFlight--
	q.grantLocked()
	q.signalIdleLocked()
	orphan := len(q.caps) == 0
	q.mu.Unlock()
	if orphan {
		q.dropIfIdle()
	}
}

// stats reports the slots in use, the waiters and the capacity (for tests and diagnostics).
func (q *accountQueue) stats() (inFlight, waiting, capacity int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.inFlight, q.waiters.Len(), q.capacity
}

// signalIdleLocked wakes waitIdle callers when a slot is free and nobody waits.
func (q *accountQueue) signalIdleLocked() {
	if q.idle != nil && q.inFlight < q.capacity && q.waiters.Len() == 0 {
		close(q.idle)
		q.idle = nil
	}
}

// waitIdle returns once a slot is free with nobody waiting for one, or when
// ctx ends. It takes no slot: a caller that then acquires one usually gets
// it at once, but may still queue if another caller came first.
func (q *accountQueue) waitIdle(ctx context.Context) error {
	q.mu.Lock()
	if q.inFlight < q.capacity && q.waiters.Len() == 0 {
		q.mu.Unlock()
		return nil
	}
	if q.idle == nil {
		q.idle = make(chan struct{})
	}
	idle := q.idle
	q.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
