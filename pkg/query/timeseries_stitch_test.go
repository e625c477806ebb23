package query

import (
	"fmt"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// chunkedSeries builds the parts of a 5-minute series cut at the plan's
// chunk edges, with one bucket of overlap at every edge (as a server that
// returned its end bucket would), and the plan.
func chunkedSeries(t testing.TB, from, to time.Time, fields []string) ([]*locus.Series, []planner.Chunk) {
	t.Helper()
	chunks, err := planner.Plan(from, to, planner.Min5, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	parts := make([]*locus.Series, len(chunks))
	for i, c := range chunks {
		s := &locus.Series{ID: 1, Values: map[string]locus.Column{}}
		end := c.End
		if i < len(chunks)-1 {
			end = end.Add(5 * time.Minute) // overlap: the next chunk's first bucket
		}
		for ts := c.Start; ts.Before(end); ts = ts.Add(5 * time.Minute) {
			s.Times = append(s.Times, ts)
		}
		for fi, f := range fields {
			arena := make([]float64, len(s.Times))
			col := make([]*float64, len(s.Times))
			for j, ts := range s.Times {
				arena[j] = float64(ts.Unix()) + float64(fi)
				if j%7 != 3 { // some nulls
					col[j] = &arena[j]
				}
			}
			s.Values[f] = locus.ColumnOf(col)
		}
		parts[i] = s
	}
	return parts, chunks
}

func TestStitchDropsOverlapAndKeepsOrder(t *testing.T) {
	fields := []string{"W_avg", "Wh_sum"}
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	parts, chunks := chunkedSeries(t, from, from.AddDate(0, 0, 70), fields)
	if len(chunks) != 3 {
		t.Fatalf("%d chunks, want 3", len(chunks))
	}
	// A short column must read as nulls, never shift values.
	short := parts[1].Values["Wh_sum"]
	parts[1].Values["Wh_sum"] = locus.Column{Values: short.Values[:10], Valid: short.Valid[:10]}
	s, rep := stitchedSeries(parts, chunks, fields)
	if want := 70 * 288; len(s.Times) != want {
		t.Fatalf("%d buckets, want %d", len(s.Times), want)
	}
	// The overlap buckets lie at their chunk's end: outside, and counted.
	if rep.outside != 2 || !rep.firstOutside.Equal(chunks[0].End) || rep.repeated != 0 {
		t.Errorf("report %+v, want 2 rows outside their chunk, the first at %s", rep, chunks[0].End)
	}
	for i, ts := range s.Times {
		if !ts.Equal(from.Add(time.Duration(i) * 5 * time.Minute)) {
			t.Fatalf("bucket %d is %s", i, ts)
		}
		for fi, f := range fields {
			v, ok := s.Values[f].At(i)
			if ok && v != float64(ts.Unix())+float64(fi) {
				t.Fatalf("%s at %s = %v, belongs to another bucket", f, ts, v)
			}
		}
	}
	if n := s.Values["Wh_sum"].Len(); n != len(s.Times) || len(s.Values["Wh_sum"].Valid) != n {
		t.Errorf("Wh_sum has %d values for %d buckets", n, len(s.Times))
	}
}

func TestStitchSingleWellFormedChunkIsNotCopied(t *testing.T) {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	parts, chunks := chunkedSeries(t, from, from.AddDate(0, 0, 10), []string{"W_avg"})
	if s, _ := stitchedSeries(parts, chunks, []string{"W_avg"}); s != parts[0] {
		t.Error("a single well-formed chunk was copied")
	}
}

// A row repeating the previous one's time and a row before the chunk start
// are left out and counted; the chunks' timestamp reports add up.
func TestStitchCountsWhatItLeavesOut(t *testing.T) {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	parts, chunks := chunkedSeries(t, from, from.AddDate(0, 0, 40), []string{"W_avg"})
	if len(chunks) != 2 {
		t.Fatalf("%d chunks, want 2", len(chunks))
	}
	p := parts[1]
	// Chunk 2: prepend a row an hour before its start, repeat its 3rd row.
	before := chunks[1].Start.Add(-time.Hour)
	vals := p.Values["W_avg"].Pointers()
	p.Times = append([]time.Time{before}, p.Times...)
	vals = append([]*float64{nil}, vals...)
	p.Times = append(p.Times[:3], append([]time.Time{p.Times[2]}, p.Times[3:]...)...)
	vals = append(vals[:3], append([]*float64{nil}, vals[3:]...)...)
	p.Values["W_avg"] = locus.ColumnOf(vals)
	parts[0].Timestamps = locus.TimestampReport{NoOffset: 3, Example: "2025-01-01T00:00:00"}
	p.Timestamps = locus.TimestampReport{NoOffset: 2, OtherOffset: 1, Example: "x"}
	s, rep := stitchedSeries(parts, chunks, []string{"W_avg"})
	if want := 40 * 288; len(s.Times) != want {
		t.Fatalf("%d buckets, want %d", len(s.Times), want)
	}
	// Outside: chunk 1's overlap bucket and the row before chunk 2's start.
	if rep.outside != 2 || !rep.firstOutside.Equal(chunks[0].End) {
		t.Errorf("outside %d (first %s), want 2 (first %s)", rep.outside, rep.firstOutside, chunks[0].End)
	}
	if rep.repeated != 1 || !rep.firstRepeated.Equal(chunks[1].Start.Add(5*time.Minute)) {
		t.Errorf("repeated %d (first %s), want 1 at %s", rep.repeated, rep.firstRepeated, chunks[1].Start.Add(5*time.Minute))
	}
	if ts := s.Timestamps; ts.NoOffset != 5 || ts.OtherOffset != 1 || ts.Example != "2025-01-01T00:00:00" {
		t.Errorf("timestamp report %+v, want the chunks' sum", ts)
	}
}

// BenchmarkStitchYear5Min10Fields stitches 12 chunks of a year of 5-minute
// data for 10 fields (~1 M values).
func BenchmarkStitchYear5Min10Fields(b *testing.B) {
	fields := make([]string, 10)
	for i := range fields {
		fields[i] = fmt.Sprintf("F%d_avg", i)
	}
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	parts, chunks := chunkedSeries(b, from, from.AddDate(1, 0, 0), fields)
	b.ReportAllocs()
	for b.Loop() {
		if s, _ := stitchedSeries(parts, chunks, fields); len(s.Times) != 365*288 {
			b.Fatalf("%d buckets", len(s.Times))
		}
	}
}

func TestStitchNullsOnlyWhereAChunkHasThem(t *testing.T) {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	parts, chunks := chunkedSeries(t, from, from.AddDate(0, 0, 70), []string{"W_avg"})
	for _, p := range parts { // no nulls at all
		c := p.Values["W_avg"]
		for j := range c.Values {
			c.Values[j] = float64(p.Times[j].Unix())
		}
		p.Values["W_avg"] = locus.Column{Values: c.Values}
	}
	if s, _ := stitchedSeries(parts, chunks, []string{"W_avg"}); s.Values["W_avg"].Valid != nil {
		t.Fatal("a column without a null got a validity slice: frames would make it nullable")
	}
	// One null in the middle chunk: the stitched column is null exactly there.
	mid := parts[1].Values["W_avg"]
	valid := make([]bool, mid.Len())
	for j := range valid {
		valid[j] = j != 5
	}
	parts[1].Values["W_avg"] = locus.Column{Values: mid.Values, Valid: valid}
	s, _ := stitchedSeries(parts, chunks, []string{"W_avg"})
	nullAt := parts[1].Times[5]
	nulls := 0
	for i, ts := range s.Times {
		v, ok := s.Values["W_avg"].At(i)
		if !ok {
			nulls++
			if !ts.Equal(nullAt) {
				t.Errorf("null at %s, want only at %s", ts, nullAt)
			}
		} else if v != float64(ts.Unix()) {
			t.Fatalf("value at %s = %v", ts, v)
		}
	}
	if nulls != 1 {
		t.Errorf("%d nulls, want 1", nulls)
	}
}

// stitchedSeries stitches parts as entity 1 and copies the runs into one
// Series of fields, as the code that needs one does.
func stitchedSeries(parts []*locus.Series, chunks []planner.Chunk, fields []string) (*locus.Series, stitchReport) {
	r, rep := stitch(1, parts, chunks, fields, "", nil)
	return r.Series(fields), rep
}
