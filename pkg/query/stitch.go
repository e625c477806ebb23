package query

import (
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// stitch joins the chunk results of one entity into one series. Each chunk
// contributes only buckets inside its own [Start, End) and the time column
// stays strictly increasing, so no bucket is duplicated at a chunk edge. A
// single well-formed chunk is returned as is (no copy); otherwise the value
// columns are rebuilt once, reusing the decoded value pointers.
func stitch(id int64, parts []*locus.Series, chunks []planner.Chunk, fields []string) *locus.Series {
	if len(parts) == 1 && parts[0] != nil && wellFormed(parts[0], chunks[0], fields) {
		return parts[0]
	}
	total := 0
	for _, p := range parts {
		if p != nil {
			total += len(p.Times)
		}
	}
	out := &locus.Series{ID: id, Times: make([]time.Time, 0, total), Values: make(map[string][]*float64, len(fields))}
	for _, f := range fields {
		out.Values[f] = make([]*float64, 0, total)
	}
	var last time.Time
	for i, p := range parts {
		if p == nil {
			continue
		}
		c := chunks[i]
		for j, ts := range p.Times {
			if ts.Before(c.Start) || !ts.Before(c.End) || (len(out.Times) > 0 && !ts.After(last)) {
				continue
			}
			out.Times = append(out.Times, ts)
			last = ts
			for _, f := range fields {
				col := p.Values[f]
				var v *float64
				if j < len(col) {
					v = col[j]
				}
				out.Values[f] = append(out.Values[f], v)
			}
		}
	}
	return out
}

// wellFormed reports whether s needs no filtering: times strictly
// increasing inside the chunk and every column as long as the time column.
func wellFormed(s *locus.Series, c planner.Chunk, fields []string) bool {
	for _, f := range fields {
		if len(s.Values[f]) != len(s.Times) {
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
