package query

import (
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// stitch joins the chunk results of one entity into one series. Each chunk
// contributes only buckets inside its own [Start, End) and the time column
// stays strictly increasing, so no bucket is duplicated at a chunk edge. A
// single well-formed chunk is returned as is (no copy); otherwise each
// column is built once, column by column, copying runs of values (a year
// of 5-minute data for 10 fields is ~1 M values); a column gets a
// validity slice only when one of its kept rows is null.
func stitch(id int64, parts []*locus.Series, chunks []planner.Chunk, fields []string) *locus.Series {
	if len(parts) == 1 && parts[0] != nil && wellFormed(parts[0], chunks[0], fields) {
		return parts[0]
	}
	keep := make([][]rowRun, len(parts))
	total := 0
	var last time.Time
	for i, p := range parts {
		if p == nil {
			continue
		}
		keep[i] = keptRows(p.Times, chunks[i], &last, total > 0)
		for _, r := range keep[i] {
			total += r.end - r.start
		}
	}
	out := &locus.Series{ID: id, Times: make([]time.Time, 0, total), Values: make(map[string]locus.Column, len(fields))}
	for i, p := range parts {
		for _, r := range keep[i] {
			out.Times = append(out.Times, p.Times[r.start:r.end]...)
		}
	}
	for _, f := range fields {
		col := locus.Column{Values: make([]float64, 0, total)}
		for i, p := range parts {
			if p == nil {
				continue
			}
			col = appendRows(col, p.Values[f], keep[i])
		}
		if !col.HasNulls() {
			col.Valid = nil
		}
		out.Values[f] = col
	}
	return out
}

// rowRun is the rows [start, end) of a chunk.
type rowRun struct{ start, end int }

// keptRows returns the runs of rows of one chunk to keep: inside the chunk
// and after the last kept time (updated). started says whether a previous
// chunk kept any row. Sorted input gives one run.
func keptRows(ts []time.Time, c planner.Chunk, last *time.Time, started bool) []rowRun {
	var runs []rowRun
	for j, t := range ts {
		if t.Before(c.Start) || !t.Before(c.End) || ((started || len(runs) > 0) && !t.After(*last)) {
			continue
		}
		if n := len(runs); n > 0 && runs[n-1].end == j {
			runs[n-1].end++
		} else {
			runs = append(runs, rowRun{j, j + 1})
		}
		*last = t
	}
	return runs
}

// appendRows appends src's values at the runs of rows to dst (null where
// src is short), copying each run at once.
func appendRows(dst, src locus.Column, runs []rowRun) locus.Column {
	for _, r := range runs {
		a, b := r.start, min(r.end, src.Len())
		if a < b {
			if src.Valid != nil && dst.Valid == nil {
				dst.Valid = allValid(len(dst.Values), cap(dst.Values))
			}
			dst.Values = append(dst.Values, src.Values[a:b]...)
			switch {
			case src.Valid != nil:
				dst.Valid = append(dst.Valid, src.Valid[a:b]...)
			case dst.Valid != nil:
				for range b - a {
					dst.Valid = append(dst.Valid, true)
				}
			}
		}
		if short := r.end - max(a, b); short > 0 { // src ends early: nulls
			if dst.Valid == nil {
				dst.Valid = allValid(len(dst.Values), cap(dst.Values))
			}
			for range short {
				dst.Values = append(dst.Values, 0)
				dst.Valid = append(dst.Valid, false)
			}
		}
	}
	return dst
}

// allValid is a validity slice of n true values with capacity c.
func allValid(n, c int) []bool {
	v := make([]bool, n, max(n, c))
	for i := range v {
		v[i] = true
	}
	return v
}

// wellFormed reports whether s needs no filtering: times strictly
// increasing inside the chunk and every column as long as the time column.
func wellFormed(s *locus.Series, c planner.Chunk, fields []string) bool {
	for _, f := range fields {
		if c := s.Values[f]; c.Len() != len(s.Times) || (c.Valid != nil && len(c.Valid) != len(s.Times)) {
			return false
		}
	}
	for j, ts := range s.Times {
		if ts.Before(c.Start) || !ts.Before(c.End) || (j > 0 && !ts.After(s.Times[j-1])) {
			return false
		}
	}
	return true
}
