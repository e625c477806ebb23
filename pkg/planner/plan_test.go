package planner

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestPlanChunkCounts(t *testing.T) {
	utc := time.UTC
	ny := mustZone(t, "America/New_York")
	base := wall(utc, 2024, 1, 1, 0, 0)
	cases := []struct {
		name     string
		g        Granularity
		loc      *time.Location
		from, to time.Time
		want     int
	}{
		{"1min 1 hour", Min1, utc, base, base.Add(time.Hour), 1},
		{"1min just under 5 days", Min1, utc, base, base.AddDate(0, 0, 5).Add(-time.Minute), 1},
		{"1min exactly 5 days", Min1, utc, base, base.AddDate(0, 0, 5), 2},
		{"5min 30 days", Min5, utc, base, base.AddDate(0, 0, 30), 1},
		{"5min exactly 31 days", Min5, utc, base, base.AddDate(0, 0, 31), 2},
		{"5min 90 days", Min5, ny, wall(ny, 2024, 1, 1, 0, 0), wall(ny, 2024, 3, 31, 0, 0), 3},
		{"15min 62 days", Min15, utc, base, base.AddDate(0, 0, 62), 3},
		{"hourly just under 31 days", Hourly, utc, base, base.AddDate(0, 0, 31).Add(-time.Hour), 1},
		{"hourly 31 days", Hourly, utc, base, base.AddDate(0, 0, 31), 2},
		{"daily 364 days", Daily, utc, base, base.AddDate(0, 0, 364), 1},
		{"daily one calendar year", Daily, ny, wall(ny, 2024, 1, 1, 0, 0), wall(ny, 2025, 1, 1, 0, 0), 2},
		{"daily 5 years", Daily, utc, base, base.AddDate(5, 0, 0), 6},
		{"monthly 20 years", Monthly, ny, wall(ny, 2010, 1, 1, 0, 0), wall(ny, 2030, 1, 1, 0, 0), 1},
		{"yearly 30 years", Yearly, utc, base.AddDate(-30, 0, 0), base, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chunks, err := Plan(c.from, c.to, c.g, c.loc)
			if err != nil {
				t.Fatal(err)
			}
			if len(chunks) != c.want {
				t.Errorf("%d chunks, want %d: %v", len(chunks), c.want, describe(chunks, c.loc))
			}
			checkTiling(t, chunks, c.from, c.to, c.g, c.loc)
		})
	}
}

func TestPlanAlignsEdgesOutward(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	from := at(t, "2024-05-01T10:07:31-04:00")
	to := at(t, "2024-05-01T11:02:00-04:00")
	chunks, err := Plan(from, to, Min15, ny)
	if err != nil {
		t.Fatal(err)
	}
	if got := FormatWall(chunks[0].Start, ny); got != "2024-05-01T10:00:00" {
		t.Errorf("start %s, want 2024-05-01T10:00:00 (first partial bucket kept)", got)
	}
	if got := FormatWall(chunks[len(chunks)-1].End, ny); got != "2024-05-01T11:15:00" {
		t.Errorf("end %s, want 2024-05-01T11:15:00 (last partial bucket kept)", got)
	}
	// Daily in the site's zone: a UTC-midnight dashboard range starts the
	// previous local day.
	chunks, err = Plan(at(t, "2024-05-01T00:00:00Z"), at(t, "2024-05-03T00:00:00Z"), Daily, ny)
	if err != nil {
		t.Fatal(err)
	}
	if s, e := FormatWall(chunks[0].Start, ny), FormatWall(chunks[0].End, ny); s != "2024-04-30T00:00:00" || e != "2024-05-03T00:00:00" {
		t.Errorf("daily range %s..%s, want 2024-04-30T00:00:00..2024-05-03T00:00:00", s, e)
	}
}

func TestPlanMovesAmbiguousEdgesOutward(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	from := at(t, "2024-11-03T01:20:00-04:00") // first 01:20
	to := at(t, "2024-11-03T01:40:00-05:00")   // second 01:40
	chunks, err := Plan(from, to, Min5, ny)
	if err != nil {
		t.Fatal(err)
	}
	start, end := chunks[0].Start, chunks[len(chunks)-1].End
	if want := at(t, "2024-11-03T00:55:00-04:00"); !start.Equal(want) {
		t.Errorf("start %s, want %s (before the repeated hour)", start.Format(time.RFC3339), want.Format(time.RFC3339))
	}
	if want := at(t, "2024-11-03T02:00:00-05:00"); !end.Equal(want) {
		t.Errorf("end %s, want %s (after the repeated hour)", end.Format(time.RFC3339), want.Format(time.RFC3339))
	}
}

func TestPlanErrors(t *testing.T) {
	utc := time.UTC
	now := wall(utc, 2024, 1, 1, 0, 0)
	cases := []struct {
		name     string
		from, to time.Time
		g        Granularity
		loc      *time.Location
		want     []string
	}{
		{"reversed", now, now.Add(-time.Hour), Hourly, utc, []string{"reversed", "from is before to"}},
		{"empty", now, now, Hourly, utc, []string{"empty", "2024-01-01T00:00:00Z"}},
		{"zero times", time.Time{}, now, Hourly, utc, []string{"missing"}},
		{"unknown granularity", now, now.Add(time.Hour), "weekly", utc, []string{`"weekly"`, "1min, 5min"}},
		{"latest", now, now.Add(time.Hour), Latest, utc, []string{`"latest"`, "valid granularities"}},
		{"no zone", now, now.Add(time.Hour), Hourly, nil, []string{"time zone"}},
		{"too many chunks", now, now.AddDate(100, 0, 0), Min1, utc, []string{"more than", "coarser granularity"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Plan(c.from, c.to, c.g, c.loc)
			if err == nil {
				t.Fatal("Plan succeeded; want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q should mention %q", err, w)
				}
			}
		})
	}
}

// TestPlanProperties plans random ranges in every test zone and checks that
// chunks tile the aligned range, pass the span rule, sit on unambiguous
// bucket boundaries and are as few as possible (each is maximal).
func TestPlanProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(20240310))
	maxSpan := map[Granularity]time.Duration{
		Min1: 12 * 24 * time.Hour, Min5: 100 * 24 * time.Hour, Min15: 100 * 24 * time.Hour,
		Hourly: 200 * 24 * time.Hour, Daily: 4 * 365 * 24 * time.Hour,
		Monthly: 20 * 365 * 24 * time.Hour, Yearly: 50 * 365 * 24 * time.Hour,
	}
	base := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 400; i++ {
		loc := mustZone(t, testZones[rng.Intn(len(testZones))])
		g := All[rng.Intn(len(All))]
		from := base.Add(time.Duration(rng.Int63n(int64(6 * 365 * 24 * time.Hour))))
		to := from.Add(time.Second + time.Duration(rng.Int63n(int64(maxSpan[g]))))
		chunks, err := Plan(from, to, g, loc)
		if err != nil {
			t.Fatalf("Plan(%s, %s, %s, %s): %v", from, to, g, loc, err)
		}
		checkTiling(t, chunks, from, to, g, loc)
	}
}

// checkTiling asserts the plan invariants for one plan.
func checkTiling(t *testing.T, chunks []Chunk, from, to time.Time, g Granularity, loc *time.Location) {
	t.Helper()
	if len(chunks) == 0 {
		t.Fatalf("%s %s: no chunks", g, loc)
	}
	first, last := chunks[0].Start, chunks[len(chunks)-1].End
	if first.After(from) || last.Before(to) {
		t.Fatalf("%s %s: plan %s..%s does not cover %s..%s", g, loc, first, last, from, to)
	}
	if prev := g.Prev(from, loc); !first.After(prev) && roundTrips(g.Floor(from, loc), loc) {
		t.Fatalf("%s %s: plan starts %s, more than a bucket before %s", g, loc, first, from)
	}
	for i, c := range chunks {
		for _, edge := range []time.Time{c.Start, c.End} {
			if !g.Floor(edge, loc).Equal(edge) {
				t.Fatalf("%s %s: chunk edge %s is not a bucket start", g, loc, edge)
			}
			if ambiguous(edge, loc) {
				t.Fatalf("%s %s: chunk edge %s has an ambiguous wall time", g, loc, edge.In(loc).Format(time.RFC3339))
			}
		}
		if !g.Accepts(c.Start, c.End, loc) {
			t.Fatalf("%s %s: chunk %s..%s breaks the span rule", g, loc, FormatWall(c.Start, loc), FormatWall(c.End, loc))
		}
		if i > 0 && !chunks[i-1].End.Equal(c.Start) {
			t.Fatalf("%s %s: gap or overlap between chunk %d and %d", g, loc, i-1, i)
		}
		if i < len(chunks)-1 {
			// maximal: one more unambiguous bucket would break the rule
			grown := g.Next(c.End, loc)
			for !roundTrips(grown, loc) {
				grown = g.Next(grown, loc)
			}
			if g.Accepts(c.Start, grown, loc) {
				t.Fatalf("%s %s: chunk %s..%s could extend to %s; plan is not minimal", g, loc, FormatWall(c.Start, loc), FormatWall(c.End, loc), FormatWall(grown, loc))
			}
		}
	}
}

// describe formats chunks for failure messages.
func describe(chunks []Chunk, loc *time.Location) []string {
	out := make([]string, len(chunks))
	for i, c := range chunks {
		out[i] = FormatWall(c.Start, loc) + ".." + FormatWall(c.End, loc)
	}
	return out
}
