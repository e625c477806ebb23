package planner

import (
	"testing"
	"time"
)

func TestSpanLimitAtAndOverLimit(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	start := wall(ny, 2024, 3, 1, 0, 0) // spans cross the March DST change
	cases := []struct {
		g     Granularity
		limit time.Time // start + limit in wall-clock time
	}{
		{Min1, wall(ny, 2024, 3, 6, 0, 0)},
		{Min5, wall(ny, 2024, 4, 1, 0, 0)},
		{Min15, wall(ny, 2024, 4, 1, 0, 0)},
		{Hourly, wall(ny, 2024, 4, 1, 0, 0)},
		{Daily, wall(ny, 2025, 3, 1, 0, 0)},
	}
	for _, c := range cases {
		t.Run(string(c.g), func(t *testing.T) {
			lastOK := c.g.Prev(c.limit, ny)
			if !c.g.Accepts(start, lastOK, ny) {
				t.Errorf("[%s, %s) rejected; one bucket under the limit must pass", FormatWall(start, ny), FormatWall(lastOK, ny))
			}
			if c.g.Accepts(start, c.limit, ny) {
				t.Errorf("[%s, %s) accepted; exactly the limit must be rejected", FormatWall(start, ny), FormatWall(c.limit, ny))
			}
			if over := c.g.Next(c.limit, ny); c.g.Accepts(start, over, ny) {
				t.Errorf("[%s, %s) accepted; over the limit must be rejected", FormatWall(start, ny), FormatWall(over, ny))
			}
			end, ok := c.g.MaxEnd(start, ny)
			if !ok || !end.Equal(lastOK) {
				t.Errorf("MaxEnd = %s, %v; want %s", FormatWall(end, ny), ok, FormatWall(lastOK, ny))
			}
		})
	}
	for _, g := range []Granularity{Monthly, Yearly} {
		if _, ok := g.MaxEnd(start, ny); ok {
			t.Errorf("%s must have no span limit", g)
		}
		if !g.Accepts(start, start.AddDate(100, 0, 0), ny) {
			t.Errorf("%s must accept a 100-year request", g)
		}
	}
}

func TestSpanLimitIsCalendarNotDuration(t *testing.T) {
	// 31 calendar days across the spring-forward change are 743 hours, not 744.
	ny := mustZone(t, "America/New_York")
	start := wall(ny, 2024, 3, 1, 0, 0)
	justUnder := wall(ny, 2024, 3, 31, 23, 0)
	if !Hourly.Accepts(start, justUnder, ny) {
		t.Error("hourly up to 03-31 23:00 must pass")
	}
	if Hourly.Accepts(start, start.Add(31*24*time.Hour), ny) {
		t.Error("hourly to start+744h (04-01 01:00 wall) must fail: past 31 calendar days")
	}
	// A daily request of one leap year: 2024-01-01 to 2024-12-31 passes, to 2025-01-01 fails.
	utc := time.UTC
	if !Daily.Accepts(wall(utc, 2024, 1, 1, 0, 0), wall(utc, 2024, 12, 31, 0, 0), utc) {
		t.Error("daily 2024-01-01..2024-12-31 must pass")
	}
	if Daily.Accepts(wall(utc, 2024, 1, 1, 0, 0), wall(utc, 2025, 1, 1, 0, 0), utc) {
		t.Error("daily over a whole calendar year must fail")
	}
	// Feb 29 + 1 year = Mar 1 (Go's AddDate normalisation, same in the simulator).
	if !Daily.Accepts(wall(utc, 2024, 2, 29, 0, 0), wall(utc, 2025, 2, 28, 0, 0), utc) {
		t.Error("daily 2024-02-29..2025-02-28 must pass")
	}
}

func TestAcceptsWallIgnoresLocation(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	s := time.Date(2024, 1, 1, 0, 0, 0, 0, ny)
	e := time.Date(2024, 1, 5, 23, 59, 0, 0, time.UTC)
	if !Min1.AcceptsWall(s, e) {
		t.Error("wall readings 01-01 00:00 .. 01-05 23:59 must pass for 1min whatever their locations")
	}
	if Min1.AcceptsWall(e, s) || Min1.AcceptsWall(s, s) {
		t.Error("reversed or empty wall ranges must fail")
	}
}

func TestMaxEndAvoidsAmbiguousWallTimes(t *testing.T) {
	// Start 5 days before the fall-back hour: the 1min limit lands in the
	// repeated hour, so the chunk must end before it.
	ny := mustZone(t, "America/New_York")
	start := wall(ny, 2024, 10, 29, 1, 30)
	end, ok := Min1.MaxEnd(start, ny)
	if !ok {
		t.Fatal("1min has a limit")
	}
	if !roundTrips(end, ny) {
		t.Errorf("MaxEnd %s is ambiguous", end.In(ny).Format(time.RFC3339))
	}
	if want := wall(ny, 2024, 11, 3, 0, 59); !end.Equal(want) {
		t.Errorf("MaxEnd = %s, want %s (last unambiguous minute before 01:00)", end.In(ny).Format(time.RFC3339), want.Format(time.RFC3339))
	}
	if !Min1.Accepts(start, end, ny) {
		t.Error("MaxEnd must pass the span rule")
	}
}
