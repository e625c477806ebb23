package planner

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// EdgeMode says what a time series does with a bucket that straddles the
// range's from or to (the range contract, docs/range-contract.md).
type EdgeMode string

const (
	// EdgesExact recomputes a straddling bucket over its part inside the
	// range from finer buckets (the default, for every aggregation).
	EdgesExact EdgeMode = "exact"
	// EdgesOmit leaves a straddling bucket out, with a notice.
	EdgesOmit EdgeMode = "omit"
)

// ParseEdgeMode reads the query's edges option: "" means EdgesExact.
func ParseEdgeMode(s string) (EdgeMode, error) {
	switch EdgeMode(strings.ToLower(strings.TrimSpace(s))) {
	case "", EdgesExact:
		return EdgesExact, nil
	case EdgesOmit:
		return EdgesOmit, nil
	}
	return "", fmt.Errorf("unknown edges mode %q; valid modes are exact (recompute partial buckets from finer data) and omit (leave them out)", s)
}

// SeriesInput is what PlanSeries needs to plan one entity of a time series
// query. Every instant may have any precision; the plan works on whole
// minutes (the API's finest bucket).
type SeriesInput struct {
	// From and To are the panel's range [From, To).
	From, To time.Time
	// Now clamps To (nothing after now has been measured); zero: no clamp.
	Now time.Time
	// Loc is the zone buckets are aligned in and requests are sent in.
	Loc *time.Location
	// Granularity is the chosen granularity, or "" (or "auto") for auto.
	Granularity Granularity
	// Offered lists the granularities every field of the query offers
	// (finest first); auto chooses among them and edge cascades use the
	// ones finer than the chosen granularity.
	Offered []Granularity
	// AutoAmong, when not nil, narrows auto's choice (to what the panel's
	// other auto queries on the entity also offer, so they share requests);
	// edge cascades still use all of Offered.
	AutoAmong []Granularity
	// Interval and MaxDataPoints constrain auto (<= 0: no constraint).
	Interval      time.Duration
	MaxDataPoints int64
	// Edges is the edge mode ("" means EdgesExact).
	Edges EdgeMode
	// MaxRequests refuses a plan needing more upstream requests (0: no limit).
	MaxRequests int
}

// Request is one planned set of upstream data requests at one granularity:
// the whole buckets of Gran in [Start, End), split into Chunks the API
// accepts. Its rows are the buckets that start in [Start, End).
type Request struct {
	Gran       Granularity
	Start, End time.Time
	Chunks     []Chunk
}

// Edge is a bucket of the plan's granularity that straddles the range's
// from or to, recomputed from finer data over [Start, End), its part inside
// the range (less any minutes no offered granularity can cover). Its row is
// stamped Start. Parts tile [Start, End) with no gap or overlap.
type Edge struct {
	// Bucket is the whole straddling bucket.
	Bucket     Chunk
	Start, End time.Time
	Parts      []Request
}

// SeriesPlan is what a time series query of one entity fetches and how its
// rows are made: Interior's rows as they come, each Edge's row combined from
// its Parts (sum: sum; avg: duration-weighted mean; min/max: min/max). Rows
// are Edges[start] (if any), Interior, Edges[end] (if any), in time order;
// every row describes only time inside [From, To).
type SeriesPlan struct {
	// Granularity is the chosen granularity (Reason says why, for auto).
	Granularity Granularity
	Auto        bool
	Reason      string
	// From and To are the effective range: the panel's range clamped to now
	// and cut to whole minutes (From ceiled, To floored).
	From, To time.Time
	// Empty is set when no whole minute of the range lies before now.
	Empty bool
	// Interior holds the whole buckets of Granularity inside [From, To);
	// nil when there is none.
	Interior *Request
	// Edges are the recomputed straddling buckets (EdgesExact), in time order.
	Edges []Edge
	// Omitted are the straddling buckets (or parts of them no offered
	// granularity covers) left out; Notices word them.
	Omitted []Chunk
	// Requests is the number of upstream data requests (all chunks).
	Requests int
	// Notices explain other choices (an empty range) for the user;
	// EdgeNotices word the edges (recomputed, left out).
	Notices, EdgeNotices []string
}

// EdgePlan is how the straddling buckets of a plan are handled for fields
// offering a set of granularities (see PlanEdges).
type EdgePlan struct {
	Edges    []Edge
	Omitted  []Chunk
	Notices  []string
	Requests int
}

// PlanEdges plans the buckets of g that straddle from or to (the effective,
// whole-minute range of a SeriesPlan) in loc for fields offering offered:
// in EdgesExact each is recomputed over its inside part from the finer
// offered granularities (minutes none of them covers are left out, with a
// notice); in EdgesOmit each is left out with a notice. PlanSeries calls it
// for all of a query's fields; the engine calls it again per group of
// fields offering different granularities, so a field offering 1min keeps
// exact edges beside one that starts at daily.
func PlanEdges(g Granularity, from, to time.Time, loc *time.Location, offered []Granularity, mode EdgeMode) (EdgePlan, error) {
	var ep EdgePlan
	s, t := g.Ceil(from, loc), g.Floor(to, loc)
	var straddling []Chunk
	if s.After(t) {
		// The whole range lies inside one bucket.
		straddling = append(straddling, Chunk{Start: from, End: to})
	} else {
		if from.Before(s) {
			straddling = append(straddling, Chunk{Start: from, End: s})
		}
		if t.Before(to) {
			straddling = append(straddling, Chunk{Start: t, End: to})
		}
	}
	if mode == EdgesOmit {
		for _, c := range straddling {
			ep.Omitted = append(ep.Omitted, c)
			ep.Notices = append(ep.Notices, fmt.Sprintf("Left out the partial %s bucket %s to %s (%s): it straddles the range's edge and edges are set to omit", g, FormatWall(c.Start, loc), FormatWall(c.End, loc), loc))
		}
		return ep, nil
	}
	var finer []Granularity
	for i := g.index() - 1; i >= 0; i-- { // coarsest first
		if slices.Contains(offered, All[i]) {
			finer = append(finer, All[i])
		}
	}
	for _, c := range straddling {
		parts, lo, hi, err := cover(c.Start, c.End, finer, loc)
		if err != nil {
			return ep, err
		}
		if lo.Before(hi) {
			bucket := Chunk{Start: g.Floor(c.Start, loc), End: g.Next(c.Start, loc)}
			ep.Edges = append(ep.Edges, Edge{Bucket: bucket, Start: lo, End: hi, Parts: parts})
			for _, r := range parts {
				ep.Requests += len(r.Chunks)
			}
		} else {
			lo, hi = c.End, c.End
		}
		for _, gap := range []Chunk{{Start: c.Start, End: lo}, {Start: hi, End: c.End}} {
			if gap.Start.Before(gap.End) {
				ep.Omitted = append(ep.Omitted, gap)
				ep.Notices = append(ep.Notices, fmt.Sprintf("Left out %s to %s (%s) of the partial %s bucket at the range's edge: no granularity the fields offer fits it (finer ones offered: %s)", FormatWall(gap.Start, loc), FormatWall(gap.End, loc), loc, g, granList(finer)))
			}
		}
	}
	if len(ep.Edges) > 0 {
		ep.Notices = append(ep.Notices, fmt.Sprintf("Exact edges: %d partial %s bucket(s) recomputed from finer data over their part inside the range", len(ep.Edges), g))
	}
	return ep, nil
}

// PlanSeries is the one planning entry point of time series queries (the
// query engine and the editor's /plan hint both call it). It clamps the
// range to now, cuts it to whole minutes, chooses an auto granularity (never
// longer than the range), finds the whole buckets inside the range and
// plans each straddling bucket as an exact edge (its inside part in one
// request of the finest offered granularity when that holds at most
// MaxEdgeRows buckets, else a cascade of the coarsest finer offered
// granularities whose whole buckets fit) or
// leaves it out (EdgesOmit). Errors are bad input: a missing zone, an
// unknown granularity or edge mode, a reversed range, an explicit
// granularity longer than the range in omit mode, or more than MaxRequests
// requests.
func PlanSeries(in SeriesInput) (SeriesPlan, error) {
	var p SeriesPlan
	if in.Loc == nil {
		return p, errors.New("time zone is missing; load one with LoadZone")
	}
	mode, err := ParseEdgeMode(string(in.Edges))
	if err != nil {
		return p, err
	}
	if in.From.IsZero() || in.To.IsZero() {
		return p, errors.New("time range is missing its from or to time")
	}
	if !in.From.Before(in.To) {
		return p, checkRange(in.From, in.To, Min1, in.Loc)
	}
	p.From = ceilMinute(in.From)
	end := in.To
	if !in.Now.IsZero() && end.After(in.Now) {
		end = in.Now
	}
	p.To = end.Truncate(time.Minute)
	p.Auto = in.Granularity == "" || in.Granularity == "auto"
	if !p.From.Before(p.To) {
		p.Empty = true
		p.Granularity = in.Granularity
		if p.Auto {
			p.Granularity = ""
		}
		p.Notices = append(p.Notices, "The range holds no whole minute before now: nothing to fetch")
		return p, nil
	}
	g := in.Granularity
	if p.Auto {
		among := in.Offered
		if in.AutoAmong != nil {
			among = in.AutoAmong
		}
		if g, p.Reason, err = ChooseAuto(among, in.Interval, p.From, p.To, in.MaxDataPoints); err != nil {
			return p, err
		}
	} else if !g.Valid() {
		return p, fmt.Errorf("unknown granularity %q; valid granularities are %s", string(g), validList())
	}
	loc := in.Loc
	if p.Auto && mode == EdgesOmit {
		// Omitting edges, auto needs a whole bucket inside the range: step
		// to finer offered granularities until one fits.
		for i := g.index() - 1; i >= 0 && !g.Ceil(p.From, loc).Before(g.Floor(p.To, loc)); i-- {
			if slices.Contains(in.Offered, All[i]) {
				p.Reason = fmt.Sprintf("Granularity auto chose %s: no whole %s bucket lies inside the range and edges are set to omit", All[i], g)
				g = All[i]
			}
		}
	}
	p.Granularity = g

	s, t := g.Ceil(p.From, loc), g.Floor(p.To, loc)
	if s.Before(t) {
		chunks, err := Chunks(s, t, g, loc)
		if err != nil {
			return p, err
		}
		p.Interior = &Request{Gran: g, Start: s, End: t, Chunks: chunks}
	}
	if mode == EdgesOmit && p.Interior == nil {
		return p, fmt.Errorf("no whole %s bucket lies inside the range %s to %s (%s) and edges are set to omit: choose exact edges, a finer granularity or a longer range", g, FormatWall(p.From, loc), FormatWall(p.To, loc), loc)
	}
	ep, err := PlanEdges(g, p.From, p.To, loc, in.Offered, mode)
	if err != nil {
		return p, err
	}
	p.Edges, p.Omitted, p.EdgeNotices = ep.Edges, ep.Omitted, ep.Notices
	if p.Interior != nil {
		p.Requests += len(p.Interior.Chunks)
	}
	p.Requests += ep.Requests
	if in.MaxRequests > 0 && p.Requests > in.MaxRequests {
		return p, &TooManyRequestsError{Requests: p.Requests, Max: in.MaxRequests, Granularity: g}
	}
	return p, nil
}

// MaxEdgeRows is how many buckets of the finest offered granularity one
// edge request may hold before the cascade uses coarser ones: a part of up
// to a day of minutes is one 1min request (the account's queue runs one
// request at a time, so fewer, larger requests are faster).
const MaxEdgeRows = 1440

// cover plans [a, b) (whole minutes): in one request of the coarsest of
// grans (coarsest first) whose at most MaxEdgeRows buckets tile it
// exactly, or else of the
// finest when its buckets in the part are at most MaxEdgeRows, or else with the coarsest whose whole buckets fit, then the
// remainders on either side with finer ones. It returns the requests in
// time order and the covered span [lo, hi); minutes outside it fit no
// granularity of grans.
func cover(a, b time.Time, grans []Granularity, loc *time.Location) ([]Request, time.Time, time.Time, error) {
	for _, f := range grans {
		if f.Ceil(a, loc).Equal(a) && f.Floor(b, loc).Equal(b) && a.Before(b) && b.Sub(a) <= MaxEdgeRows*f.Nominal() {
			chunks, err := Chunks(a, b, f, loc)
			if err != nil {
				return nil, a, a, err
			}
			return []Request{{Gran: f, Start: a, End: b, Chunks: chunks}}, a, b, nil
		}
	}
	if n := len(grans); n > 0 {
		f := grans[n-1]
		s, t := f.Ceil(a, loc), f.Floor(b, loc)
		if s.Before(t) && t.Sub(s) <= MaxEdgeRows*f.Nominal() {
			chunks, err := Chunks(s, t, f, loc)
			if err != nil {
				return nil, a, a, err
			}
			return []Request{{Gran: f, Start: s, End: t, Chunks: chunks}}, s, t, nil
		}
	}
	for i, f := range grans {
		s, t := f.Ceil(a, loc), f.Floor(b, loc)
		if !s.Before(t) {
			continue
		}
		chunks, err := Chunks(s, t, f, loc)
		if err != nil {
			return nil, a, a, err
		}
		left, lo, _, err := cover(a, s, grans[i+1:], loc)
		if err != nil {
			return nil, a, a, err
		}
		right, _, hi, err := cover(t, b, grans[i+1:], loc)
		if err != nil {
			return nil, a, a, err
		}
		if len(left) == 0 {
			lo = s
		}
		if len(right) == 0 {
			hi = t
		}
		out := append(left, Request{Gran: f, Start: s, End: t, Chunks: chunks})
		return append(out, right...), lo, hi, nil
	}
	return nil, a, a, nil
}

// Chunks splits [start, end), both bucket boundaries of g in loc, into the
// fewest requests the API accepts: each chunk runs to the last bucket
// boundary before its span limit, so chunks tile the range with no gap or
// overlap. A chunk's request bounds (SendStart, SendEnd) equal its bounds
// unless a bound's wall-clock reading is ambiguous (inside a repeated
// fall-back hour): then the request widens to the nearest unambiguous
// boundary and only the rows inside [Start, End) are kept.
func Chunks(start, end time.Time, g Granularity, loc *time.Location) ([]Chunk, error) {
	if err := checkRange(start, end, g, loc); err != nil {
		return nil, err
	}
	sendStart := start
	for !roundTrips(sendStart, loc) {
		sendStart = g.Prev(sendStart, loc)
	}
	var chunks []Chunk
	for cur, send := start, sendStart; cur.Before(end); {
		if len(chunks) == MaxChunks {
			return nil, fmt.Errorf("range %s to %s at %s granularity needs more than %d requests; choose a coarser granularity or a shorter range", start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339), g, MaxChunks)
		}
		next, limited := g.MaxEnd(send, loc)
		if !limited || !next.Before(end) {
			next = end
		}
		if !next.After(cur) {
			return nil, fmt.Errorf("cannot split the range at %s: no %s bucket boundary fits the span limit after %s", g, g, FormatWall(send, loc))
		}
		c := Chunk{Start: cur, End: next, SendStart: send, SendEnd: next}
		for !roundTrips(c.SendEnd, loc) {
			c.SendEnd = g.Next(c.SendEnd, loc)
		}
		chunks = append(chunks, c)
		cur, send = next, next
	}
	return chunks, nil
}

// ceilMinute is the first whole minute at or after t.
func ceilMinute(t time.Time) time.Time {
	f := t.Truncate(time.Minute)
	if f.Before(t) {
		return f.Add(time.Minute)
	}
	return f
}

// granList words a list of granularities ("none" when empty).
func granList(gs []Granularity) string {
	if len(gs) == 0 {
		return "none"
	}
	s := make([]string, len(gs))
	for i, g := range gs {
		s[i] = string(g)
	}
	return strings.Join(s, ", ")
}

// TooManyRequestsError is PlanSeries' refusal of a plan that needs more
// upstream requests than SeriesInput.MaxRequests.
type TooManyRequestsError struct {
	Requests, Max int
	Granularity   Granularity
}

// Error names the count, the limit and what to change.
func (e *TooManyRequestsError) Error() string {
	return fmt.Sprintf("the range needs %d requests at granularity %s (at most %d allowed): choose a coarser granularity, auto, or a shorter range", e.Requests, e.Granularity, e.Max)
}
