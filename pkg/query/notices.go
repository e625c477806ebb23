package query

import (
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// callFigures are the upstream figures of some client calls.
type callFigures struct {
	Upstream  int64
	CacheHits int64
	Shared    int64
	Retries   int64
	Executed  []string
	Queue     locus.QueueFigures
}

// add returns the sum of f and o.
func (f callFigures) add(o callFigures) callFigures {
	return callFigures{
		Upstream:  f.Upstream + o.Upstream,
		CacheHits: f.CacheHits + o.CacheHits,
		Shared:    f.Shared + o.Shared,
		Retries:   f.Retries + o.Retries,
		Executed:  append(append([]string(nil), f.Executed...), o.Executed...),
		Queue:     f.Queue.Merge(o.Queue),
	}
}

// Custom is the frame meta "custom" object the query inspector shows.
type Custom struct {
	// UpstreamRequests is the number of requests sent to Locus for the query.
	UpstreamRequests int64 `json:"upstreamRequests"`
	// CacheHits is the number of results served from the instance's cache.
	CacheHits int64 `json:"cacheHits"`
	// SharedRequests counts results shared with an identical request in flight.
	SharedRequests int64 `json:"sharedRequests,omitempty"`
	// Retries counts upstream retries (429, 5xx, network).
	Retries int64 `json:"retries,omitempty"`
	// Granularity is the granularity sent upstream.
	Granularity string `json:"granularity,omitempty"`
	// Chunks is the number of data requests the range was split into.
	Chunks int `json:"chunks,omitempty"`
	// TZ is the zone sent as tz (buckets are aligned in it).
	TZ string `json:"tz,omitempty"`
	// MergedWith lists the refIds whose upstream requests this query shared.
	MergedWith []string `json:"mergedWith,omitempty"`
	// Time is the timestamp of a latest value (latest queries only).
	Time string `json:"time,omitempty"`
	// Queue is what the query's requests met in the queues.
	Queue *QueueMeta `json:"queue,omitempty"`
}

// QueueMeta is the query inspector's view of the queues (the engine's gate
// and the account queue) for one query.
type QueueMeta struct {
	// Lanes are the lanes its requests were queued in, highest first.
	Lanes []string `json:"lanes"`
	// TotalWaitMs sums and MaxWaitMs is the longest of its requests' waits
	// for a slot, in milliseconds.
	TotalWaitMs float64 `json:"totalWaitMs"`
	MaxWaitMs   float64 `json:"maxWaitMs"`
	// Depth is, by lane, the most requests its requests found waiting.
	Depth map[string]int `json:"depth"`
}

// queueMeta converts queue figures for the frame meta; nil when no request queued.
func queueMeta(q locus.QueueFigures) *QueueMeta {
	if len(q.Lanes) == 0 {
		return nil
	}
	m := &QueueMeta{
		TotalWaitMs: float64(q.TotalWait.Microseconds()) / 1000,
		MaxWaitMs:   float64(q.MaxWait.Microseconds()) / 1000,
		Depth:       map[string]int{},
	}
	for _, l := range q.Lanes {
		m.Lanes = append(m.Lanes, l.String())
	}
	for _, l := range locus.Lanes {
		m.Depth[l.String()] = q.MaxDepth[l]
	}
	return m
}

// queueNoticeAfter is the wait from which a query's frames carry a notice
// about the queue (shorter waits show only in the custom meta).
const queueNoticeAfter = time.Second

// metaInfo collects what a query's frames report in their meta.
type metaInfo struct {
	figures callFigures
	custom  Custom
	notices []data.Notice
}

// info adds an informational notice.
func (m *metaInfo) info(format string, args ...any) {
	m.notices = append(m.notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(format, args...)})
}

// warn adds a warning notice.
func (m *metaInfo) warn(format string, args ...any) {
	m.notices = append(m.notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: fmt.Sprintf(format, args...)})
}

// addCalls records the figures of a CallStats.
func (m *metaInfo) addCalls(cs *locus.CallStats) {
	m.figures = m.figures.add(figuresOf(cs))
}

// apply writes the meta onto every frame (keeping what the frame builder set).
func (m *metaInfo) apply(frames data.Frames, refID string) {
	c := m.custom
	c.UpstreamRequests = m.figures.Upstream
	c.CacheHits = m.figures.CacheHits
	c.SharedRequests = m.figures.Shared
	c.Retries = m.figures.Retries
	c.Queue = queueMeta(m.figures.Queue)
	notices := append([]data.Notice(nil), m.notices...)
	if q := c.Queue; q != nil && m.figures.Queue.MaxWait >= queueNoticeAfter {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
			"Requests waited up to %.1f s for the account's request queue (lane %s; most waiting: alert %d, interactive %d, bulk %d, background %d)",
			q.MaxWaitMs/1000, strings.Join(q.Lanes, ", "), q.Depth["alert"], q.Depth["interactive"], q.Depth["bulk"], q.Depth["background"])})
	}
	if total := m.figures.Upstream + m.figures.CacheHits + m.figures.Shared; m.figures.CacheHits > 0 {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo,
			Text: fmt.Sprintf("%d of %d results served from cache", m.figures.CacheHits, total)})
	}
	executed := joinLines(m.figures.Executed)
	for _, f := range frames {
		if f == nil {
			continue
		}
		f.RefID = refID
		if f.Meta == nil {
			f.Meta = &data.FrameMeta{}
		}
		fc := c
		if prev, isMap := f.Meta.Custom.(map[string]string); isMap {
			fc.Time = prev["time"] // the frame builder's latest timestamp
		}
		f.Meta.ExecutedQueryString = executed
		f.Meta.Custom = fc
		f.Meta.Notices = append(f.Meta.Notices, notices...)
	}
}

// joinLines joins the executed calls one per line, dropping repeats.
func joinLines(lines []string) string {
	seen := make(map[string]bool, len(lines))
	out := make([]byte, 0, 64*len(lines))
	for _, l := range lines {
		if seen[l] {
			continue
		}
		seen[l] = true
		if len(out) > 0 {
			out = append(out, '\n')
		}
		out = append(out, l...)
	}
	return string(out)
}

// figuresOf snapshots a CallStats.
func figuresOf(cs *locus.CallStats) callFigures {
	s := cs.Snapshot()
	return callFigures{Upstream: s.Upstream, CacheHits: s.CacheHits, Shared: s.Shared, Retries: s.Retries, Executed: s.Executed, Queue: s.Queue}
}
