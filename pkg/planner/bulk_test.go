package planner

import (
	"testing"
	"time"
)

// Expected chunks are written out by hand from the bulk rule of the v3
// reference (monthly only, end at most one year after start).
func TestBulkChunks(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	d := func(y int, m time.Month, day int, loc *time.Location) time.Time {
		return time.Date(y, m, day, 0, 0, 0, 0, loc)
	}
	for _, tc := range []struct {
		name     string
		from, to time.Time
		loc      *time.Location
		want     [][2]time.Time
	}{
		{"exactly one year is one request", d(2024, 1, 1, time.UTC), d(2025, 1, 1, time.UTC), time.UTC,
			[][2]time.Time{{d(2024, 1, 1, time.UTC), d(2025, 1, 1, time.UTC)}}},
		{"an hour more widens to a second request of one month", d(2024, 1, 1, time.UTC), d(2025, 1, 1, time.UTC).Add(time.Hour), time.UTC,
			[][2]time.Time{{d(2024, 1, 1, time.UTC), d(2025, 1, 1, time.UTC)}, {d(2025, 1, 1, time.UTC), d(2025, 2, 1, time.UTC)}}},
		{"cut months are whole, in the site's zone", d(2023, 3, 15, ny), d(2025, 3, 10, ny), ny,
			[][2]time.Time{{d(2023, 3, 1, ny), d(2024, 3, 1, ny)}, {d(2024, 3, 1, ny), d(2025, 3, 1, ny)}, {d(2025, 3, 1, ny), d(2025, 4, 1, ny)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := BulkChunks(tc.from, tc.to, tc.loc)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d chunks %v, want %d", len(got), got, len(tc.want))
			}
			for i, c := range got {
				if !c.Start.Equal(tc.want[i][0]) || !c.End.Equal(tc.want[i][1]) {
					t.Errorf("chunk %d: %s..%s, want %s..%s", i, c.Start, c.End, tc.want[i][0], tc.want[i][1])
				}
			}
		})
	}
	if _, err := BulkChunks(d(2024, 2, 1, time.UTC), d(2024, 1, 1, time.UTC), time.UTC); err == nil {
		t.Error("a reversed range must fail")
	}
}
