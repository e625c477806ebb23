package locus

import (
	"context"
	"sync"
	"sync/atomic"
)

// CallStats collects what the client did for the calls made with one context
// (one query), for the query inspector. All methods are safe for concurrent use.
type CallStats struct {
	// Upstream counts /v3 requests sent to Locus (retries included).
	Upstream atomic.Int64
	// CacheHits counts calls answered from the cache.
	CacheHits atomic.Int64
	// Shared counts calls that joined an identical request already in flight.
	Shared atomic.Int64
	// Retries counts retried attempts (429, 5xx, network).
	Retries atomic.Int64
	// Auth counts token requests (password, refresh or client-credentials grants).
	Auth atomic.Int64

	mu       sync.Mutex
	executed []string
}

// CallCounts is a plain snapshot of CallStats.
type CallCounts struct {
	Upstream, CacheHits, Shared, Retries, Auth int64
	// Executed lists "GET /v3/...?..." once per call, however it was served.
	Executed []string
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
		Executed:  s.Executed(),
	}
}

func (s *CallStats) addExecuted(call string) {
	s.mu.Lock()
	s.executed = append(s.executed, call)
	s.mu.Unlock()
}
