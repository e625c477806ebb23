package locussim

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// WallLayout is the format of start, end, updatedSince and openDuring* parameters.
const WallLayout = "2006-01-02T15:04:05"

// TSLayout is the format of response timestamps: wall clock plus the zone's
// numeric offset (UTC as +00:00).
const TSLayout = "2006-01-02T15:04:05-07:00"

// Granularities lists the data granularities in the API's order.
var Granularities = gransAll

// loadTZ loads an IANA zone name for the tz parameter.
func loadTZ(name string) (*time.Location, error) {
	if name == "" {
		return nil, fmt.Errorf("tz is required: an IANA time zone such as US/Pacific, America/New_York or UTC")
	}
	if name == "Local" || strings.ContainsAny(name, " \\") || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return nil, fmt.Errorf("unknown tz %q: use an IANA time zone such as US/Pacific, America/New_York or UTC", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown tz %q: use an IANA time zone such as US/Pacific, America/New_York or UTC", name)
	}
	return loc, nil
}

// parseRange parses a data request's start and end wall-clock parameters in loc.
func parseRange(q url.Values, loc *time.Location) (start, end time.Time, err error) {
	if start, err = parseWall("start", q.Get("start"), loc); err != nil {
		return start, end, err
	}
	end, err = parseWall("end", q.Get("end"), loc)
	return start, end, err
}

// parseWall parses a wall-clock parameter in loc.
func parseWall(param, v string, loc *time.Location) (time.Time, error) {
	if v == "" {
		return time.Time{}, fmt.Errorf("%s is required, format YYYY-MM-DDThh:mm:ss", param)
	}
	t, err := time.ParseInLocation(WallLayout, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not a valid timestamp: format YYYY-MM-DDThh:mm:ss, e.g. 2014-04-01T00:00:00", param, v)
	}
	return t, nil
}

// naive is a wall-clock time with the zone stripped, for calendar comparisons.
func naive(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// SpanLimit describes the longest span one data request may cover at a
// granularity: ok is false when there is no limit. The request is accepted
// iff start < end and end < start.AddDate(years, months, days) (wall clock).
func SpanLimit(gran string) (years, months, days int, ok bool) {
	switch gran {
	case "1min":
		return 0, 0, 5, true
	case "5min", "15min", "hourly":
		return 0, 0, 31, true
	case "daily":
		return 1, 0, 0, true
	}
	return 0, 0, 0, false
}

// checkSpan applies the span rule to wall-clock start and end.
func checkSpan(gran string, start, end time.Time) error {
	s, e := naive(start), naive(end)
	if !s.Before(e) {
		return fmt.Errorf("start must be before end (start=%s, end=%s)", s.Format(WallLayout), e.Format(WallLayout))
	}
	y, mo, d, ok := SpanLimit(gran)
	if !ok {
		return nil
	}
	if !e.Before(s.AddDate(y, mo, d)) {
		limit := fmt.Sprintf("%d days", d)
		if y == 1 {
			limit = "1 year"
		}
		return fmt.Errorf("Time span too long for gran=%s: end must be before start + %s", gran, limit)
	}
	return nil
}

// checkBulkSpan applies the bulk rule: end at most one year after start.
func checkBulkSpan(start, end time.Time) error {
	s, e := naive(start), naive(end)
	if !s.Before(e) {
		return fmt.Errorf("start must be before end (start=%s, end=%s)", s.Format(WallLayout), e.Format(WallLayout))
	}
	if e.After(s.AddDate(1, 0, 0)) {
		return fmt.Errorf("Time span too long for bulk data: end can be at most 1 year after start")
	}
	return nil
}

// granStep is the fixed duration of sub-daily granularities.
func granStep(gran string) time.Duration {
	switch gran {
	case "1min":
		return time.Minute
	case "5min":
		return 5 * time.Minute
	case "15min":
		return 15 * time.Minute
	case "hourly":
		return time.Hour
	}
	return 0
}

// buckets returns the leading timestamps of gran in loc with
// start <= ts < end, each with its interval [ts, next ts) in Unix minutes.
func buckets(gran string, start, end time.Time, loc *time.Location) []bucket {
	var out []bucket
	if step := granStep(gran); step > 0 {
		// Align on the wall clock: the first multiple of step at or after start.
		stepMin := int(step / time.Minute)
		w := start.In(loc)
		mins := w.Hour()*60 + w.Minute()
		aligned := time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, loc)
		first := (mins + stepMin - 1) / stepMin * stepMin
		if first == mins && w.Second() != 0 {
			first += stepMin
		}
		t := time.Date(aligned.Year(), aligned.Month(), aligned.Day(), first/60, first%60, 0, 0, loc)
		for t.Before(start) {
			t = t.Add(step)
		}
		for ; t.Before(end); t = t.Add(step) {
			out = append(out, bucket{ts: t, m0: t.Unix() / 60, m1: t.Add(step).Unix() / 60})
		}
		return out
	}
	w := start.In(loc)
	var t time.Time
	next := func(t time.Time) time.Time { return t }
	switch gran {
	case "daily":
		t = localMidnight(w.Year(), w.Month(), w.Day(), loc)
		next = func(t time.Time) time.Time { return localMidnight(t.Year(), t.Month(), t.Day()+1, loc) }
	case "monthly":
		t = localMidnight(w.Year(), w.Month(), 1, loc)
		next = func(t time.Time) time.Time { return localMidnight(t.Year(), t.Month()+1, 1, loc) }
	case "yearly":
		t = localMidnight(w.Year(), 1, 1, loc)
		next = func(t time.Time) time.Time { return localMidnight(t.Year()+1, 1, 1, loc) }
	default:
		return nil
	}
	if t.Before(start) {
		t = next(t)
	}
	for ; t.Before(end); t = next(t) {
		n := next(t)
		out = append(out, bucket{ts: t, m0: t.Unix() / 60, m1: n.Unix() / 60})
	}
	return out
}

// localMidnight is the first instant of the local day y-m-d. Where DST
// starts at midnight (America/Santiago, America/Havana) 00:00 does not
// exist and time.Date normalises it to 23:00 of the day before; the day
// then starts at the transition instead (otherwise daily buckets never
// advance).
func localMidnight(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if naive(t).Before(want) {
		if _, end := t.ZoneBounds(); !end.IsZero() {
			return end
		}
	}
	return t
}
