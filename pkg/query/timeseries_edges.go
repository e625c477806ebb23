package query

import (
	"math"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// buildFrames builds the target's frames, one per field in the query's
// field order, from its fetched groups (see series).
func (t *seriesTarget) buildFrames(alias string) data.Frames {
	if len(t.edgeSets) <= 1 {
		var es *edgeSet
		if len(t.edgeSets) == 1 {
			es = t.edgeSets[0]
		}
		return frames.TimeSeriesRuns(t.runs(es, t.fields), t.fields, t.catalog, t.en.Names, alias)
	}
	byField := map[string]*data.Frame{}
	for _, es := range t.edgeSets {
		fs := frames.TimeSeriesRuns(t.runs(es, es.fields), es.fields, t.catalog, t.en.Names, alias)
		for i, f := range es.fields {
			byField[f] = fs[i]
		}
	}
	out := make(data.Frames, 0, len(t.fields))
	for _, f := range t.fields {
		out = append(out, byField[f])
	}
	return out
}

// runs is series without a copy where there is no edge to combine: the
// interior's stitched runs as they are (frames copy them once, into the
// frame); otherwise series' rows as one run.
func (t *seriesTarget) runs(es *edgeSet, fields []string) *locus.Runs {
	if (es == nil || len(es.Edges) == 0) && !t.empty && t.interior != nil && t.interior.runs != nil {
		return t.interior.runs
	}
	return locus.WholeSeries(t.series(es, fields))
}

// series assembles the rows of fields from the target's fetched groups as
// its plan says (planner.SeriesPlan): the interior's buckets as they come
// and one row per exact edge of es, combined from the edge's finer parts
// and stamped at the start of its inside part. Every row describes only
// time inside the query's range. With no edge the interior series is
// returned as is.
func (t *seriesTarget) series(es *edgeSet, fields []string) *locus.Series {
	nEdges := 0
	if es != nil {
		nEdges = len(es.Edges)
	}
	if t.empty || (t.interior == nil && nEdges == 0) {
		return &locus.Series{ID: t.en.ID}
	}
	if nEdges == 0 {
		return t.interior.series()
	}
	var in *locus.Series
	if t.interior != nil {
		in = t.interior.series()
	}
	n := nEdges
	if in != nil {
		n += len(in.Times)
	}
	out := &locus.Series{ID: t.en.ID, Times: make([]time.Time, 0, n), Values: make(map[string]locus.Column, len(fields))}
	cols := make(map[string]*locus.Column, len(fields))
	for _, f := range fields {
		cols[f] = &locus.Column{Values: make([]float64, 0, n), Valid: make([]bool, 0, n)}
	}
	add := func(f string, v float64, ok bool) {
		c := cols[f]
		c.Values = append(c.Values, v)
		c.Valid = append(c.Valid, ok)
	}
	addEdge := func(i int) {
		out.Times = append(out.Times, es.Edges[i].Start)
		for _, f := range fields {
			if v := t.combine(es, i, f); v != nil {
				add(f, *v, true)
			} else {
				add(f, 0, false)
			}
		}
	}
	e := 0
	for ; e < nEdges && (t.plan.Interior == nil || !es.Edges[e].Start.After(t.plan.Interior.Start)); e++ {
		addEdge(e)
	}
	if in != nil {
		out.Times = append(out.Times, in.Times...)
		for _, f := range fields {
			col := in.Values[f]
			for j := range in.Times {
				v, ok := col.At(j)
				add(f, v, ok)
			}
		}
	}
	for ; e < nEdges; e++ {
		addEdge(e)
	}
	for _, f := range fields {
		c := *cols[f]
		if !c.HasNulls() {
			c.Valid = nil // no null: frames build a float64 column
		}
		out.Values[f] = c
	}
	return out
}

// combine is field f over edge i of es, from its parts' buckets: the sum
// of a sum field, the duration-weighted mean of an avg field (each bucket
// weighted by its length; buckets without data do not count), the least
// minimum or greatest maximum. nil when no bucket holds data.
func (t *seriesTarget) combine(es *edgeSet, i int, f string) *float64 {
	info, _ := t.catalog.Lookup(f)
	agg := aggregationOf(info.Aggregation, f)
	var acc, weight float64
	any := false
	switch agg {
	case "min":
		acc = math.Inf(1)
	case "max":
		acc = math.Inf(-1)
	}
	for j, g := range es.groups[i] {
		r := es.Edges[i].Parts[j]
		s := g.series()
		if s == nil {
			continue
		}
		col := s.Values[f]
		for k, ts := range s.Times {
			v, ok := col.At(k)
			if !ok || ts.Before(r.Start) || !ts.Before(r.End) {
				continue
			}
			any = true
			switch agg {
			case "sum":
				acc += v
			case "min":
				acc = math.Min(acc, v)
			case "max":
				acc = math.Max(acc, v)
			default:
				d := r.Gran.Next(ts, t.loc).Sub(ts).Minutes()
				acc += v * d
				weight += d
			}
		}
	}
	if !any {
		return nil
	}
	if agg == "avg" {
		if weight <= 0 {
			return nil
		}
		acc /= weight
	}
	return &acc
}

// aggregationOf is the field's aggregation (sum, avg, min, max) from
// dataavailable, else from its shortName's suffix (W_avg); unknown ones
// combine as a mean.
func aggregationOf(agg, shortName string) string {
	a := strings.ToLower(strings.TrimSpace(agg))
	if a == "" {
		if i := strings.LastIndexByte(shortName, '_'); i >= 0 {
			a = strings.ToLower(shortName[i+1:])
		}
	}
	switch a {
	case "sum", "min", "max":
		return a
	}
	return "avg"
}
