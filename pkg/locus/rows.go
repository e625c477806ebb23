package locus

import (
	"cmp"
	"slices"
)

// sortBy puts rows in (id, ts) order when byID, else in ts order, keeping
// the original order of equal keys. Sorted input (the normal case) costs
// one pass and no allocation.
func (t *rowTable) sortBy(byID []int64) {
	less := func(i, j int) int {
		if byID != nil {
			if c := cmp.Compare(byID[i], byID[j]); c != 0 {
				return c
			}
		}
		return t.times[i].Compare(t.times[j])
	}
	sorted := true
	for i := 1; i < len(t.times); i++ {
		if less(i-1, i) > 0 {
			sorted = false
			break
		}
	}
	if sorted {
		return
	}
	perm := make([]int, len(t.times))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, less)
	t.ids = permute(t.ids, perm)
	t.times = permute(t.times, perm)
	if t.tsFlags != nil {
		t.tsFlags = permute(t.tsFlags, perm)
	}
	for i := range t.cols {
		t.cols[i].Values = permute(t.cols[i].Values, perm)
		t.cols[i].Valid = permute(t.cols[i].Valid, perm)
	}
}

// permute reorders in by perm (nil stays nil).
func permute[T any](in []T, perm []int) []T {
	if in == nil {
		return nil
	}
	out := make([]T, len(in))
	for i, p := range perm {
		out[i] = in[p]
	}
	return out
}

// splitByID returns one Series per id, in id order. The series share the
// table's columns through capacity-capped sub-slices, so appending to one
// never overwrites another.
func (t *rowTable) splitByID(fields []string) []Series {
	t.sortBy(t.ids)
	var out []Series
	for start := 0; start < len(t.ids); {
		end := start + 1
		for end < len(t.ids) && t.ids[end] == t.ids[start] {
			end++
		}
		s := Series{ID: t.ids[start], Times: t.times[start:end:end], Values: make(map[string]Column, len(fields)),
			Timestamps: t.tsReport(start, end)}
		for i, f := range fields {
			s.Values[f] = t.cols[i].slice(start, end)
		}
		out = append(out, s)
		start = end
	}
	if out == nil {
		out = []Series{}
	}
	return out
}

// slice returns rows [start, end) of c, sharing its arrays (capacity
// capped, so appending to one never overwrites another); Valid stays nil
// when those rows have no null.
func (c Column) slice(start, end int) Column {
	out := Column{Values: c.Values[start:end:end]}
	if c.Valid != nil {
		out.Valid = c.Valid[start:end:end]
		if !out.HasNulls() {
			out.Valid = nil
		}
	}
	return out
}
