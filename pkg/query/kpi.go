package query

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/fanout"
	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/kpi"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// KPI fields a site time series query may list next to Locus shortNames
// (docs/kpi.md). They are computed per bucket from the series the engine
// returns, so they follow its range contract (the same buckets, edges and
// gaps as the raw fields), and work in alert rules like any field.
const (
	// KPISpecificYield is Wh_sum ÷ 1000 ÷ modelsettings size: kWh/kWp per bucket.
	KPISpecificYield = "specificYield"
	// KPINormalisedPower is W_avg ÷ size: W/kWp.
	KPINormalisedPower = "normalisedPower"
	// KPIPerformanceIndex is Wh_sum ÷ Wh_m_sum (measured ÷ modelled energy).
	KPIPerformanceIndex = "performanceIndex"
	// KPIPerformanceRatio is (Wh_sum ÷ size) ÷ (POAh_m_sum ÷ 1 kW/m²), IEC 61724-1.
	KPIPerformanceRatio = "performanceRatio"
	// KPIAvailability is a range KPI (share of daylight intervals with
	// production), served by the ranking query only.
	KPIAvailability = "availability"
)

// kpiDef is one time series KPI: its raw inputs and formula.
type kpiDef struct {
	name, longName, unit string
	inputs               []string
	needsSize            bool
	value                func(in []float64, size float64) (float64, error)
	// optional are inputs fetched only where the entity offers them.
	optional []string
}

// kpiDefs are the time series KPIs, in the order they are listed.
var kpiDefs = []kpiDef{
	{KPISpecificYield, "Specific yield (final yield Yf, IEC 61724-1)", "kWh/kWp", []string{"Wh_sum"}, true,
		func(in []float64, size float64) (float64, error) { return kpi.SpecificYield(in[0], size) }, nil},
	{KPINormalisedPower, "Normalised power (P/P0)", "W/kWp", []string{"W_avg"}, true,
		func(in []float64, size float64) (float64, error) { return kpi.NormalisedPower(in[0], size) }, nil},
	{KPIPerformanceIndex, "Performance index (measured ÷ modelled energy)", "", []string{"Wh_sum", "Wh_m_sum"}, false,
		func(in []float64, _ float64) (float64, error) { return kpi.PerformanceIndex(in[0], in[1]) }, nil},
	// PR's second input is replaced by the weather station's measured
	// POAh_sum where the site has one (loadMeasuredPOA); the modelled
	// POAh_m_sum is optional (not every site, nor every Locus account,
	// offers it).
	{KPIPerformanceRatio, "Performance ratio (IEC 61724-1)", "", []string{"Wh_sum", "POAh_m_sum"}, true,
		func(in []float64, size float64) (float64, error) { return kpi.PerformanceRatio(in[0], size, in[1]) }, []string{"POAh_m_sum"}},
}

// KPIFieldNames lists the KPI names a time series query accepts.
func KPIFieldNames() []string { return kpiNames(kpiDefs) }

// kpiByName returns the time series KPI called name, or nil.
func kpiByName(name string) *kpiDef { return kpiNamed(kpiDefs, name) }

// kpiNames lists the names of defs, in order.
func kpiNames(defs []kpiDef) []string {
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = d.name
	}
	return out
}

// kpiNamed returns the KPI of defs called name, or nil.
func kpiNamed(defs []kpiDef, name string) *kpiDef {
	if i := slices.IndexFunc(defs, func(d kpiDef) bool { return d.name == name }); i >= 0 {
		return &defs[i]
	}
	return nil
}

// splitKPIFields replaces KPI names in a validated field list by their raw
// inputs: q.Fields becomes what to fetch, q.shown the Locus fields asked
// for, q.kpis the KPIs. KPIs need a site entity.
func splitKPIFields(q *TimeSeriesQuery) error {
	fetch, shown, kpis, optional, err := splitKPIs(q.Fields, kpiDefs, func(f string) error {
		if f == KPIAvailability {
			return badInput("%q is computed over a whole range, not per bucket: use the ranking query (queryType \"ranking\"); time series KPIs are %s", f, quoteList(KPIFieldNames()))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(kpis) > 0 && q.EntityType == EntityComponent {
		return badInput("KPI fields (%s) need a site: Locus gives the installed size (modelsettings) and modelled POA per site; choose entityType \"site\"", strings.Join(kpis, ", "))
	}
	// An optional input asked for as a field in its own right is required.
	var opt []string
	for _, f := range optional {
		if !contains(shown, f) {
			opt = append(opt, f)
		}
	}
	q.Fields, q.shown, q.kpis, q.optional = fetch, shown, kpis, opt
	return nil
}

// targetFields is what to fetch from one entity: the query's fields
// without the optional KPI inputs the entity does not offer.
func (q *TimeSeriesQuery) targetFields(cat *locus.Catalog) []string {
	if len(q.optional) == 0 {
		return q.Fields
	}
	out := make([]string, 0, len(q.Fields))
	for _, f := range q.Fields {
		if cat.Has(f) || !contains(q.optional, f) {
			out = append(out, f)
		}
	}
	return out
}

// measuredPOA is a site's weather station plane-of-array insolation
// (POAh_sum) on the target's buckets, keyed by bucket start (Unix seconds).
type measuredPOA struct {
	stationID int64
	values    map[int64]float64
}

// loadMeasuredPOA fetches, for every fetched site target of a query with
// performanceRatio, its weather station's POAh_sum on exactly the site's
// buckets: the same requests as the site's (interior and edge parts),
// assembled by the same range-contract code (seriesTarget.series). A site
// without a station, or whose station requests fail, keeps the modelled
// POAh_m_sum (t.poaNote says why).
func (e *Engine) loadMeasuredPOA(ctx context.Context, queries []*seriesQuery) {
	e.eachTarget(ctx, queries, "reading the weather station POA",
		func(q *seriesQuery, t *seriesTarget) bool {
			return contains(q.req.timeSeries().kpis, KPIPerformanceRatio) && !t.empty && t.fetchedOK()
		},
		func(ctx context.Context, t *seriesTarget) { t.poa, t.poaNote = e.stationPOA(ctx, t) },
		func(t *seriesTarget, err error) { t.poaNote = err.Error() })
}

// eachTarget runs fn for every target of the queries (those that did not
// fail) that keep selects, at most Engine.fanOut at a time; a panic in fn
// is given to onPanic for its target, as an error naming it.
func (e *Engine) eachTarget(ctx context.Context, queries []*seriesQuery, what string, keep func(*seriesQuery, *seriesTarget) bool,
	fn func(context.Context, *seriesTarget), onPanic func(*seriesTarget, error)) {
	var ts []*seriesTarget
	for _, q := range queries {
		for _, t := range q.targets {
			if q.err == nil && keep(q, t) {
				ts = append(ts, t)
			}
		}
	}
	errs, _ := e.each(ctx, len(ts), fanout.Options{Limit: e.fanOut(), KeepGoing: true},
		func(i int) string { return what + " of " + ts[i].en.label() },
		func(ctx context.Context, i int) error { fn(ctx, ts[i]); return nil })
	for i, err := range errs {
		if err != nil {
			onPanic(ts[i], err)
		}
	}
}

// fetchedOK reports whether every fetch group of t succeeded.
func (t *seriesTarget) fetchedOK() bool {
	for _, g := range t.groups() {
		if g.err != nil {
			return false
		}
	}
	return true
}

// stationPOA fetches one site's weather station insolation on t's buckets.
func (e *Engine) stationPOA(ctx context.Context, t *seriesTarget) (*measuredPOA, string) {
	comps, err := e.api.Components(ctx, t.en.ID)
	if err != nil {
		return nil, fmt.Sprintf("its component list failed (%v)", err)
	}
	var station int64
	for _, c := range comps {
		if c.NodeType == "WEATHERSTATION" {
			station = c.ID
			break
		}
	}
	if station == 0 {
		return nil, "the site has no weather station"
	}
	// A shadow of the site's target: the station, the same plan and requests.
	const f = "POAh_sum"
	st := *t
	st.en.ID, st.en.Kind, st.fields = station, locus.KindComponent, []string{f}
	st.catalog = &locus.Catalog{}
	st.catalog.Add(locus.Field{ShortName: f, Aggregation: "sum"})
	var groups []*fetchGroup
	shadow := func(g *fetchGroup) *fetchGroup {
		k := g.key
		k.kind, k.id = locus.KindComponent, station
		ng := &fetchGroup{key: k, loc: g.loc, chunks: g.chunks, fields: []string{f}, targets: []*seriesTarget{&st}}
		groups = append(groups, ng)
		return ng
	}
	var es *edgeSet
	for _, x := range t.edgeSets {
		if contains(x.fields, "Wh_sum") {
			es = x
		}
	}
	st.interior, st.edgeSets = nil, nil
	if t.interior != nil {
		st.interior = shadow(t.interior)
	}
	var ses *edgeSet
	if es != nil {
		ses = &edgeSet{fields: []string{f}, EdgePlan: es.EdgePlan, groups: make([][]*fetchGroup, len(es.groups))}
		for i, gs := range es.groups {
			for _, g := range gs {
				ses.groups[i] = append(ses.groups[i], shadow(g))
			}
		}
		st.edgeSets = []*edgeSet{ses}
	}
	e.fetchGroups(ctx, groups, map[*request]int{t.req: t.meta.custom.Chunks})
	for _, g := range groups {
		if g.err != nil {
			return nil, fmt.Sprintf("weather station %d's POAh_sum failed (%v)", station, g.err)
		}
	}
	s := st.series(ses, []string{f})
	out := &measuredPOA{stationID: station, values: map[int64]float64{}}
	for i, ts := range s.Times {
		if v, ok := s.Values[f].At(i); ok {
			out.values[ts.Unix()] = v
		}
	}
	return out, ""
}

// shownFrames are the target's frames of the Locus fields the query asked
// for (not the inputs fetched only for its KPIs), in the query's order.
func (t *seriesTarget) shownFrames(alias string) data.Frames {
	all := t.buildFrames(alias)
	shown := t.req.timeSeries().shown
	if len(shown) == len(t.fields) {
		return all
	}
	out := make(data.Frames, 0, len(shown))
	for i, f := range t.fields {
		if i < len(all) && contains(shown, f) {
			out = append(out, all[i])
		}
	}
	return out
}

// kpiSeries joins the target's rows of every fetched field (each edge set
// assembled by the range contract) by bucket start, so a KPI reads its
// inputs of one bucket together; a bucket one input lacks is nil there.
// rows[f][i] says whether field f has a row (a value or a null) at row i:
// fields whose edges fall at other minutes (a field whose finest
// granularity is 5 minutes beside one offered by the minute) have rows at
// times the other lacks.
func (t *seriesTarget) kpiSeries() (*locus.Series, map[string][]bool) {
	sets := t.edgeSets
	if len(sets) == 0 {
		sets = []*edgeSet{nil}
	}
	byTime := map[int64]int{}
	var times []time.Time
	vals := map[string][]*float64{}
	has := map[string][]bool{}
	for _, es := range sets {
		fields := t.fields
		if es != nil {
			fields = es.fields
		}
		s := t.series(es, fields)
		for i, ts := range s.Times {
			row, ok := byTime[ts.Unix()]
			if !ok {
				row = len(times)
				byTime[ts.Unix()] = row
				times = append(times, ts)
			}
			for _, f := range fields {
				col, present := vals[f], has[f]
				for len(col) <= row {
					col = append(col, nil)
				}
				for len(present) <= row {
					present = append(present, false)
				}
				if v, ok := s.Values[f].At(i); ok {
					col[row] = &v
				}
				present[row] = true
				vals[f], has[f] = col, present
			}
		}
	}
	// Rows in time order.
	idx := make([]int, len(times))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return times[idx[a]].Before(times[idx[b]]) })
	sorted := &locus.Series{ID: t.en.ID, Times: make([]time.Time, len(idx)), Values: map[string]locus.Column{}}
	rows := make(map[string][]bool, len(vals))
	for f, col := range vals {
		nc := make([]*float64, len(idx))
		present := make([]bool, len(idx))
		for k, i := range idx {
			if i < len(col) {
				nc[k], present[k] = col[i], has[f][i]
			}
		}
		sorted.Values[f], rows[f] = locus.ColumnOf(nc), present
	}
	for k, i := range idx {
		sorted.Times[k] = times[i]
	}
	return sorted, rows
}

// siteSize is a site's installed DC size for KPIs; err says why it is
// absent, pending that it is being fetched in the background.
type siteSize struct {
	kWp     float64
	err     error
	pending bool
}

// loadSizes reads the modelsettings size of every site target of queries
// with KPIs that need it (cached by the client, one call per site).
func (e *Engine) loadSizes(ctx context.Context, queries []*seriesQuery) {
	e.eachTarget(ctx, queries, "reading the size",
		func(q *seriesQuery, _ *seriesTarget) bool { return needsSize(q.req.timeSeries().kpis) },
		func(ctx context.Context, t *seriesTarget) { t.size = e.sizeOf(ctx, t.en.ID) },
		func(t *seriesTarget, err error) { t.size = &siteSize{err: err} })
}

// sizeOf fetches one site's installed size.
func (e *Engine) sizeOf(ctx context.Context, siteID int64) *siteSize {
	ms, err := e.api.ModelSettings(ctx, siteID)
	if err != nil {
		return &siteSize{kWp: math.NaN(), err: fmt.Errorf("modelsettings of site %d: %w", siteID, err)}
	}
	if ms.Size == nil || *ms.Size <= 0 {
		return &siteSize{kWp: math.NaN()}
	}
	return &siteSize{kWp: *ms.Size}
}

// cachedSizes reads the sizes of ids from the client's cache only (no
// request) and hands the others to the client's background prefetch
// (locus.API.PrefetchModelSettings: one modelsettings call per site, on
// LaneBackground, each once the account queue is idle), so a fleet query
// answers within its partner-level requests. A site being fetched gets
// pending; one whose last background call failed gets that error. It
// returns how many sites are pending (each one upstream request).
func (e *Engine) cachedSizes(ctx context.Context, ids []int64) (map[int64]*siteSize, int) {
	out := make(map[int64]*siteSize, len(ids))
	var uncached []int64
	for _, id := range ids {
		ms, ok := e.api.CachedModelSettings(ctx, id)
		switch {
		case !ok:
			uncached = append(uncached, id)
		case ms.Size == nil || *ms.Size <= 0:
			out[id] = &siteSize{kWp: math.NaN()}
		default:
			out[id] = &siteSize{kWp: *ms.Size}
		}
	}
	if len(uncached) == 0 {
		return out, 0
	}
	pending, failed := e.api.PrefetchModelSettings(uncached)
	for _, id := range uncached {
		if err := failed[id]; err != nil {
			out[id] = &siteSize{kWp: math.NaN(), err: fmt.Errorf("its modelsettings call failed (%s; retried in the background)", locus.KindOf(err))}
		} else {
			out[id] = &siteSize{kWp: math.NaN(), pending: true}
		}
	}
	return out, pending
}

// noteSizesPending tells the user that the size-dependent KPIs (what) of
// pending of total sites are empty until their sizes are fetched.
func noteSizesPending(m *metaInfo, what string, pending, total int) {
	if pending == 0 {
		return
	}
	m.warn("%s empty for %d of %d sites: their installed size (modelsettings size, kW DC) is still being fetched. Locus gives it per site only, so the first load answers with the partner-level requests and fetches the sizes in the background, after every panel's and alert rule's requests: %d request(s), one per site. Refresh once they are in to complete the column(s); the sizes are then cached with the metadata", what, pending, total, pending)
}

func needsSize(kpis []string) bool {
	for _, k := range kpis {
		if d := kpiByName(k); d != nil && d.needsSize {
			return true
		}
	}
	return false
}

// kpiFrames builds one frame per KPI of t from its fetched series s, with
// the raw fields' time column (the engine's buckets): each KPI has a row
// where every fetched input has one (so no row of its own at an edge time
// only another field has). A KPI whose input is missing for the whole
// series (no size, no modelled POA) gets no frame but a warning naming the
// input; single buckets without input are null.
func kpiFrames(q *TimeSeriesQuery, t *seriesTarget, m *metaInfo) data.Frames {
	if len(q.kpis) == 0 {
		return nil
	}
	s, rows := t.kpiSeries()
	size := math.NaN()
	if t.size != nil {
		size = t.size.kWp
	}
	out := &locus.Series{ID: s.ID, Times: s.Times, Values: map[string]locus.Column{}}
	cat := &locus.Catalog{}
	var names []string
	keep := map[string][]bool{}
	for _, name := range q.kpis {
		d := kpiByName(name)
		if d.needsSize && (t.size == nil || t.size.err != nil || math.IsNaN(size)) {
			why := "the site's modelsettings has no size (installed kW DC)"
			if t.size != nil && t.size.err != nil {
				why = t.size.err.Error()
			}
			m.warn("%s of %s is not computed: %s", name, t.en.label(), why)
			continue
		}
		measured := d.name == KPIPerformanceRatio && t.poa != nil
		if d.name == KPIPerformanceRatio && !measured && !contains(t.fields, "POAh_m_sum") {
			why := t.poaNote
			if why == "" {
				why = "no measured POA"
			}
			m.warn("performanceRatio of %s is not computed: it needs plane-of-array insolation, and %s and Locus offers no modelled POAh_m_sum for it", t.en.label(), why)
			continue
		}
		col := make([]*float64, len(s.Times))
		var missing *kpi.MissingError
		for i := range s.Times {
			in := inputsAt(s, d.inputs, i)
			if measured {
				in[1] = math.NaN()
				if v, ok := t.poa.values[s.Times[i].Unix()]; ok {
					in[1] = v
				}
			}
			v, err := d.value(in, size)
			if err != nil {
				errors.As(err, &missing)
				continue
			}
			col[i] = &v
		}
		out.Values[name] = locus.ColumnOf(col)
		keep[name] = inputRows(rows, d.inputs, len(s.Times))
		cat.Add(locus.Field{ShortName: name, BaseField: name, LongName: d.longName, Source: "KPI", Unit: d.unit})
		names = append(names, name)
		if d.name == KPIPerformanceRatio {
			if measured {
				m.info("performanceRatio of %s uses measured plane-of-array insolation (POAh_sum of weather station %d), reference irradiance 1 kW/m² (IEC 61724-1)", t.en.label(), t.poa.stationID)
			} else {
				why := t.poaNote
				if why == "" {
					why = "no measured POA"
				}
				m.info("performanceRatio of %s uses modelled plane-of-array insolation (POAh_m_sum): %s; reference irradiance 1 kW/m² (IEC 61724-1)", t.en.label(), why)
			}
		}
	}
	if allRows(keep) {
		return frames.TimeSeries(out, names, cat, t.en.Names, q.Alias)
	}
	fs := make(data.Frames, 0, len(names))
	for _, name := range names {
		fs = append(fs, frames.TimeSeries(keptKPIRows(out, name, keep[name]), []string{name}, cat, t.en.Names, q.Alias)...)
	}
	return fs
}

// inputRows marks the rows where every fetched input of a KPI has a row
// (an input not fetched, such as a weather station's POA read separately,
// does not count).
func inputRows(rows map[string][]bool, inputs []string, n int) []bool {
	keep := make([]bool, n)
	for i := range keep {
		keep[i] = true
		for _, f := range inputs {
			if r, ok := rows[f]; ok && (i >= len(r) || !r[i]) {
				keep[i] = false
				break
			}
		}
	}
	return keep
}

// allRows reports whether every KPI keeps every row.
func allRows(keep map[string][]bool) bool {
	for _, k := range keep {
		for _, ok := range k {
			if !ok {
				return false
			}
		}
	}
	return true
}

// keptKPIRows is KPI name's rows of s where keep is true.
func keptKPIRows(s *locus.Series, name string, keep []bool) *locus.Series {
	out := &locus.Series{ID: s.ID, Values: map[string]locus.Column{}}
	var vals []*float64
	col := s.Values[name]
	for i, ok := range keep {
		if !ok {
			continue
		}
		out.Times = append(out.Times, s.Times[i])
		var p *float64
		if v, has := col.At(i); has {
			p = &v
		}
		vals = append(vals, p)
	}
	out.Values[name] = locus.ColumnOf(vals)
	return out
}

// Bulk (fleet) KPI fields: per site and month, from partner bulk data.
var bulkKPIDefs = []kpiDef{
	{KPISpecificYield, "Specific yield (final yield Yf, IEC 61724-1)", "kWh/kWp", []string{"Wh_sum"}, true,
		func(in []float64, size float64) (float64, error) { return kpi.SpecificYield(in[0], size) }, nil},
	{KPIPerformanceIndex, "Performance index (measured ÷ weather-adjusted expected energy)", "", []string{"Wh_sum", "Wh_e_sum", "GHIh_m_sum", "GHIh_t_sum"}, false,
		func(in []float64, _ float64) (float64, error) {
			exp, err := kpi.WeatherAdjustedExpected(in[1], in[2], in[3])
			if err != nil {
				return 0, err
			}
			return kpi.PerformanceIndex(in[0], exp)
		}, nil},
}

// BulkKPIFieldNames lists the KPI names a fleet bulk query accepts.
func BulkKPIFieldNames() []string { return kpiNames(bulkKPIDefs) }

// bulkKPIByName returns the bulk KPI called name, or nil.
func bulkKPIByName(name string) *kpiDef { return kpiNamed(bulkKPIDefs, name) }

// splitBulkKPIFields replaces KPI names in a bulk query's fields by their
// bulk inputs (q.shown keeps the bulk fields asked for, q.kpis the KPIs).
func splitBulkKPIFields(q *BulkQuery) error {
	fetch, shown, kpis, _, err := splitKPIs(q.Fields, bulkKPIDefs, func(f string) error {
		if kpiByName(f) != nil && bulkKPIByName(f) == nil || f == KPIAvailability {
			return badInput("%q needs interval or plane-of-array data, which partner bulk data lacks: use a site time series or the ranking query; bulk KPIs are %s", f, quoteList(BulkKPIFieldNames()))
		}
		return nil
	})
	if err != nil {
		return err
	}
	q.Fields, q.shown, q.kpis = fetch, shown, kpis
	return nil
}

// inputsAt is the value of each input of a KPI in row i of s (NaN where
// s has none).
func inputsAt(s *locus.Series, inputs []string, i int) []float64 {
	in := make([]float64, len(inputs))
	for k, f := range inputs {
		in[k] = math.NaN()
		if v, ok := s.Values[f].At(i); ok {
			in[k] = v
		}
	}
	return in
}

// splitKPIs splits fields into what to fetch (the fields that are not KPIs
// of defs, then each KPI's inputs), the fields shown as asked, the KPIs and
// their optional inputs, each once in first-seen order; refuse names a
// field the query type cannot serve.
func splitKPIs(fields []string, defs []kpiDef, refuse func(string) error) (fetch, shown, kpis, optional []string, err error) {
	add := func(list *[]string, f string) {
		if !contains(*list, f) {
			*list = append(*list, f)
		}
	}
	for _, f := range fields {
		if err := refuse(f); err != nil {
			return nil, nil, nil, nil, err
		}
		d := kpiNamed(defs, f)
		if d == nil {
			add(&shown, f)
			add(&fetch, f)
			continue
		}
		add(&kpis, f)
		for _, in := range d.inputs {
			add(&fetch, in)
		}
		for _, in := range d.optional {
			add(&optional, in)
		}
	}
	return fetch, shown, kpis, optional, nil
}

// bulkSizes reads the sizes of the sites when a bulk KPI needs them: for
// an alert rule one modelsettings call per uncached site now (an alert
// never evaluates a partial answer); otherwise the cached ones, the others
// fetched in the background (cachedSizes) with a notice.
func (e *Engine) bulkSizes(ctx context.Context, q *BulkQuery, sites map[int64]locus.Site, fromAlert bool, m *metaInfo) map[int64]*siteSize {
	var need []string
	for _, k := range q.kpis {
		if d := bulkKPIByName(k); d != nil && d.needsSize {
			need = append(need, k)
		}
	}
	if len(need) == 0 {
		return nil
	}
	if !fromAlert {
		ids := make([]int64, 0, len(sites))
		for id := range sites {
			ids = append(ids, id)
		}
		out, pending := e.cachedSizes(ctx, ids)
		verb := " is"
		if len(need) > 1 {
			verb = " are"
		}
		noteSizesPending(m, strings.Join(need, ", ")+verb, pending, len(sites))
		return out
	}
	ids := make([]int64, 0, len(sites))
	for id := range sites {
		ids = append(ids, id)
	}
	sizes := make([]*siteSize, len(ids))
	errs, _ := e.each(ctx, len(ids), fanout.Options{Limit: e.fanOut(), KeepGoing: true},
		func(i int) string { return fmt.Sprintf("reading the size of site %d", ids[i]) },
		func(ctx context.Context, i int) error { sizes[i] = e.sizeOf(ctx, ids[i]); return nil })
	out := make(map[int64]*siteSize, len(ids))
	for i, id := range ids {
		if out[id] = sizes[i]; errs[i] != nil {
			out[id] = &siteSize{kWp: math.NaN(), err: errs[i]}
		}
	}
	return out
}

// bulkKPIs adds each bulk KPI as a column of every site's series (per
// month) and to the catalogue, warns about sites lacking an input, and
// returns the fields to show: the bulk fields asked for, then the KPIs.
func bulkKPIs(q *BulkQuery, series []locus.Series, sizes map[int64]*siteSize, cat *locus.Catalog, m *metaInfo) []string {
	if len(q.kpis) == 0 {
		return q.Fields
	}
	fields := append([]string(nil), q.shown...)
	for _, name := range q.kpis {
		d := bulkKPIByName(name)
		cat.Add(locus.Field{ShortName: name, BaseField: name, LongName: d.longName, Source: "KPI", Unit: d.unit})
		fields = append(fields, name)
		var noSize []string
		for i := range series {
			s := &series[i]
			size := math.NaN()
			if d.needsSize {
				sz := sizes[s.ID]
				if sz != nil {
					size = sz.kWp
				}
				if math.IsNaN(size) && (sz == nil || !sz.pending) {
					noSize = append(noSize, fmt.Sprint(s.ID))
				}
			}
			col := make([]*float64, len(s.Times))
			for r := range s.Times {
				in := inputsAt(s, d.inputs, r)
				if v, err := d.value(in, size); err == nil {
					col[r] = &v
				}
			}
			s.Values[name] = locus.ColumnOf(col)
		}
		if len(noSize) > 0 {
			m.warn("%s is empty for %d site(s) without a size (their modelsettings has no size, installed kW DC, or its call failed): %s", name, len(noSize), strings.Join(noSize, ", "))
		}
		if d.name == KPIPerformanceIndex {
			m.info("performanceIndex from bulk data is Wh ÷ (Wh_e × GHIh_m / GHIh_t): measured over expected energy adjusted to the month's modelled insolation (Locus' GEER basis); sites without a location have no GHI and no value")
		}
	}
	return fields
}
