package locus

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Limiter admits requests into a limited number of slots by lane. The
// account queue (one per Locus account in the process) and the query
// engine's per-instance gate are Limiters; a shared implementation (one
// queue per account across replicas) can replace the in-process one behind
// this interface.
//
// Acquire waits for a slot in lane's turn and returns the function that
// frees it (call it exactly once), or ctx's error if ctx ends first (then no
// slot was taken). Stats reports the current occupancy.
type Limiter interface {
	Acquire(ctx context.Context, lane Lane) (release func(), err error)
	Stats() QueueStats
}

// QueueStats is a snapshot of a Limiter.
type QueueStats struct {
	// InFlight is the slots in use, Capacity the slots there are.
	InFlight, Capacity int
	// Waiting is the number of requests waiting, by lane (index = Lane).
	Waiting [len(laneNames)]int
}

// Depth returns the waiting requests of every lane, by lane name.
func (s QueueStats) Depth() map[string]int {
	out := make(map[string]int, len(s.Waiting))
	for l, n := range s.Waiting {
		out[Lane(l).String()] = n
	}
	return out
}

// TotalWaiting is the waiting requests of all lanes.
func (s QueueStats) TotalWaiting() int {
	n := 0
	for _, w := range s.Waiting {
		n += w
	}
	return n
}

// laneNames sizes the per-lane arrays (one entry per Lane).
var laneNames = [...]string{"alert", "interactive", "bulk", "background"}

// StarvationBound is the queue's anti-starvation bound K: once K grants in a
// row went to higher lanes while a lane had a request waiting, that lane's
// oldest request is served next. So the first waiter of any lane is served
// within K+len(Lanes)-1 grants, whatever arrives in the higher lanes, and an
// alert request waits behind at most one lower-lane grant in every K+1.
const StarvationBound = 8

// LaneQueue is the in-process Limiter: capacity slots, handed out by strict
// lane priority (alert, interactive, bulk, background), first come first
// served within a lane, with the StarvationBound rule so no lane waits
// forever. A request whose ctx ends while waiting leaves without a slot.
type LaneQueue struct {
	mu       sync.Mutex
	inFlight int
	capacity int
	lanes    [len(laneNames)]list.List // of *laneWaiter, in arrival order
	// passed counts grants made to a higher lane while the lane had a waiter.
	passed [len(laneNames)]int
	// idle is closed (and replaced) whenever a slot is free with nobody waiting.
	idle chan struct{}
}

type laneWaiter struct {
	ready chan struct{} // closed when granted
}

// NewLaneQueue returns a LaneQueue with capacity slots (at least 1).
func NewLaneQueue(capacity int) *LaneQueue {
	q := &LaneQueue{}
	q.SetCapacity(capacity)
	return q
}

// SetCapacity changes the number of slots (at least 1); a raise grants
// waiters at once, a cut takes effect as requests in flight finish.
func (q *LaneQueue) SetCapacity(capacity int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.capacity = max(capacity, 1)
	q.grantLocked()
	q.signalIdleLocked()
}

// Acquire implements Limiter.
func (q *LaneQueue) Acquire(ctx context.Context, lane Lane) (func(), error) {
	if err := q.acquire(ctx, lane); err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(q.release) }, nil
}

// Stats implements Limiter.
func (q *LaneQueue) Stats() QueueStats {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := QueueStats{InFlight: q.inFlight, Capacity: q.capacity}
	for l := range q.lanes {
		s.Waiting[l] = q.lanes[l].Len()
	}
	return s
}

func laneIndex(l Lane) int {
	if l < LaneAlert || int(l) >= len(laneNames) {
		return int(LaneInteractive)
	}
	return int(l)
}

// acquire waits for a slot in lane's turn.
func (q *LaneQueue) acquire(ctx context.Context, lane Lane) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	li := laneIndex(lane)
	q.mu.Lock()
	if q.inFlight < q.capacity && q.waitingLocked() == 0 {
		q.inFlight++
		q.mu.Unlock()
		return nil
	}
	w := &laneWaiter{ready: make(chan struct{})}
	elem := q.lanes[li].PushBack(w)
	q.mu.Unlock()

	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		q.mu.Lock()
		select {
		case <-w.ready:
			// Granted while we were giving up: pass the slot on.
			q.inFlight--
			q.grantLocked()
		default:
			q.lanes[li].Remove(elem)
			if q.lanes[li].Len() == 0 {
				q.passed[li] = 0
			}
		}
		q.signalIdleLocked()
		q.mu.Unlock()
		return ctx.Err()
	}
}

// release frees a slot taken by acquire.
func (q *LaneQueue) release() {
	q.mu.Lock()
	q.inFlight--
	q.grantLocked()
	q.signalIdleLocked()
	q.mu.Unlock()
}

func (q *LaneQueue) waitingLocked() int {
	n := 0
	for l := range q.lanes {
		n += q.lanes[l].Len()
	}
	return n
}

// grantLocked hands free slots to waiters: the oldest waiter of a starved
// lane (passed StarvationBound times; the highest such lane first), else
// the first waiter of the highest lane with one.
func (q *LaneQueue) grantLocked() {
	for q.inFlight < q.capacity {
		pick := -1
		for l := range q.lanes {
			if q.lanes[l].Len() > 0 && q.passed[l] >= StarvationBound {
				pick = l
				break
			}
		}
		if pick < 0 {
			for l := range q.lanes {
				if q.lanes[l].Len() > 0 {
					pick = l
					break
				}
			}
		}
		if pick < 0 {
			return
		}
		front := q.lanes[pick].Front()
		q.lanes[pick].Remove(front)
		q.passed[pick] = 0
		for l := pick + 1; l < len(q.lanes); l++ {
			if q.lanes[l].Len() > 0 {
				q.passed[l]++
			}
		}
		q.inFlight++
		close(front.Value.(*laneWaiter).ready)
	}
}

// signalIdleLocked wakes waitIdle callers when a slot is free and nobody waits.
func (q *LaneQueue) signalIdleLocked() {
	if q.idle != nil && q.inFlight < q.capacity && q.waitingLocked() == 0 {
		close(q.idle)
		q.idle = nil
	}
}

// WaitIdle returns once a slot is free with nobody waiting for one, or when
// ctx ends (with its error). It takes no slot: a caller that then acquires
// one usually gets it at once, but may still queue if another came first.
func (q *LaneQueue) WaitIdle(ctx context.Context) error {
	q.mu.Lock()
	if q.inFlight < q.capacity && q.waitingLocked() == 0 {
		q.mu.Unlock()
		return nil
	}
	if q.idle == nil {
		q.idle = make(chan struct{})
	}
	idle := q.idle
	q.mu.Unlock()
	return waitClosed(ctx, idle)
}

// waitClosed returns nil when ch is closed, or ctx's error if ctx ends first.
func waitClosed(ctx context.Context, ch <-chan struct{}) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// QueueWait is what one request met in a Limiter: its lane, how long it
// waited for its slot and the lanes' depths when it arrived.
type QueueWait struct {
	Lane  Lane
	Wait  time.Duration
	Stats QueueStats
}
