package planner

import (
	"errors"
	"fmt"
	"time"
)

// Chunk is one upstream request: the buckets starting in [Start, End)
// (bucket-aligned instants, End exclusive) are kept. SendStart and SendEnd
// are the request's bounds, sent with FormatWall in the zone the chunk was
// planned in; they are wider than Start and End only where those read
// ambiguously (see Chunks), and zero in chunks made by Plan (send Start
// and End then; use Chunk.Send).
type Chunk struct{ Start, End, SendStart, SendEnd time.Time }

// Send returns the request bounds of c: SendStart and SendEnd when set,
// else Start and End.
func (c Chunk) Send() (time.Time, time.Time) {
	s, e := c.SendStart, c.SendEnd
	if s.IsZero() {
		s = c.Start
	}
	if e.IsZero() {
		e = c.End
	}
	return s, e
}

// MaxChunks caps a plan; beyond it the granularity is far too fine for the
// range and the caller should choose a coarser one.
const MaxChunks = 5000

// Align widens [from, to) to bucket boundaries of g in loc (time series
// queries do not: they follow PlanSeries, which never widens the range): from is floored
// to the start of its bucket and to is ceiled to the next boundary, so a
// partial first or last bucket is kept. An edge whose wall-clock reading
// would be ambiguous (inside a repeated fall-back hour) moves outwards to
// the nearest unambiguous boundary.
func Align(from, to time.Time, g Granularity, loc *time.Location) (time.Time, time.Time, error) {
	if err := checkRange(from, to, g, loc); err != nil {
		return time.Time{}, time.Time{}, err
	}
	start := g.Floor(from, loc)
	for !roundTrips(start, loc) {
		start = g.Prev(start, loc)
	}
	end := g.Ceil(to, loc)
	for !roundTrips(end, loc) {
		end = g.Next(end, loc)
	}
	return start, end, nil
}

// Plan aligns [from, to) in loc (see Align; time series queries use
// PlanSeries instead) and splits it into the fewest
// chunks the API accepts for g: each chunk runs to the last bucket boundary
// before its span limit, so chunks tile the aligned range with no gap or
// overlap and every bucket is fetched exactly once.
func Plan(from, to time.Time, g Granularity, loc *time.Location) ([]Chunk, error) {
	start, end, err := Align(from, to, g, loc)
	if err != nil {
		return nil, err
	}
	var chunks []Chunk
	for cur := start; cur.Before(end); {
		if len(chunks) == MaxChunks {
			return nil, fmt.Errorf("range %s to %s at %s granularity needs more than %d requests; choose a coarser granularity or a shorter range", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), g, MaxChunks)
		}
		next, limited := g.MaxEnd(cur, loc)
		if !limited || !next.Before(end) {
			next = end
		}
		if !next.After(cur) {
			return nil, fmt.Errorf("cannot split the range at %s: no %s bucket boundary fits the span limit after %s", g, g, FormatWall(cur, loc))
		}
		chunks = append(chunks, Chunk{Start: cur, End: next})
		cur = next
	}
	return chunks, nil
}

// checkRange validates Plan's and Align's arguments.
func checkRange(from, to time.Time, g Granularity, loc *time.Location) error {
	if loc == nil {
		return errors.New("time zone is missing; load one with LoadZone")
	}
	if !g.Valid() {
		return fmt.Errorf("unknown granularity %q; valid granularities are %s", string(g), validList())
	}
	if from.IsZero() || to.IsZero() {
		return errors.New("time range is missing its from or to time")
	}
	if !from.Before(to) {
		if from.Equal(to) {
			return fmt.Errorf("time range is empty: from and to are both %s; choose a range where from is before to", from.UTC().Format(time.RFC3339))
		}
		return fmt.Errorf("time range is reversed: from %s is after to %s; choose a range where from is before to", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	return nil
}
