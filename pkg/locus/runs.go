package locus

import "time"

// Runs is a series assembled from runs of rows of other series, in time
// order, without copying them: what joining the chunk responses of one
// entity gives. Frames are built straight from the runs (one copy of the
// rows, into the frame); Series makes one contiguous Series for code that
// needs one. The series it refers to are read-only, like every series.
type Runs struct {
	// ID is the entity's id.
	ID int64
	// Parts are the runs, in time order.
	Parts []Run
	// Timestamps sums the reports of the series the runs come from.
	Timestamps TimestampReport
}

// Run is the rows [Start, End) of S. A column of S shorter than End (or
// missing) is null past its end.
type Run struct {
	S          *Series
	Start, End int
}

// WholeSeries is s as one run of all its rows (nil s: no rows).
func WholeSeries(s *Series) *Runs {
	if s == nil {
		return &Runs{}
	}
	return &Runs{ID: s.ID, Parts: []Run{{S: s, Start: 0, End: len(s.Times)}}, Timestamps: s.Timestamps}
}

// Len is the number of rows.
func (r *Runs) Len() int {
	n := 0
	for _, p := range r.Parts {
		n += p.End - p.Start
	}
	return n
}

// AppendTimes appends the rows' times to dst, in order.
func (r *Runs) AppendTimes(dst []time.Time) []time.Time {
	for _, p := range r.Parts {
		dst = append(dst, p.S.Times[p.Start:p.End]...)
	}
	return dst
}

// HasNulls reports whether field f lacks a value in some row (a row past
// the end of a short or missing column counts).
func (r *Runs) HasNulls(f string) bool {
	for _, p := range r.Parts {
		c := p.S.Values[f]
		if c.Len() < p.End {
			return true
		}
		if c.Valid == nil {
			continue
		}
		for _, ok := range c.Valid[p.Start:p.End] {
			if !ok {
				return true
			}
		}
	}
	return false
}

// Series copies the rows of fields into one Series, each column built at
// once (a year of 5-minute data for 10 fields is about 1 M values); a
// column gets a validity slice only when one of its rows is null. One run
// of all the rows of a series whose columns are all full length is that
// series itself, not a copy.
func (r *Runs) Series(fields []string) *Series {
	if len(r.Parts) == 1 {
		p := r.Parts[0]
		if p.Start == 0 && p.End == len(p.S.Times) && p.S.FullColumns(fields) {
			return p.S
		}
	}
	n := r.Len()
	out := &Series{ID: r.ID, Times: r.AppendTimes(make([]time.Time, 0, n)), Values: make(map[string]Column, len(fields)), Timestamps: r.Timestamps}
	for _, f := range fields {
		col := Column{Values: make([]float64, 0, n)}
		for _, p := range r.Parts {
			col = appendRun(col, p.S.Values[f], p.Start, p.End)
		}
		if !col.HasNulls() {
			col.Valid = nil
		}
		out.Values[f] = col
	}
	return out
}

// FullColumns reports whether every column of fields (and its validity
// slice, if any) is as long as s's time column.
func (s *Series) FullColumns(fields []string) bool {
	for _, f := range fields {
		if c := s.Values[f]; c.Len() != len(s.Times) || (c.Valid != nil && len(c.Valid) != len(s.Times)) {
			return false
		}
	}
	return true
}

// appendRun appends src's rows [start, end) to dst, null where src is
// short, copying the run at once.
func appendRun(dst, src Column, start, end int) Column {
	a, b := start, min(end, src.Len())
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
	if short := end - max(a, b); short > 0 { // src ends early: nulls
		if dst.Valid == nil {
			dst.Valid = allValid(len(dst.Values), cap(dst.Values))
		}
		for range short {
			dst.Values = append(dst.Values, 0)
			dst.Valid = append(dst.Valid, false)
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
