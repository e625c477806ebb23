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
	// offGrid counts requests whose last kept bucket does not start where
	// the zone's clock starts a bucket of the granularity (Locus stepping
	// hourly buckets by 60 minutes across a 30-minute DST change, as in
	// Australia/Lord_Howe): such a bucket may reach past the request's end,
	// so its value may include time outside the period. Kept, and warned of.
	offGrid      int
	firstOffGrid time.Time
}

// stitch joins the chunk results of one entity into one series of row
// runs (no row is copied: frames copy the rows once, into the frame). Each
// chunk contributes only buckets inside its own [Start, End) and the time
// column stays strictly increasing, so no bucket is duplicated at a chunk
// edge; the report counts what was left out. The runs' Timestamps sum the
// chunks'.
//
// gran and loc are the requests' granularity and zone: the last kept
// bucket of each request is checked against the zone's bucket grid (one
// check per request; see stitchReport.offGrid).
func stitch(id int64, parts []*locus.Series, chunks []planner.Chunk, fields []string, gran planner.Granularity, loc *time.Location) (*locus.Runs, stitchReport) {
	var rep stitchReport
	if len(parts) == 1 && parts[0] != nil && wellFormed(parts[0], chunks[0], fields) {
		rep.checkGrid(parts[0].Times, len(parts[0].Times), gran, loc)
		return locus.WholeSeries(parts[0]), rep
	}
	out := &locus.Runs{ID: id}
	var last time.Time
	started := false
	for i, p := range parts {
		if p == nil {
			continue
		}
		runs := keptRows(p.Times, chunks[i], &last, started, &rep)
		for _, r := range runs {
			out.Parts = append(out.Parts, locus.Run{S: p, Start: r.start, End: r.end})
			started = true
		}
		if n := len(runs); n > 0 {
			rep.checkGrid(p.Times, runs[n-1].end, gran, loc)
		}
		out.Timestamps.Add(p.Timestamps)
	}
	return out, rep
}

// checkGrid counts times[end-1], a request's last kept bucket, when it
// does not start on the zone's bucket grid of gran.
func (r *stitchReport) checkGrid(times []time.Time, end int, gran planner.Granularity, loc *time.Location) {
	if end <= 0 || loc == nil {
		return
	}
	if t := times[end-1]; !gran.Floor(t, loc).Equal(t) {
		if r.offGrid == 0 {
			r.firstOffGrid = t
		}
		r.offGrid++
	}
}

// dataNotices reports on m what the groups' responses (the requests of one
// target: its interior and edge requests) did not send as the API says
// (timestamps without the zone's offset) and the rows stitch left out, each
// with its count and an example, summed over the groups.
func dataNotices(m *metaInfo, zone string, loc *time.Location, groups []*fetchGroup) {
	var ts locus.TimestampReport
	var d stitchReport
	for _, g := range groups {
		if g.runs != nil {
			ts.Add(g.runs.Timestamps)
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
	if d.offGrid > 0 {
		m.warn("The last bucket of %d of Locus's responses does not start on a bucket boundary of the %s clock (the first at %s): a bucket lasts until the next one starts, so such a bucket can include time after its request's end, counted twice or outside the range. This happens where clocks change by 30 minutes; a finer granularity avoids it",
			d.offGrid, zone, planner.FormatWall(d.firstOffGrid, loc))
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
	if o.offGrid > 0 && (r.offGrid == 0 || o.firstOffGrid.Before(r.firstOffGrid)) {
		r.firstOffGrid = o.firstOffGrid
	}
	r.outside += o.outside
	r.repeated += o.repeated
	r.offGrid += o.offGrid
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

// wellFormed reports whether s needs no filtering: times strictly
// increasing inside the chunk and every column as long as the time column.
func wellFormed(s *locus.Series, c planner.Chunk, fields []string) bool {
	if !s.FullColumns(fields) {
		return false
	}
	for j, ts := range s.Times {
		if ts.Before(c.Start) || !ts.Before(c.End) || (j > 0 && !ts.After(s.Times[j-1])) {
			return false
		}
	}
	return true
}
