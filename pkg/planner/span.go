package planner

import "time"

// SpanLimit is the calendar span one data request of g may not reach:
// a request is accepted iff start < end and end < start + limit, both read
// as wall-clock times in the request's zone. ok is false for monthly and
// yearly, which have no limit. The simulator enforces the same rule.
func (g Granularity) SpanLimit() (years, months, days int, ok bool) {
	switch g {
	case Min1:
		return 0, 0, 5, true
	case Min5, Min15, Hourly:
		return 0, 0, 31, true
	case Daily:
		return 1, 0, 0, true
	}
	return 0, 0, 0, false
}

// AcceptsWall applies the span rule to wall-clock readings: only the
// date and clock fields of startWall and endWall count, their locations are
// ignored (pass the parsed `start`/`end` strings of a request).
func (g Granularity) AcceptsWall(startWall, endWall time.Time) bool {
	s := asWall(startWall)
	e := asWall(endWall)
	if !s.Before(e) {
		return false
	}
	y, m, d, ok := g.SpanLimit()
	if !ok {
		return true
	}
	return e.Before(s.AddDate(y, m, d))
}

// Accepts applies the span rule to the request [start, end) sent in loc.
func (g Granularity) Accepts(start, end time.Time, loc *time.Location) bool {
	if !start.Before(end) {
		return false
	}
	return g.AcceptsWall(wallOf(start, loc), wallOf(end, loc))
}

// MaxEnd returns the latest bucket boundary E after start such that the
// request [start, E) in loc passes the span rule and E's wall-clock reading
// is unambiguous (not inside a repeated fall-back hour). ok is false when g
// has no span limit. start should be a bucket start.
func (g Granularity) MaxEnd(start time.Time, loc *time.Location) (time.Time, bool) {
	y, m, d, ok := g.SpanLimit()
	if !ok {
		return time.Time{}, false
	}
	limitWall := wallOf(start, loc).AddDate(y, m, d)
	l := time.Date(limitWall.Year(), limitWall.Month(), limitWall.Day(),
		limitWall.Hour(), limitWall.Minute(), limitWall.Second(), limitWall.Nanosecond(), loc)
	e := g.Floor(l, loc)
	for e.After(start) && !(wallOf(e, loc).Before(limitWall) && roundTrips(e, loc)) {
		e = g.Prev(e, loc)
	}
	return e, true
}

// asWall re-reads t's own date and clock fields as UTC.
func asWall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}
