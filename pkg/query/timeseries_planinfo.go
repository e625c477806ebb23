package query

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// QueryPlan is what a time series query will do, per entity, as
// PlanTimeSeries reports it (the /plan resource's answer). Error is set
// instead when the query would fail before fetching (bad input, unknown
// entity, a refused plan).
type QueryPlan struct {
	RefID    string       `json:"refId"`
	Entities []EntityPlan `json:"entities,omitempty"`
	// Requests is the query's upstream data requests on a cold cache: the
	// sum of its entities'.
	Requests int `json:"requests"`
	// Offered lists the granularities every field offers for every entity,
	// finest first (what the editor's granularity picker offers); for a
	// query refused at an explicit granularity, what its fields offer (the
	// query planned with auto), so the editor can offer another.
	Offered []string `json:"offered"`
	Error   string   `json:"error,omitempty"`
	// Status is the HTTP status of the query's error response (with Error).
	Status int `json:"status,omitempty"`
}

// EntityPlan is the plan of one entity of a time series query.
type EntityPlan struct {
	// Entity names it (`site 123 "Name"`); ID is its Locus id.
	Entity string `json:"entity"`
	ID     int64  `json:"id"`
	// TimeZone is the zone buckets are aligned in and requests sent in.
	TimeZone string `json:"timeZone"`
	// Granularity is the chosen one; Auto says auto chose it, Reason why.
	Granularity string `json:"granularity,omitempty"`
	Auto        bool   `json:"auto"`
	Reason      string `json:"reason,omitempty"`
	// Offered lists the granularities every field offers, finest first.
	Offered []string `json:"offered"`
	// Requests is the number of upstream data requests (interior chunks and
	// edge requests), before any cache hit or sharing.
	Requests int `json:"requests"`
	// From and To are the effective range (clamped to now, whole minutes).
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Interior is the span of whole buckets inside the range, if any.
	Interior *PlanSpan `json:"interior,omitempty"`
	// Edges are the partial buckets recomputed from finer data.
	Edges []PlanEdge `json:"edges,omitempty"`
	// Omitted are the spans left out (edges in omit mode, uncoverable minutes).
	Omitted []PlanSpan `json:"omitted,omitempty"`
	// Notices are the frame notices the query will carry before fetching.
	Notices []string `json:"notices,omitempty"`
}

// PlanSpan is a planned span [Start, End) at a granularity, in Chunks requests.
type PlanSpan struct {
	Granularity string    `json:"granularity,omitempty"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Chunks      int       `json:"chunks,omitempty"`
}

// PlanEdge is one recomputed partial bucket: its inside part [Start, End)
// and the finer requests it is combined from.
type PlanEdge struct {
	// Fields are the fields the edge is recomputed for (fields offering
	// different granularities get their own edges).
	Fields []string   `json:"fields"`
	Start  time.Time  `json:"start"`
	End    time.Time  `json:"end"`
	Parts  []PlanSpan `json:"parts"`
}

// PlanTimeSeries plans the time series queries of req exactly as QueryData
// would (same decoding, entity and zone resolution, dataavailable checks,
// auto harmonisation across the request's queries, planner.PlanSeries),
// without fetching any data. Queries of a type without a plan (every type
// but time series) get an Error. The answer is keyed by refId.
func (e *Engine) PlanTimeSeries(ctx context.Context, req *backend.QueryDataRequest) map[string]QueryPlan {
	out := map[string]QueryPlan{}
	if req == nil {
		return out
	}
	fromAlert := isFromAlert(req.Headers)
	byType := map[QueryType][]*request{}
	var order []QueryType
	for _, dq := range req.Queries {
		r, err := decodeQuery(dq, fromAlert)
		switch {
		case err != nil:
			out[dq.RefID] = refusedPlan(dq.RefID, err)
		case lookupType(r.Type).plan == nil:
			out[dq.RefID] = refusedPlan(dq.RefID, badInput("query type %q has no plan: only time series queries are planned", r.Type))
		default:
			if byType[r.Type] == nil {
				order = append(order, r.Type)
			}
			byType[r.Type] = append(byType[r.Type], r)
		}
	}
	for _, t := range order {
		for ref, p := range lookupType(t).plan(ctx, e, byType[t]) {
			out[ref] = p
		}
	}
	return out
}

// planTimeSeries is the time series query type's plan: every query of reqs
// planned together (auto granularities harmonised), without fetching.
func planTimeSeries(ctx context.Context, e *Engine, reqs []*request) map[string]QueryPlan {
	out := make(map[string]QueryPlan, len(reqs))
	queries, _ := e.planAll(ctx, reqs)
	for _, q := range queries {
		if q.err != nil {
			qp := refusedPlan(q.req.RefID, q.err)
			if !q.req.timeSeries().isAuto() {
				qp.Offered = e.offeredAlone(ctx, q.req)
			}
			out[qp.RefID] = qp
			continue
		}
		qp := QueryPlan{RefID: q.req.RefID, Offered: []string{}}
		var offered []planner.Granularity
		for i, t := range q.targets {
			qp.Entities = append(qp.Entities, t.planInfo())
			qp.Requests += t.meta.custom.Chunks
			if i == 0 {
				offered = t.offered
			} else {
				offered = intersect(offered, t.offered)
			}
		}
		for _, g := range offered {
			qp.Offered = append(qp.Offered, string(g))
		}
		out[qp.RefID] = qp
	}
	return out
}

// refusedPlan is the plan of a query that will answer err, with the
// status its error response carries.
func refusedPlan(refID string, err error) QueryPlan {
	return QueryPlan{RefID: refID, Offered: []string{}, Error: err.Error(), Status: int(errorResponse(err).Status)}
}

// offeredAlone is what the fields of a query refused at an explicit
// granularity offer: the query planned alone with auto, on the same path;
// empty if that fails too.
func (e *Engine) offeredAlone(ctx context.Context, r *request) []string {
	ts := *r.timeSeries()
	model := *ts.TimeSeriesQuery
	model.Granularity, ts.TimeSeriesQuery, ts.gran = GranularityAuto, &model, ""
	auto := *r
	auto.query = &ts
	qs, _ := e.planAll(ctx, []*request{&auto})
	if qs[0].err != nil || len(qs[0].targets) == 0 {
		return []string{}
	}
	out := []string{}
	for _, g := range qs[0].targets[0].offered {
		out = append(out, string(g))
	}
	return out
}

// planInfo reports the target's plan.
func (t *seriesTarget) planInfo() EntityPlan {
	p := t.plan
	ep := EntityPlan{
		Entity: t.en.label(), ID: t.en.ID, TimeZone: t.zone, Granularity: string(p.Granularity),
		Auto: t.isAuto(), Reason: p.Reason, Requests: t.meta.custom.Chunks, From: p.From, To: p.To,
	}
	for _, g := range t.offered {
		ep.Offered = append(ep.Offered, string(g))
	}
	if r := p.Interior; r != nil {
		ep.Interior = &PlanSpan{Granularity: string(r.Gran), Start: r.Start, End: r.End, Chunks: len(r.Chunks)}
	}
	for _, es := range t.edgeSets {
		for _, e := range es.Edges {
			pe := PlanEdge{Fields: es.fields, Start: e.Start, End: e.End}
			for _, r := range e.Parts {
				pe.Parts = append(pe.Parts, PlanSpan{Granularity: string(r.Gran), Start: r.Start, End: r.End, Chunks: len(r.Chunks)})
			}
			ep.Edges = append(ep.Edges, pe)
		}
		for _, c := range es.Omitted {
			ep.Omitted = append(ep.Omitted, PlanSpan{Start: c.Start, End: c.End})
		}
	}
	for _, n := range t.meta.notices {
		ep.Notices = append(ep.Notices, n.Text)
	}
	return ep
}
