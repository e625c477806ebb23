package query

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// seriesTarget is one entity of a time series query, planned.
type seriesTarget struct {
	req     *request
	en      entity
	fields  []string
	catalog *locus.Catalog
	zone    string
	loc     *time.Location
	// from and to are the panel range; now clamps it.
	from, to, now time.Time
	// offered is what every field of the query offers, finest first; auto
	// chooses among autoOffered (offered, narrowed to what the request's
	// other auto queries on the same entity offer, so they can share calls).
	offered, autoOffered []planner.Granularity
	autoPeers            []string
	gran                 planner.Granularity
	// fieldOffered is what each field offers, finest first.
	fieldOffered map[string][]planner.Granularity
	// plan is the planner's plan (range contract: granularity, interior).
	plan   planner.SeriesPlan
	params map[string]string
	meta   metaInfo
	// empty is set when the range holds no whole minute before now.
	empty bool
	// interior fetches plan.Interior for every field.
	interior *fetchGroup
	// edgeSets are the edges per group of fields offering the same
	// granularities (one set when all fields offer the same).
	edgeSets []*edgeSet
	// size is the site's installed size when the query has KPIs needing it;
	// poa the weather station's insolation for performanceRatio (nil:
	// modelled, poaNote says why).
	size    *siteSize
	poa     *measuredPOA
	poaNote string
}

// edgeSet is the edges of the fields offering one set of granularities.
type edgeSet struct {
	fields []string
	planner.EdgePlan
	// groups[i][j] fetches Edges[i].Parts[j].
	groups [][]*fetchGroup
}

// planTarget resolves one entity of a time series query: names and zone,
// fields against dataavailable, the granularities they offer (an explicit
// one is checked), field parameters and the range. finish then chooses an
// auto granularity and the chunks.
func (e *Engine) planTarget(ctx context.Context, r *request, id int64) (*seriesTarget, error) {
	q := r.timeSeries()
	kind := q.kind
	t := &seriesTarget{req: r, fields: q.Fields}
	ctx, cs := locus.WithCallStats(ctx)
	defer func() { t.meta.addCalls(cs) }()

	en, err := e.lookupEntity(ctx, kind, id, q.siteHint)
	if err != nil {
		return nil, err
	}
	t.en = en
	cat, err := e.api.DataAvailable(ctx, kind, id)
	if err != nil {
		return nil, fmt.Errorf("dataavailable of %s: %w", en.label(), err)
	}
	fields := q.targetFields(cat)
	t.fields = fields
	if err := checkFields(cat, fields, en.label()); err != nil {
		return nil, err
	}
	t.catalog = cat
	t.zone, t.loc = chooseZone(q, r.FromAlert, en, &t.meta)
	t.meta.custom.TZ = t.zone
	if t.offered, err = offeredGranularities(cat, fields); err != nil {
		return nil, err
	}
	t.autoOffered = t.offered
	t.fieldOffered = make(map[string][]planner.Granularity, len(fields))
	for _, f := range fields {
		t.fieldOffered[f], _ = offeredGranularities(cat, []string{f})
	}
	if !q.isAuto() {
		if err := lacking(cat, fields, q.gran); err != nil {
			return nil, err
		}
		t.gran = q.gran
	}
	if t.params, err = fieldParams(cat, fields, q.FieldParams, &t.meta); err != nil {
		return nil, err
	}
	t.from, t.to, t.now = r.TimeRange.From, r.TimeRange.To, e.now()
	end := t.to
	if end.After(t.now) {
		end = t.now
	}
	t.empty = !t.from.Before(end)
	return t, nil
}

// isAuto reports whether the target's granularity is chosen automatically.
func (t *seriesTarget) isAuto() bool { return t.req.timeSeries().isAuto() }

// finish plans the target with the planner (auto granularity, whole
// buckets inside the range, edge requests, chunks).
func (t *seriesTarget) finish() error {
	if t.empty {
		t.meta.info("The range starts after the latest data Locus can have (now): nothing to fetch")
		return nil
	}
	in := planner.SeriesInput{
		From: t.from, To: t.to, Now: t.now, Loc: t.loc,
		Granularity: t.gran, Offered: t.offered,
		Interval: t.req.Interval, MaxDataPoints: t.req.MaxDataPoints,
		Edges: t.req.timeSeries().edges, MaxRequests: maxChunks,
	}
	if t.isAuto() {
		in.Granularity, in.AutoAmong = "", t.autoOffered
	}
	p, err := planner.PlanSeries(in)
	var tooMany *planner.TooManyRequestsError
	if errors.As(err, &tooMany) {
		return requestCapError(tooMany.Requests, fmt.Sprintf("at granularity %s for %s", tooMany.Granularity, t.en.label()), "choose a coarser granularity, auto, or a shorter range")
	}
	if err != nil {
		return badInput("cannot plan the range for %s: %v", t.en.label(), err)
	}
	t.plan, t.gran, t.empty = p, p.Granularity, p.Empty
	if p.Auto && p.Reason != "" {
		reason := p.Reason
		if len(t.autoPeers) > 0 {
			reason += fmt.Sprintf(" (among the granularities query %s also offers, so they share requests)", strings.Join(t.autoPeers, ", "))
		}
		t.meta.info("%s", reason)
	}
	for _, n := range p.Notices {
		t.meta.info("%s", n)
	}
	if p.Empty {
		return nil
	}
	if err := t.planEdgeSets(in.Edges); err != nil {
		return err
	}
	// Upstream requests: distinct chunks (edge sets of different fields
	// may plan the same part; they share its fetch).
	type chunkID struct {
		gran       planner.Granularity
		start, end int64
	}
	distinct := map[chunkID]bool{}
	count := func(r planner.Request) {
		for _, c := range r.Chunks {
			distinct[chunkID{r.Gran, c.Start.UnixNano(), c.End.UnixNano()}] = true
		}
	}
	if p.Interior != nil {
		count(*p.Interior)
	}
	for _, es := range t.edgeSets {
		for _, e := range es.Edges {
			for _, r := range e.Parts {
				count(r)
			}
		}
	}
	requests := len(distinct)
	for _, es := range t.edgeSets {
		for _, n := range es.Notices {
			if len(t.edgeSets) > 1 {
				n = fmt.Sprintf("Fields %s: %s", strings.Join(es.fields, ","), n)
			}
			t.meta.info("%s", n)
		}
	}
	if requests > maxChunks {
		return requestCapError(requests, fmt.Sprintf("at granularity %s for %s", t.gran, t.en.label()), "choose a coarser granularity, auto, or a shorter range")
	}
	t.meta.custom.Granularity = string(t.gran)
	t.meta.custom.Chunks = requests
	if p.Interior != nil && len(p.Interior.Chunks) > 1 {
		t.meta.info("Range split into %d requests (%s requests must span %s)", len(p.Interior.Chunks), t.gran, spanLimitText(t.gran))
	}
	return nil
}

// planEdgeSets plans the edges per group of fields offering the same
// granularities, so a field offering 1min keeps exact edges beside one
// that starts at daily (one set, the plan's own edges, when all agree).
func (t *seriesTarget) planEdgeSets(mode planner.EdgeMode) error {
	t.edgeSets = nil
	byKey := map[string]*edgeSet{}
	var keys []string
	for _, f := range t.fields {
		k := fmt.Sprint(t.fieldOffered[f])
		if byKey[k] == nil {
			byKey[k] = &edgeSet{}
			keys = append(keys, k)
		}
		byKey[k].fields = append(byKey[k].fields, f)
	}
	if len(keys) == 1 || mode == planner.EdgesOmit {
		es := &edgeSet{fields: t.fields}
		es.EdgePlan = planner.EdgePlan{Edges: t.plan.Edges, Omitted: t.plan.Omitted, Notices: t.plan.EdgeNotices}
		for _, e := range t.plan.Edges {
			for _, r := range e.Parts {
				es.Requests += len(r.Chunks)
			}
		}
		t.edgeSets = []*edgeSet{es}
		return nil
	}
	for _, k := range keys {
		es := byKey[k]
		ep, err := planner.PlanEdges(t.gran, t.plan.From, t.plan.To, t.loc, t.fieldOffered[es.fields[0]], mode)
		if err != nil {
			return badInput("cannot plan the range's edges for %s: %v", t.en.label(), err)
		}
		es.EdgePlan = ep
		t.edgeSets = append(t.edgeSets, es)
	}
	return nil
}

// autoKey groups auto targets that would merge if they chose alike.
type autoKey struct {
	kind          locus.EntityKind
	id            int64
	zone          string
	from, to      int64
	interval      time.Duration
	maxDataPoints int64
}

// harmonizeAuto narrows the choice of auto targets on the same entity, zone,
// range, interval and max data points (typically the queries of one panel,
// such as measured and modeled power) to the granularities all of them
// offer, so they choose alike, fetch together and plot at one resolution.
// Targets whose fields share no granularity keep their own choice.
func harmonizeAuto(targets []*seriesTarget) {
	byKey := map[autoKey][]*seriesTarget{}
	var keys []autoKey
	for _, t := range targets {
		if !t.isAuto() || t.empty {
			continue
		}
		k := autoKey{t.en.Kind, t.en.ID, t.zone, t.from.UnixNano(), t.to.UnixNano(), t.req.Interval, t.req.MaxDataPoints}
		if byKey[k] == nil {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], t)
	}
	for _, k := range keys {
		ts := byKey[k]
		if len(ts) < 2 {
			continue
		}
		common := ts[0].offered
		for _, t := range ts[1:] {
			common = intersect(common, t.offered)
		}
		if len(common) == 0 {
			continue
		}
		for _, t := range ts {
			t.autoOffered = common
			for _, o := range ts {
				if o.req != t.req && !contains(t.autoPeers, o.req.RefID) {
					t.autoPeers = append(t.autoPeers, o.req.RefID)
				}
			}
		}
	}
}

// intersect keeps the granularities of a that b also holds, in a's order.
func intersect(a, b []planner.Granularity) []planner.Granularity {
	var out []planner.Granularity
	for _, g := range a {
		if contains(b, g) {
			out = append(out, g)
		}
	}
	return out
}

// spanLimitText words the API's span limit of g for a notice (the limit
// itself is defined once, in the planner).
func spanLimitText(g planner.Granularity) string {
	years, months, days, ok := g.SpanLimit()
	switch {
	case !ok:
		return "any length"
	case years > 0:
		return plural(years, "year")
	case months > 0:
		return plural(months, "month")
	}
	return plural(days, "day")
}

// plural words "< n unit(s)".
func plural(n int, unit string) string {
	if n == 1 {
		return fmt.Sprintf("< 1 %s", unit)
	}
	return fmt.Sprintf("< %d %ss", n, unit)
}
