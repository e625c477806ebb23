package planner

import (
	"testing"
	"time"
)

// mustZone loads an IANA zone or fails the test.
func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	if err != nil {
		t.Fatalf("LoadZone(%q): %v", name, err)
	}
	return loc
}

// at parses an RFC 3339 instant or fails the test.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad instant %q: %v", s, err)
	}
	return v
}

// wall builds a wall-clock time in loc.
func wall(loc *time.Location, y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, loc)
}

// buckets lists the bucket starts of g in [from, to).
func buckets(g Granularity, from, to time.Time, loc *time.Location) []time.Time {
	var out []time.Time
	for b := g.Floor(from, loc); b.Before(to); b = g.Next(b, loc) {
		out = append(out, b)
	}
	return out
}

// testZones covers whole-hour, half-hour and 45-minute offsets, both
// hemispheres, 30-minute DST (Lord Howe) and DST at midnight (Santiago, Havana).
var testZones = []string{
	"UTC", "America/New_York", "US/Pacific", "America/Denver", "Europe/Berlin",
	"Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", "Australia/Sydney",
	"Pacific/Chatham", "America/Santiago", "America/Havana", "America/St_Johns",
}

// ambiguous reports, by brute force and independently of roundTrips,
// whether another instant within three hours of t reads the same wall time
// in loc (every real offset change is a multiple of 15 minutes).
func ambiguous(t time.Time, loc *time.Location) bool {
	reading := func(x time.Time) [7]int {
		x = x.In(loc)
		return [7]int{x.Year(), int(x.Month()), x.Day(), x.Hour(), x.Minute(), x.Second(), x.Nanosecond()}
	}
	w := reading(t)
	for d := -3 * time.Hour; d <= 3*time.Hour; d += 15 * time.Minute {
		if d != 0 && reading(t.Add(d)) == w {
			return true
		}
	}
	return false
}
