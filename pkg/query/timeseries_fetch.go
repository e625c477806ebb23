package query

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/fanout"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// groupKey identifies time series targets that one upstream call set can
// serve: same entity, granularity, zone and aligned range.
type groupKey struct {
	kind     locus.EntityKind
	id       int64
	gran     planner.Granularity
	zone     string
	from, to int64
}

// fetchGroup is the upstream call set of targets sharing a groupKey and
// compatible field parameters: the union of their fields, fetched chunk by
// chunk and stitched.
type fetchGroup struct {
	key     groupKey
	loc     *time.Location
	chunks  []planner.Chunk
	params  map[string]string
	fields  []string
	targets []*seriesTarget

	// runs are the group's rows, stitched from its chunks (nil until
	// fetched, and on error).
	runs *locus.Runs
	// rows is runs as one Series, made on first use (rowsOnce).
	rows     *locus.Series
	rowsOnce sync.Once
	// dropped counts the rows stitch left out (reported in notices).
	dropped stitchReport
	err     error
	figures callFigures
}

// series is the group's rows as one Series (nil before a successful
// fetch), copied from its runs once, on first use: frames are built from
// the runs directly, without this copy.
func (g *fetchGroup) series() *locus.Series {
	if g.runs == nil {
		return nil
	}
	g.rowsOnce.Do(func() { g.rows = g.runs.Series(g.fields) })
	return g.rows
}

// groupTargets merges the planned requests of targets (each target's
// interior and edge parts) into fetch groups, in first-seen order. A
// request joins the first group of its key whose field parameters do not
// conflict with its target's (Locus applies a parameter only to the fields
// that take it, so a field without parameters can share any call).
func groupTargets(targets []*seriesTarget) []*fetchGroup {
	byKey := map[groupKey][]*fetchGroup{}
	var groups []*fetchGroup
	join := func(t *seriesTarget, r planner.Request, fields []string) *fetchGroup {
		k := groupKey{kind: t.en.Kind, id: t.en.ID, gran: r.Gran, zone: t.zone, from: r.Start.UnixNano(), to: r.End.UnixNano()}
		var g *fetchGroup
		for _, cand := range byKey[k] {
			if compatible(cand.params, t.params) {
				g = cand
				break
			}
		}
		if g == nil {
			g = &fetchGroup{key: k, loc: t.loc, chunks: r.Chunks, params: map[string]string{}}
			byKey[k] = append(byKey[k], g)
			groups = append(groups, g)
		}
		for p, v := range t.params {
			g.params[p] = v
		}
		for _, f := range fields {
			if !contains(g.fields, f) {
				g.fields = append(g.fields, f)
			}
		}
		if !contains(g.targets, t) {
			g.targets = append(g.targets, t)
		}
		return g
	}
	for _, t := range targets {
		if t.empty {
			continue
		}
		if r := t.plan.Interior; r != nil {
			t.interior = join(t, *r, t.fields)
		}
		for _, es := range t.edgeSets {
			es.groups = make([][]*fetchGroup, len(es.Edges))
			for i, e := range es.Edges {
				for _, r := range e.Parts {
					es.groups[i] = append(es.groups[i], join(t, r, es.fields))
				}
			}
		}
	}
	for _, g := range groups {
		sort.Strings(g.fields) // a stable upstream URL, so the cache and single-flight match
		if len(g.params) == 0 {
			g.params = nil
		}
	}
	return groups
}

// groups lists the target's fetch groups, interior first, each once.
func (t *seriesTarget) groups() []*fetchGroup {
	var out []*fetchGroup
	if t.interior != nil {
		out = append(out, t.interior)
	}
	for _, es := range t.edgeSets {
		for _, gs := range es.groups {
			for _, g := range gs {
				if !contains(out, g) {
					out = append(out, g)
				}
			}
		}
	}
	return out
}

// compatible reports whether two parameter sets agree on every shared name.
func compatible(a, b map[string]string) bool {
	for k, v := range b {
		if w, ok := a[k]; ok && w != v {
			return false
		}
	}
	return true
}

// fetchGroups fetches every group's chunks through the coalescer (which may
// merge them with other requests' fetches) and stitches each group. The
// chunks enter the queues lazily, at most e.fanOut() at a time for the
// whole handler call, each group in the lane of the smallest query it
// serves (dataLane). A group's first failure cancels its remaining chunks
// and fails it with an error naming the failing period.
func (e *Engine) fetchGroups(ctx context.Context, groups []*fetchGroup, requests map[*request]int) {
	type state struct {
		ctx    context.Context
		cancel context.CancelFunc
		parts  []*locus.Series
	}
	var mu sync.Mutex
	states := make([]*state, len(groups))
	for i, g := range groups {
		least := -1
		for _, t := range g.targets {
			if n := requests[t.req]; least < 0 || n < least {
				least = n
			}
		}
		gctx, cancel := context.WithCancel(dataLane(ctx, least))
		states[i] = &state{ctx: gctx, cancel: cancel, parts: make([]*locus.Series, len(g.chunks))}
	}
	fail := func(g *fetchGroup, st *state, err error) {
		mu.Lock()
		defer mu.Unlock()
		if g.err == nil {
			g.err = err
			st.cancel()
		}
	}
	type job struct {
		g  *fetchGroup
		st *state
		ci int
	}
	var jobs []job
	for i, g := range groups {
		for ci := range g.chunks {
			jobs = append(jobs, job{g, states[i], ci})
		}
	}
	errs, _ := e.each(ctx, len(jobs), fanout.Options{Limit: e.fanOut(), KeepGoing: true},
		func(i int) string {
			return fmt.Sprintf("fetching %s %d (chunk %d)", singular(jobs[i].g.key.kind), jobs[i].g.key.id, jobs[i].ci+1)
		},
		func(_ context.Context, i int) error {
			g, st, c := jobs[i].g, jobs[i].st, jobs[i].g.chunks[jobs[i].ci]
			if st.ctx.Err() != nil {
				return nil // the group failed (or the query ended): no more of its chunks
			}
			start, end := c.Send()
			key := chunkKey{kind: g.key.kind, id: g.key.id, gran: g.key.gran, zone: g.key.zone,
				start: planner.FormatWall(start, g.loc), end: planner.FormatWall(end, g.loc)}
			s, figures, err := e.co.fetch(st.ctx, key, g.params, g.fields)
			mu.Lock()
			g.figures = g.figures.add(figures)
			mu.Unlock()
			if err != nil {
				fail(g, st, g.chunkError(c, err))
				return nil
			}
			st.parts[jobs[i].ci] = s
			return nil
		})
	for i, err := range errs {
		var p *fanout.PanicError
		if errors.As(err, &p) {
			fail(jobs[i].g, jobs[i].st, err)
		}
	}
	for i, g := range groups {
		states[i].cancel()
		if g.err == nil {
			if err := ctx.Err(); err != nil {
				g.err = locus.Canceled(err)
				continue
			}
			g.runs, g.dropped = stitch(g.key.id, states[i].parts, g.chunks, g.fields, g.key.gran, g.loc)
		}
	}
}

// chunkError names the failing period (and how many requests the range
// needed) so no partial series is mistaken for a complete one.
func (g *fetchGroup) chunkError(c planner.Chunk, err error) error {
	what := fmt.Sprintf("%s %d", singular(g.key.kind), g.key.id)
	start, end := c.Send()
	period := fmt.Sprintf("%s to %s (%s, %s)", planner.FormatWall(start, g.loc), planner.FormatWall(end, g.loc), g.key.zone, g.key.gran)
	if len(g.chunks) > 1 {
		return fmt.Errorf("Locus data for %s failed for the period %s, one of %d requests of the range; no data shown for this query: %w", what, period, len(g.chunks), err)
	}
	return fmt.Errorf("Locus data for %s failed for the period %s: %w", what, period, err)
}

// singular names an entity kind in messages.
func singular(k locus.EntityKind) string {
	if k == locus.KindComponent {
		return "component"
	}
	return "site"
}
