package planner

import "time"

// Bucket edges. Sub-daily buckets start where the zone's wall clock reads a
// multiple of the bucket length within the hour (so a 15min bucket in
// Asia/Kathmandu starts at :00 local, which is :15 UTC); daily, monthly and
// yearly buckets start at the first instant of the local day, month or year.
// A bucket ends where the next one starts, so buckets that contain a DST
// change are shorter or longer than nominal (a fall-back day has 25 hourly
// buckets, two of which read 01:00 with different offsets).

// Floor returns the start of the bucket of g that contains t, in loc.
// For an invalid g it returns t unchanged.
func (g Granularity) Floor(t time.Time, loc *time.Location) time.Time {
	if step := g.subDailyStep(); step > 0 {
		return floorSubDaily(t, loc, step)
	}
	w := t.In(loc)
	y, m, d := w.Date()
	switch g {
	case Daily:
		return startOfDay(y, m, d, loc)
	case Monthly:
		return startOfDay(y, m, 1, loc)
	case Yearly:
		return startOfDay(y, time.January, 1, loc)
	}
	return t
}

// Next returns the start of the bucket after the one containing t (for a
// bucket start, the next bucket start), in loc. It is calendar aware: the
// month after January 31st starts on February 1st. For an invalid g it
// returns t unchanged.
func (g Granularity) Next(t time.Time, loc *time.Location) time.Time {
	if step := g.subDailyStep(); step > 0 {
		return ceilSubDaily(t.Add(time.Nanosecond), loc, step)
	}
	w := g.Floor(t, loc).In(loc)
	y, m, d := w.Date()
	switch g {
	case Daily:
		return startOfDay(y, m, d+1, loc)
	case Monthly:
		return startOfDay(y, m+1, 1, loc)
	case Yearly:
		return startOfDay(y+1, time.January, 1, loc)
	}
	return t
}

// Ceil returns the earliest bucket start at or after t, in loc.
func (g Granularity) Ceil(t time.Time, loc *time.Location) time.Time {
	if step := g.subDailyStep(); step > 0 {
		return ceilSubDaily(t, loc, step)
	}
	f := g.Floor(t, loc)
	if f.Equal(t) {
		return f
	}
	return g.Next(f, loc)
}

// Prev returns the start of the bucket before the one containing t, in loc.
func (g Granularity) Prev(t time.Time, loc *time.Location) time.Time {
	return g.Floor(g.Floor(t, loc).Add(-time.Nanosecond), loc)
}

// wallRemainder is how far w's wall clock is past the last multiple of step
// within its hour (step divides an hour).
func wallRemainder(w time.Time, step time.Duration) time.Duration {
	stepMin := int(step / time.Minute)
	return time.Duration(w.Minute()%stepMin)*time.Minute +
		time.Duration(w.Second())*time.Second +
		time.Duration(w.Nanosecond())
}

// floorSubDaily is the latest aligned instant <= t. Within one zone period
// (constant offset) the wall remainder gives it directly; if that lands
// before the period began, no aligned instant lies in [periodStart, t], so
// the answer is the floor of the instant just before the period.
func floorSubDaily(t time.Time, loc *time.Location, step time.Duration) time.Time {
	for i := 0; i < maxZoneHops; i++ {
		w := t.In(loc)
		c := t.Add(-wallRemainder(w, step))
		start, _ := w.ZoneBounds()
		if start.IsZero() || !c.Before(start) {
			return c
		}
		t = start.Add(-time.Nanosecond)
	}
	return t
}

// ceilSubDaily is the earliest aligned instant >= t, the mirror of
// floorSubDaily: if the next aligned instant in t's offset lies at or past
// the period's end, continue from the period's end in the new offset.
func ceilSubDaily(t time.Time, loc *time.Location, step time.Duration) time.Time {
	for i := 0; i < maxZoneHops; i++ {
		w := t.In(loc)
		rem := wallRemainder(w, step)
		if rem == 0 {
			return t
		}
		c := t.Add(step - rem)
		_, end := w.ZoneBounds()
		if end.IsZero() || c.Before(end) {
			return c
		}
		t = end
	}
	return t
}

// maxZoneHops bounds the zone-period walks; real zones change offset at most
// a few times a year, so a handful of hops always suffices.
const maxZoneHops = 8

// startOfDay is the first instant of the local day y-m-d (normalised, so
// d may overflow the month). When local midnight does not exist (zones whose
// DST starts at 00:00, such as America/Santiago or America/Havana) the day
// starts at the transition instant.
func startOfDay(y int, m time.Month, d int, loc *time.Location) time.Time {
	c := time.Date(y, m, d, 0, 0, 0, 0, loc)
	want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	wc := wallOf(c, loc)
	if wc.Equal(want) {
		return c
	}
	if wc.Before(want) {
		// c fell on the previous local day: the day begins at the next transition.
		_, end := c.ZoneBounds()
		if !end.IsZero() {
			return end
		}
		return c
	}
	// c is later on the wanted day: the day began at the transition before c.
	start, _ := c.ZoneBounds()
	if !start.IsZero() && wallOf(start, loc).Before(wc) && !wallOf(start, loc).Before(want) {
		return start
	}
	return c
}

// wallOf returns t's wall-clock reading in loc as a UTC time with the same
// fields, so wall clocks can be compared and added to without zone effects.
func wallOf(t time.Time, loc *time.Location) time.Time {
	w := t.In(loc)
	y, m, d := w.Date()
	hh, mm, ss := w.Clock()
	return time.Date(y, m, d, hh, mm, ss, w.Nanosecond(), time.UTC)
}

// roundTrips reports whether t's wall-clock reading in loc names t and only
// t: false inside a repeated (fall-back) hour, where the API could read the
// wall string as either instant.
func roundTrips(t time.Time, loc *time.Location) bool {
	t = t.In(loc)
	w := wallOf(t, loc)
	back := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	if !back.Equal(t) {
		return false
	}
	// time.Date picks one of two readings of an ambiguous wall time; check
	// that the same wall time does not also occur in the neighbouring period.
	start, end := t.ZoneBounds()
	_, off := t.Zone()
	if !start.IsZero() {
		_, prevOff := start.Add(-time.Nanosecond).Zone()
		if alt := t.Add(time.Duration(off-prevOff) * time.Second); alt.Before(start) && wallOf(alt, loc).Equal(w) {
			return false
		}
	}
	if !end.IsZero() {
		_, nextOff := end.Zone()
		if alt := t.Add(time.Duration(off-nextOff) * time.Second); !alt.Before(end) && wallOf(alt, loc).Equal(w) {
			return false
		}
	}
	return true
}
