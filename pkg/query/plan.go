package query

import (
	"context"
	"fmt"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// maxChunks bounds the data requests one entity of one query may need, so a
// mistaken explicit granularity over years cannot occupy the account queue
// for an hour.
const maxChunks = 100

// seriesTarget is one entity of a time series query, planned.
type seriesTarget struct {
	req     *request
	en      entity
	fields  []string
	catalog map[string]frames.FieldInfo
	zone    string
	loc     *time.Location
	gran    planner.Granularity
	chunks  []planner.Chunk
	params  map[string]string
	meta    metaInfo
	// empty is set when the range lies wholly after now: nothing to fetch.
	empty bool
	group *fetchGroup
}

// planTarget resolves one entity of a time series query: names and zone,
// fields against dataavailable, granularity, field parameters and chunks.
func (e *Engine) planTarget(ctx context.Context, r *request, kind locus.EntityKind, id int64) (*seriesTarget, error) {
	q := r.TimeSeries
	t := &seriesTarget{req: r, fields: q.Fields}
	ctx, cs := locus.WithCallStats(ctx)
	defer func() { t.meta.addCalls(cs) }()

	en, err := e.lookupEntity(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	t.en = en
	bfs, err := e.api.DataAvailable(ctx, kind, id)
	if err != nil {
		return nil, fmt.Errorf("dataavailable of %s: %w", en.label(), err)
	}
	idx := indexFields(bfs)
	if err := idx.check(q.Fields, en.label()); err != nil {
		return nil, err
	}
	t.catalog = frames.FieldCatalog(bfs)
	if t.zone, t.loc, err = chooseZone(q.TimeZoneMode, q.TimeZone, en, &t.meta); err != nil {
		return nil, err
	}
	t.meta.custom.TZ = t.zone

	from, to := r.TimeRange.From, r.TimeRange.To
	if now := e.now(); to.After(now) {
		to = now
	}
	offered, err := idx.granularities(q.Fields)
	if err != nil {
		return nil, err
	}
	if err := t.chooseGranularity(idx, offered, from, to); err != nil {
		return nil, err
	}
	if t.params, err = idx.fieldParams(q.Fields, q.FieldParams, &t.meta); err != nil {
		return nil, err
	}
	if !from.Before(to) {
		t.empty = true
		t.meta.info("The range starts after the latest data Locus can have (now): nothing to fetch")
		return t, nil
	}
	if t.chunks, err = planner.Plan(from, to, t.gran, t.loc); err != nil {
		return nil, badInput("cannot plan the range: %v", err)
	}
	if len(t.chunks) > maxChunks {
		return nil, badInput("the range needs %d requests at granularity %s for %s (at most %d allowed): choose a coarser granularity, auto, or a shorter range", len(t.chunks), t.gran, en.label(), maxChunks)
	}
	t.meta.custom.Chunks = len(t.chunks)
	if len(t.chunks) > 1 {
		t.meta.info("Range split into %d requests (%s requests must span %s)", len(t.chunks), t.gran, spanLimitText(t.gran))
	}
	return t, nil
}

// chooseGranularity applies auto or checks the explicit granularity.
func (t *seriesTarget) chooseGranularity(idx fieldIndex, offered []planner.Granularity, from, to time.Time) error {
	q := t.req.TimeSeries
	if q.Granularity == GranularityAuto {
		span := to.Sub(from)
		if span <= 0 {
			span = t.req.TimeRange.To.Sub(t.req.TimeRange.From)
			from = to.Add(-span)
		}
		g, reason, err := planner.ChooseAuto(offered, t.req.Interval, from, from.Add(span), t.req.MaxDataPoints)
		if err != nil {
			return badInput("cannot choose a granularity: %v", err)
		}
		t.gran = g
		t.meta.info("%s", reason)
	} else {
		g, err := planner.ParseGranularity(q.Granularity)
		if err != nil {
			return badInput("granularity %q is unknown: valid values are %s", q.Granularity, granularityHelp)
		}
		if err := idx.lacking(q.Fields, g); err != nil {
			return err
		}
		t.gran = g
	}
	t.meta.custom.Granularity = string(t.gran)
	return nil
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
