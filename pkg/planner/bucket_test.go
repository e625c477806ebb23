package planner

import (
	"testing"
	"time"
)

func TestFloorAndNextTable(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	kol := mustZone(t, "Asia/Kolkata")
	ktm := mustZone(t, "Asia/Kathmandu")
	lhi := mustZone(t, "Australia/Lord_Howe")
	utc := time.UTC
	cases := []struct {
		name  string
		g     Granularity
		loc   *time.Location
		t     string // instant
		floor string // RFC 3339 with the zone's offset
		next  string
	}{
		{"1min mid-minute", Min1, utc, "2024-05-01T10:07:31Z", "2024-05-01T10:07:00Z", "2024-05-01T10:08:00Z"},
		{"5min", Min5, ny, "2024-05-01T10:07:31-04:00", "2024-05-01T10:05:00-04:00", "2024-05-01T10:10:00-04:00"},
		{"15min on boundary", Min15, ny, "2024-05-01T10:15:00-04:00", "2024-05-01T10:15:00-04:00", "2024-05-01T10:30:00-04:00"},
		{"15min Kolkata half-hour offset", Min15, kol, "2024-05-01T04:40:00Z", "2024-05-01T10:00:00+05:30", "2024-05-01T10:15:00+05:30"},
		{"hourly Kolkata", Hourly, kol, "2024-05-01T04:40:00Z", "2024-05-01T10:00:00+05:30", "2024-05-01T11:00:00+05:30"},
		{"hourly Kathmandu 45-minute offset", Hourly, ktm, "2024-05-01T04:40:00Z", "2024-05-01T10:00:00+05:45", "2024-05-01T11:00:00+05:45"},
		{"15min Kathmandu", Min15, ktm, "2024-05-01T04:40:00Z", "2024-05-01T10:15:00+05:45", "2024-05-01T10:30:00+05:45"},
		{"hourly NY spring forward skips 02:00", Hourly, ny, "2024-03-10T01:30:00-05:00", "2024-03-10T01:00:00-05:00", "2024-03-10T03:00:00-04:00"},
		{"hourly NY fall back first 01:00", Hourly, ny, "2024-11-03T01:30:00-04:00", "2024-11-03T01:00:00-04:00", "2024-11-03T01:00:00-05:00"},
		{"hourly NY fall back second 01:00", Hourly, ny, "2024-11-03T01:30:00-05:00", "2024-11-03T01:00:00-05:00", "2024-11-03T02:00:00-05:00"},
		{"5min NY fall back second 01:55", Min5, ny, "2024-11-03T01:57:00-04:00", "2024-11-03T01:55:00-04:00", "2024-11-03T01:00:00-05:00"},
		{"hourly Lord Howe spring 30-min jump", Hourly, lhi, "2024-10-06T02:45:00+11:00", "2024-10-06T01:00:00+10:30", "2024-10-06T03:00:00+11:00"},
		{"hourly Lord Howe fall back", Hourly, lhi, "2024-04-07T01:45:00+10:30", "2024-04-07T01:00:00+11:00", "2024-04-07T02:00:00+10:30"},
		{"daily NY 23-hour day", Daily, ny, "2024-03-10T12:00:00-04:00", "2024-03-10T00:00:00-05:00", "2024-03-11T00:00:00-04:00"},
		{"daily NY 25-hour day", Daily, ny, "2024-11-03T23:30:00-05:00", "2024-11-03T00:00:00-04:00", "2024-11-04T00:00:00-05:00"},
		{"daily in site zone, not UTC", Daily, ny, "2024-05-02T02:00:00Z", "2024-05-01T00:00:00-04:00", "2024-05-02T00:00:00-04:00"},
		{"daily leap day", Daily, utc, "2024-02-28T13:00:00Z", "2024-02-28T00:00:00Z", "2024-02-29T00:00:00Z"},
		{"daily after leap day", Daily, utc, "2024-02-29T13:00:00Z", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"},
		{"monthly from Jan 31", Monthly, ny, "2024-01-31T18:00:00-05:00", "2024-01-01T00:00:00-05:00", "2024-02-01T00:00:00-05:00"},
		{"monthly Feb in leap year", Monthly, utc, "2024-02-29T23:59:59Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"},
		{"monthly across DST change", Monthly, ny, "2024-03-20T00:00:00-04:00", "2024-03-01T00:00:00-05:00", "2024-04-01T00:00:00-04:00"},
		{"monthly December to January", Monthly, utc, "2023-12-31T23:00:00Z", "2023-12-01T00:00:00Z", "2024-01-01T00:00:00Z"},
		{"yearly local new year not yet in UTC", Yearly, ny, "2024-01-01T03:00:00Z", "2023-01-01T00:00:00-05:00", "2024-01-01T00:00:00-05:00"},
		{"yearly Kathmandu", Yearly, ktm, "2024-06-01T00:00:00Z", "2024-01-01T00:00:00+05:45", "2025-01-01T00:00:00+05:45"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := at(t, c.t)
			floor := c.g.Floor(in, c.loc)
			if want := at(t, c.floor); !floor.Equal(want) {
				t.Errorf("Floor(%s) = %s, want %s", c.t, floor.In(c.loc).Format(time.RFC3339), c.floor)
			}
			next := c.g.Next(floor, c.loc)
			if want := at(t, c.next); !next.Equal(want) {
				t.Errorf("Next(%s) = %s, want %s", c.floor, next.In(c.loc).Format(time.RFC3339), c.next)
			}
			if got := c.g.Next(in, c.loc); !got.Equal(next) {
				t.Errorf("Next of a mid-bucket instant = %s, want the bucket's end %s", got.In(c.loc).Format(time.RFC3339), c.next)
			}
			if got := c.g.Prev(next, c.loc); !got.Equal(floor) {
				t.Errorf("Prev(Next) = %s, want %s", got.In(c.loc).Format(time.RFC3339), c.floor)
			}
		})
	}
}

func TestBucketsPerDayAcrossDST(t *testing.T) {
	cases := []struct {
		zone         string
		day          [3]int
		g            Granularity
		want         int
		wantDuration time.Duration
	}{
		{"America/New_York", [3]int{2024, 3, 10}, Hourly, 23, 23 * time.Hour},
		{"America/New_York", [3]int{2024, 11, 3}, Hourly, 25, 25 * time.Hour},
		{"America/New_York", [3]int{2024, 11, 3}, Min15, 100, 25 * time.Hour},
		{"America/New_York", [3]int{2024, 3, 10}, Min5, 276, 23 * time.Hour},
		{"Europe/Berlin", [3]int{2024, 3, 31}, Hourly, 23, 23 * time.Hour},
		{"Europe/Berlin", [3]int{2024, 10, 27}, Hourly, 25, 25 * time.Hour},
		{"Australia/Sydney", [3]int{2024, 4, 7}, Hourly, 25, 25 * time.Hour},
		{"Australia/Sydney", [3]int{2024, 10, 6}, Hourly, 23, 23 * time.Hour},
		// Lord Howe moves 30 minutes: the hour holding the change is 30 min
		// longer or shorter, the day 23.5 or 24.5 hours.
		{"Australia/Lord_Howe", [3]int{2024, 10, 6}, Hourly, 23, 23*time.Hour + 30*time.Minute},
		{"Australia/Lord_Howe", [3]int{2024, 4, 7}, Hourly, 24, 24*time.Hour + 30*time.Minute},
		{"Australia/Lord_Howe", [3]int{2024, 10, 6}, Min15, 94, 23*time.Hour + 30*time.Minute},
		// Santiago starts DST at midnight: the day begins at 01:00.
		{"America/Santiago", [3]int{2024, 9, 8}, Hourly, 23, 23 * time.Hour},
		{"America/Santiago", [3]int{2024, 4, 6}, Hourly, 25, 25 * time.Hour},
		{"Asia/Kathmandu", [3]int{2024, 6, 1}, Min15, 96, 24 * time.Hour},
	}
	for _, c := range cases {
		t.Run(c.zone+" "+string(c.g), func(t *testing.T) {
			loc := mustZone(t, c.zone)
			noon := time.Date(c.day[0], time.Month(c.day[1]), c.day[2], 12, 0, 0, 0, loc)
			start := Daily.Floor(noon, loc)
			end := Daily.Next(start, loc)
			if d := end.Sub(start); d != c.wantDuration {
				t.Errorf("day length %v, want %v", d, c.wantDuration)
			}
			got := buckets(c.g, start, end, loc)
			if len(got) != c.want {
				t.Errorf("%d %s buckets, want %d", len(got), c.g, c.want)
			}
			if len(got) > 0 && !got[0].Equal(start) {
				t.Errorf("first bucket %s, want the day start %s", got[0], start)
			}
			if last := got[len(got)-1]; !c.g.Next(last, loc).Equal(end) {
				t.Errorf("last bucket ends %s, want the day end %s", c.g.Next(last, loc), end)
			}
		})
	}
}

func TestFallBackHourAppearsTwice(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	day := Daily.Floor(time.Date(2024, 11, 3, 12, 0, 0, 0, ny), ny)
	var ones []string
	for _, b := range buckets(Hourly, day, Daily.Next(day, ny), ny) {
		if b.In(ny).Hour() == 1 {
			ones = append(ones, b.In(ny).Format(time.RFC3339))
		}
	}
	want := []string{"2024-11-03T01:00:00-04:00", "2024-11-03T01:00:00-05:00"}
	if len(ones) != 2 || ones[0] != want[0] || ones[1] != want[1] {
		t.Errorf("01:00 buckets = %v, want %v", ones, want)
	}
}

func TestDayStartsWhenMidnightIsSkipped(t *testing.T) {
	scl := mustZone(t, "America/Santiago")
	got := Daily.Floor(time.Date(2024, 9, 8, 12, 0, 0, 0, scl), scl)
	if want := at(t, "2024-09-08T01:00:00-03:00"); !got.Equal(want) {
		t.Errorf("Santiago 2024-09-08 starts %s, want %s (00:00 does not exist)", got.In(scl).Format(time.RFC3339), want.Format(time.RFC3339))
	}
	hav := mustZone(t, "America/Havana")
	got = Monthly.Next(time.Date(2024, 2, 15, 0, 0, 0, 0, hav), hav)
	if want := time.Date(2024, 3, 1, 0, 0, 0, 0, hav); !got.Equal(want) {
		t.Errorf("Havana March starts %s, want %s", got, want)
	}
}

func TestBucketInvariantsEveryZone(t *testing.T) {
	for _, z := range testZones {
		loc := mustZone(t, z)
		for _, g := range []Granularity{Min15, Hourly, Daily, Monthly} {
			from := time.Date(2023, 12, 25, 0, 0, 0, 0, time.UTC)
			to := from.AddDate(1, 0, 10)
			if g == Min15 {
				to = from.AddDate(0, 2, 0)
			}
			prev := time.Time{}
			for b := g.Floor(from, loc); b.Before(to); b = g.Next(b, loc) {
				if !g.Floor(b, loc).Equal(b) {
					t.Fatalf("%s %s: bucket start %s is not its own floor", z, g, b)
				}
				if !prev.IsZero() && !prev.Before(b) {
					t.Fatalf("%s %s: buckets not increasing at %s", z, g, b)
				}
				mid := b.Add(g.Next(b, loc).Sub(b) / 2)
				if !g.Floor(mid, loc).Equal(b) {
					t.Fatalf("%s %s: floor of mid-bucket %s is %s, want %s", z, g, mid, g.Floor(mid, loc), b)
				}
				if !g.Ceil(mid, loc).Equal(g.Next(b, loc)) {
					t.Fatalf("%s %s: ceil of mid-bucket %s is %s, want %s", z, g, mid, g.Ceil(mid, loc), g.Next(b, loc))
				}
				prev = b
			}
		}
	}
}

func TestInvalidGranularityIsIdentity(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	g := Granularity("weekly")
	if !g.Floor(now, time.UTC).Equal(now) || !g.Next(now, time.UTC).Equal(now) {
		t.Error("Floor and Next of an invalid granularity must return t unchanged")
	}
}

// TestRoundTripsMatchesBruteForce: roundTrips (a wall time read back in its
// zone gives the same instant) agrees with the brute-force ambiguity check.
func TestRoundTripsMatchesBruteForce(t *testing.T) {
	seen := 0
	check := func(z string, loc *time.Location, in time.Time) {
		if ambiguous(in, loc) {
			seen++
		}
		if roundTrips(in, loc) == ambiguous(in, loc) {
			t.Fatalf("%s %s: roundTrips=%v but brute-force ambiguous=%v", z, in.In(loc).Format(time.RFC3339), roundTrips(in, loc), ambiguous(in, loc))
		}
	}
	for _, z := range testZones {
		loc := mustZone(t, z)
		from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		end := from.AddDate(1, 0, 0)
		// Sparse samples across the year, in UTC and in the zone.
		for tt := from; tt.Before(end); tt = tt.Add(7*time.Hour + 5*time.Minute) {
			check(z, loc, tt)
			check(z, loc, tt.In(loc))
		}
		// Every 5 minutes around each offset change of the year.
		for tt := from; tt.Before(end); {
			_, next := tt.In(loc).ZoneBounds()
			if next.IsZero() || !next.Before(end) {
				break
			}
			for x := next.Add(-3 * time.Hour); x.Before(next.Add(3 * time.Hour)); x = x.Add(5 * time.Minute) {
				check(z, loc, x)
			}
			tt = next
		}
	}
	if seen == 0 {
		t.Fatal("no ambiguous instant was sampled; the test checks nothing")
	}
}
