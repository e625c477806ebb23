package query

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// seriesTarget is one entity of a time series query, planned.
type seriesTarget struct {
	req     *request
	en      entity
	fields  []string
	catalog map[string]frames.FieldInfo
	zone    string
	loc     *time.Location
	// from and to are the panel range clamped to now (not yet aligned).
	from, to time.Time
	// offered is what every field of the query offers, finest first; auto
	// chooses among autoOffered (offered, narrowed to what the request's
	// other auto queries on the same entity offer, so they can share calls).
	offered, autoOffered []planner.Granularity
	autoPeers            []string
	gran                 planner.Granularity
	chunks               []planner.Chunk
	params               map[string]string
	meta                 metaInfo
	// empty is set when the range lies wholly after now: nothing to fetch.
	empty bool
	group *fetchGroup
}

// planTarget resolves one entity of a time series query: names and zone,
// fields against dataavailable, the granularities they offer (an explicit
// one is checked), field parameters and the range. finish then chooses an
// auto granularity and the chunks.
func (e *Engine) planTarget(ctx context.Context, r *request, kind locus.EntityKind, id int64) (*seriesTarget, error) {
	q := r.TimeSeries
	t := &seriesTarget{req: r, fields: q.Fields}
	ctx, cs := locus.WithCallStats(ctx)
	defer func() { t.meta.addCalls(cs) }()

	en, err := e.lookupEntity(ctx, kind, id, siteHintOf(q.Entity))
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
	if t.zone, t.loc, err = chooseZone(q.TimeZoneMode, q.TimeZone, r.FromAlert, en, &t.meta); err != nil {
		return nil, err
	}
	t.meta.custom.TZ = t.zone
	if t.offered, err = idx.granularities(q.Fields); err != nil {
		return nil, err
	}
	t.autoOffered = t.offered
	if q.Granularity != GranularityAuto {
		g, err := planner.ParseGranularity(q.Granularity)
		if err != nil {
			return nil, badInput("granularity %q is unknown: valid values are %s", q.Granularity, granularityHelp)
		}
		if err := idx.lacking(q.Fields, g); err != nil {
			return nil, err
		}
		t.gran = g
	}
	if t.params, err = idx.fieldParams(q.Fields, q.FieldParams, &t.meta); err != nil {
		return nil, err
	}
	t.from, t.to = r.TimeRange.From, r.TimeRange.To
	if now := e.now(); t.to.After(now) {
		t.to = now
	}
	t.empty = !t.from.Before(t.to)
	return t, nil
}

// isAuto reports whether the target's granularity is chosen automatically.
func (t *seriesTarget) isAuto() bool { return t.req.TimeSeries.Granularity == GranularityAuto }

// finish chooses an auto granularity and splits the range into chunks.
func (t *seriesTarget) finish() error {
	if t.empty {
		t.meta.info("The range starts after the latest data Locus can have (now): nothing to fetch")
		return nil
	}
	if t.isAuto() {
		g, reason, err := planner.ChooseAuto(t.autoOffered, t.req.Interval, t.from, t.to, t.req.MaxDataPoints)
		if err != nil {
			return badInput("cannot choose a granularity: %v", err)
		}
		t.gran = g
		if len(t.autoPeers) > 0 {
			reason += fmt.Sprintf(" (among the granularities query %s also offers, so they share requests)", strings.Join(t.autoPeers, ", "))
		}
		t.meta.info("%s", reason)
	}
	t.meta.custom.Granularity = string(t.gran)
	var err error
	if t.chunks, err = planner.Plan(t.from, t.to, t.gran, t.loc); err != nil {
		return badInput("cannot plan the range: %v", err)
	}
	if len(t.chunks) > maxChunks {
		return requestCapError(len(t.chunks), fmt.Sprintf("at granularity %s for %s", t.gran, t.en.label()), "choose a coarser granularity, auto, or a shorter range")
	}
	t.meta.custom.Chunks = len(t.chunks)
	if len(t.chunks) > 1 {
		t.meta.info("Range split into %d requests (%s requests must span %s)", len(t.chunks), t.gran, spanLimitText(t.gran))
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
