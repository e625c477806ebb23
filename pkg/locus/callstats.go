package locus

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// CallStats collects what the client did for the calls made with one context
// (one query), for the query inspector. All methods are safe for concurrent use.
type CallStats struct {
	// Upstream counts /v3 requests sent to Locus (retries included).
	Upstream atomic.Int64
	// CacheHits counts calls answered from the cache.
	CacheHits atomic.Int64
	// Stale counts cache hits on metadata past its lifetime (served while
	// it is refreshed in the background).
	Stale atomic.Int64
	// Shared counts calls that joined an identical request already in flight.
	Shared atomic.Int64
	// Retries counts retried attempts (429, 5xx, network).
	Retries atomic.Int64
	// Auth counts token requests (password, refresh or client-credentials grants).
	Auth atomic.Int64

	mu       sync.Mutex
	executed []string
	queue    QueueFigures
}

// QueueFigures is what a query's requests met in the account queue.
type QueueFigures struct {
	// Lanes lists the lanes the requests were queued in, highest first.
	Lanes []Lane
	// Requests counts the requests admitted; Waited those that had to wait.
	Requests, Waited int
	// TotalWait sums and MaxWait is the longest of their waits.
	TotalWait, MaxWait time.Duration
	// MaxDepth is, by lane, the most requests found waiting on arrival.
	MaxDepth [len(laneNames)]int
}

// add merges o into f.
func (f *QueueFigures) add(o QueueFigures) {
	for _, l := range o.Lanes {
		f.addLane(l)
	}
	f.Requests += o.Requests
	f.Waited += o.Waited
	f.TotalWait += o.TotalWait
	f.MaxWait = max(f.MaxWait, o.MaxWait)
	for l, d := range o.MaxDepth {
		f.MaxDepth[l] = max(f.MaxDepth[l], d)
	}
}

func (f *QueueFigures) addLane(l Lane) {
	for i, x := range f.Lanes {
		if x == l {
			return
		}
		if l < x {
			f.Lanes = append(f.Lanes[:i], append([]Lane{l}, f.Lanes[i:]...)...)
			return
		}
	}
	f.Lanes = append(f.Lanes, l)
}

// Merge returns the sum of f and o.
func (f QueueFigures) Merge(o QueueFigures) QueueFigures {
	out := f
	out.Lanes = append([]Lane(nil), f.Lanes...)
	out.add(o)
	return out
}

// noteQueue records one request's passage through the queue.
func (s *CallStats) noteQueue(w QueueWait) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := &s.queue
	q.addLane(w.Lane)
	q.Requests++
	if w.Wait > 0 {
		q.Waited++
	}
	q.TotalWait += w.Wait
	q.MaxWait = max(q.MaxWait, w.Wait)
	for l, d := range w.Stats.Waiting {
		q.MaxDepth[l] = max(q.MaxDepth[l], d)
	}
}

// CallCounts is a plain snapshot of CallStats.
type CallCounts struct {
	Upstream, CacheHits, Shared, Retries, Auth int64
	// Stale counts the cache hits served stale (see CallStats.Stale).
	Stale int64
	// Executed lists "GET /v3/...?..." once per call, however it was served.
	Executed []string
	// Queue is what the requests met in the account queue.
	Queue QueueFigures
}

type callStatsKey struct{}

// WithCallStats returns a context whose client calls are counted in the
// returned CallStats. Calls nested under an already-counted context are
// counted in the innermost CallStats only.
func WithCallStats(ctx context.Context) (context.Context, *CallStats) {
	s := &CallStats{}
	return context.WithValue(ctx, callStatsKey{}, s), s
}

// callStatsFrom returns the context's CallStats, or a throwaway one.
func callStatsFrom(ctx context.Context) *CallStats {
	if s, ok := ctx.Value(callStatsKey{}).(*CallStats); ok && s != nil {
		return s
	}
	return &CallStats{}
}

// Executed returns the calls made so far ("GET /v3/...?..."), in order. They
// never contain credentials or tokens.
func (s *CallStats) Executed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.executed...)
}

// Snapshot returns the current counts.
func (s *CallStats) Snapshot() CallCounts {
	return CallCounts{
		Upstream:  s.Upstream.Load(),
		CacheHits: s.CacheHits.Load(),
		Shared:    s.Shared.Load(),
		Retries:   s.Retries.Load(),
		Auth:      s.Auth.Load(),
		Stale:     s.Stale.Load(),
		Executed:  s.Executed(),
		Queue:     s.queueFigures(),
	}
}

func (s *CallStats) queueFigures() QueueFigures {
	s.mu.Lock()
	defer s.mu.Unlock()
	return QueueFigures{}.Merge(s.queue)
}

func (s *CallStats) addExecuted(call string) {
	s.mu.Lock()
	s.executed = append(s.executed, call)
	s.mu.Unlock()
}
