package query

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/fanout"
)

// seriesQuery is one time series query with its planned entities.
type seriesQuery struct {
	req     *request
	targets []*seriesTarget
	// skipped names entities of a multi-entity query that cannot serve it.
	skipped []string
	err     error
}

// handleTimeSeries serves every time series query of a request: plan each
// entity, merge what can share upstream calls, fetch the groups
// concurrently, then build frames per query.
func handleTimeSeries(ctx context.Context, e *Engine, reqs []*request) map[string]backend.DataResponse {
	queries, planned := e.planAll(ctx, reqs)
	e.loadSizes(ctx, queries)
	requests := map[*request]int{}
	for _, t := range planned {
		requests[t.req] += t.meta.custom.Chunks
	}
	e.fetchGroups(ctx, groupTargets(planned), requests)
	e.loadMeasuredPOA(ctx, queries)

	out := make(map[string]backend.DataResponse, len(reqs))
	for _, q := range queries {
		resp, err := q.frames()
		if err != nil {
			e.log.Debug("time series query failed", "refId", q.req.RefID, "error", err.Error())
			resp = errorResponse(err)
		}
		out[q.req.RefID] = resp
	}
	return out
}

// planAll plans every query of reqs (entities concurrently), then chooses
// the granularities (auto ones harmonised across queries) and edges, and
// returns the queries and the targets to fetch. QueryData and
// PlanTimeSeries share it, so the editor's hint is what the query does.
func (e *Engine) planAll(ctx context.Context, reqs []*request) ([]*seriesQuery, []*seriesTarget) {
	queries := make([]*seriesQuery, len(reqs))
	for i, r := range reqs {
		queries[i] = &seriesQuery{req: r}
	}
	errs, _ := e.each(ctx, len(reqs), fanout.Options{KeepGoing: true},
		func(i int) string { return "planning query " + reqs[i].RefID },
		func(ctx context.Context, i int) error { e.planQuery(ctx, queries[i]); return nil })
	for i, err := range errs {
		if err != nil {
			queries[i].err = err
		}
	}
	return queries, finishAll(queries)
}

// finishAll chooses the granularities (auto ones harmonised across queries)
// and chunks of every planned query, and returns the targets to fetch.
func finishAll(queries []*seriesQuery) []*seriesTarget {
	var planned []*seriesTarget
	for _, q := range queries {
		if q.err == nil {
			planned = append(planned, q.targets...)
		}
	}
	harmonizeAuto(planned)
	var out []*seriesTarget
	for _, q := range queries {
		if q.err != nil {
			continue
		}
		for _, t := range q.targets {
			if err := t.finish(); err != nil {
				q.err = err
				break
			}
		}
		if q.err == nil {
			out = append(out, q.targets...)
		}
	}
	return out
}

// planQuery plans every entity of q concurrently. In a multi-entity query an
// entity that cannot serve it (bad input such as a field it lacks) is
// skipped with a warning; any other failure fails the query.
func (e *Engine) planQuery(ctx context.Context, q *seriesQuery) {
	ts := q.req.timeSeries()
	ids := ts.ids
	if err := e.checkEntities(string(ts.EntityType)+"Id", len(ids)); err != nil {
		q.err = err
		return
	}
	targets := make([]*seriesTarget, len(ids))
	// The metadata lookups enter the queues lazily too, in the bulk lane
	// when the query lists many entities.
	errs, _ := e.each(dataLane(ctx, len(ids)), len(ids), fanout.Options{Limit: e.fanOut(), KeepGoing: true},
		func(i int) string {
			return fmt.Sprintf("planning %s %d of query %s", singular(ts.kind), ids[i], q.req.RefID)
		},
		func(ctx context.Context, i int) (err error) {
			targets[i], err = e.planTarget(ctx, q.req, ids[i])
			return err
		})
	for i, err := range errs {
		var in *inputError
		switch {
		case err == nil:
			q.targets = append(q.targets, targets[i])
		case len(ids) > 1 && errors.As(err, &in):
			q.skipped = append(q.skipped, err.Error())
		default:
			q.err = err
			return
		}
	}
	if len(q.targets) == 0 {
		q.err = badInput("no entity of the query can serve it: %s", strings.Join(q.skipped, "; "))
	}
}

// frames builds the response of q from its fetched groups.
func (q *seriesQuery) frames() (backend.DataResponse, error) {
	if q.err != nil {
		return backend.DataResponse{}, q.err
	}
	var all data.Frames
	for _, t := range q.targets {
		for _, g := range t.groups() {
			if g.err != nil {
				return backend.DataResponse{}, g.err
			}
		}
	}
	for _, t := range q.targets {
		m := t.meta
		var fetched []string
		for _, g := range t.groups() {
			m.figures = m.figures.add(g.figures)
			for _, other := range g.targets {
				if other.req != q.req && !contains(m.custom.MergedWith, other.req.RefID) {
					m.custom.MergedWith = append(m.custom.MergedWith, other.req.RefID)
				}
			}
			for _, f := range g.fields {
				if !contains(fetched, f) {
					fetched = append(fetched, f)
				}
			}
		}
		dataNotices(&m, t.zone, t.loc, t.groups())
		if len(m.custom.MergedWith) > 0 {
			m.info("Fetched together with query %s (same %s, granularity and zone): fields %s in one request set",
				strings.Join(m.custom.MergedWith, ", "), singular(t.en.Kind), strings.Join(fetched, ","))
		}
		for _, sk := range q.skipped {
			m.warn("Skipped: %s", sk)
		}
		fs := t.shownFrames(q.req.timeSeries().Alias)
		fs = append(fs, kpiFrames(q.req.timeSeries().TimeSeriesQuery, t, &m)...)
		m.apply(fs, q.req.RefID)
		all = append(all, fs...)
	}
	if len(all) == 0 {
		return backend.DataResponse{}, fmt.Errorf("no frames were built for query %s", q.req.RefID)
	}
	return backend.DataResponse{Frames: all}, nil
}
