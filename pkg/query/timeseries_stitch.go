package query

import (
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// stitchReport counts the rows stitch left out, by reason, each with the
// first such row's time (the query turns them into notices: nothing is
// dropped silently).
type stitchReport struct {
	// outside counts rows whose time lies outside the [start, end) of the
	// request that returned them (Locus returns start <= ts < end).
	outside      int
	firstOutside time.Time
	// repeated counts rows whose time is not after the previous kept row's
	// (a duplicate, or out of order across requests); the first is kept.
	repeated      int
	firstRepeated time.Time
}

// stitch joins the chunk results of one entity into one series. Each chunk
// contributes only buckets inside its own [Start, End) and the time column
// stays strictly increasing, so no bucket is duplicated at a chunk edge;
// the report counts what was left out. A single well-formed chunk is
// returned as is (no copy); otherwise each column is built once, column by
// column, copying runs of values (a year of 5-minute data for 10 fields is
// ~1 M values); a column gets a validity slice only when one of its kept
// rows is null. The series' Timestamps sum the chunks'.
func stitch(id int64, parts []*locus.Series, chunks []planner.Chunk, fields []string) (*locus.Series, stitchReport) {
	var rep stitchReport
	if len(parts) == 1 && parts[0] != nil && wellFormed(parts[0], chunks[0], fields) {
		return parts[0], rep
	}
	keep := make([][]rowRun, len(parts))
	total := 0
	var last time.Time
	var tsRep locus.TimestampReport
	for i, p := range parts {
		if p == nil {
			continue
		}
		keep[i] = keptRows(p.Times, chunks[i], &last, total > 0, &rep)
		for _, r := range keep[i] {
			total += r.end - r.start
		}
		tsRep.Add(p.Timestamps)
	}
	out := &locus.Series{ID: id, Times: make([]time.Time, 0, total), Values: make(map[string]locus.Column, len(fields)), Timestamps: tsRep}
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
	return out, rep
}

// dataNotices reports on m what the groups' responses (the requests of one
// target: its interior and edge requests) did not send as the API says
// (timestamps without the zone's offset) and the rows stitch left out, each
// with its count and an example, summed over the groups.
func dataNotices(m *metaInfo, zone string, loc *time.Location, groups []*fetchGroup) {
	var ts locus.TimestampReport
	var d stitchReport
	for _, g := range groups {
		if g.series != nil {
			ts.Add(g.series.Timestamps)
		}
		d.add(g.dropped)
	}
	if ts.NoOffset > 0 {
		m.info("Locus sent %d timestamps without a UTC offset (such as %q): read as wall-clock times in %s, the zone of the request",
			ts.NoOffset, ts.Example, zone)
	}
	if ts.OtherOffset > 0 {
		m.warn("Locus sent %d timestamps whose UTC offset is not that of %s, the zone of the request (such as %q): each is placed at the instant its own offset gives",
			ts.OtherOffset, zone, ts.Example)
	}
	if d.outside > 0 {
		m.warn("Left out %d rows Locus returned outside the period they were requested for (the first at %s %s): each request keeps only buckets in its own [start, end)",
			d.outside, planner.FormatWall(d.firstOutside, loc), zone)
	}
	if d.repeated > 0 {
		m.warn("Left out %d rows whose time repeats or precedes an earlier row's (the first at %s %s): the first row of each time is kept",
			d.repeated, planner.FormatWall(d.firstRepeated, loc), zone)
	}
}

// add adds o's counts to r, keeping the earliest first times.
func (r *stitchReport) add(o stitchReport) {
	if o.outside > 0 && (r.outside == 0 || o.firstOutside.Before(r.firstOutside)) {
		r.firstOutside = o.firstOutside
	}
	if o.repeated > 0 && (r.repeated == 0 || o.firstRepeated.Before(r.firstRepeated)) {
		r.firstRepeated = o.firstRepeated
	}
	r.outside += o.outside
	r.repeated += o.repeated
}

// rowRun is the rows [start, end) of a chunk.
type rowRun struct{ start, end int }

// keptRows returns the runs of rows of one chunk to keep: inside the chunk
// and after the last kept time (updated). started says whether a previous
// chunk kept any row; rep counts the rows left out. Sorted input gives one
// run.
func keptRows(ts []time.Time, c planner.Chunk, last *time.Time, started bool, rep *stitchReport) []rowRun {
	var runs []rowRun
	for j, t := range ts {
		if t.Before(c.Start) || !t.Before(c.End) {
			// Rows of a request sent wider than its chunk (an ambiguous
			// fall-back bound) are trimmed as planned; rows outside what
			// was sent are Locus's and counted.
			if s, e := c.Send(); t.Before(s) || !t.Before(e) {
				if rep.outside == 0 {
					rep.firstOutside = t
				}
				rep.outside++
			}
			continue
		}
		if (started || len(runs) > 0) && !t.After(*last) {
			if rep.repeated == 0 {
				rep.firstRepeated = t
			}
			rep.repeated++
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
