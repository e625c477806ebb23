package query

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/fanout"
	"github.com/sunfleet/locus-datasource/pkg/kpi"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// The fleet ranking (queryType "ranking") returns one row per site in scope
// over the panel's range, worst performance index first. Its data comes
// from the cheapest calls that cover the range:
//
//   - whole months (each site's local months; the running month counts as
//     whole up to now): partner bulk monthly data (Wh, Wh_e, GHIh_m,
//     GHIh_t), one request per year of range and time zone layout. PI is
//     then Wh ÷ (Wh_e × GHIh_m / GHIh_t); bulk data has neither
//     plane-of-array insolation nor intervals, so PR and availability stay
//     empty (with a notice) unless perSite asks for per-site requests;
//   - any other range, or perSite: per site, hourly data (Wh, Wh_m, POAh_m,
//     POA_m), one request per site and 31 days, with a notice of the cost.
//
// Sizes come from each site's modelsettings (Locus has no partner-level
// size). The bulk path reads only those the client has cached and has the
// others fetched in the background (rankingCachedSizes), so its first load
// costs only partner-level requests; the per-site path and alert rules
// fetch them with the query (one call per uncached site). Alerts come from
// the partner alerts endpoint (one call per 31 days).

// rankingLink is the Site detail dashboard a site row links to.
const rankingLink = "/d/locus-site-detail/locus-energy-site-detail?var-datasource=${datasource}&var-site=${__data.fields.site_id}&${__url_time_range}"

// rankingBulkLaneSites is the scope above which a ranking's per-site calls
// go to the account queue's bulk lane.
const rankingBulkLaneSites = 10

// rankingBulkFields are what the bulk path reads.
var rankingBulkFields = []string{"Wh_sum", "Wh_e_sum", "GHIh_m_sum", "GHIh_t_sum"}

// rankingRow is one site's figures; NaN = not available.
type rankingRow struct {
	site                     locus.Site
	client                   string
	size                     float64
	energy, em               float64 // Wh, expected Wh (basis in piBasis)
	prEnergy, poa            float64 // Wh and POA Wh/m² over the hours having both (PR)
	poaSource                string
	partialHours             int // edge hours left out (not wholly inside the range)
	pi, sy, pr, availability float64
	alerts                   int64
	piBasis                  string
	missing                  []string
}

// handleRanking serves a ranking query.
func handleRanking(ctx context.Context, e *Engine, r *request, q *rankingQuery) (backend.DataResponse, error) {
	ctx, cs := locus.WithCallStats(ctx)
	var m metaInfo
	sites, err := e.rankingSites(ctx, q, &m)
	if err != nil {
		return backend.DataResponse{}, err
	}
	clients, err := e.api.Clients(ctx)
	if err != nil {
		return backend.DataResponse{}, fmt.Errorf("client list: %w", err)
	}
	clientName := map[int64]string{}
	for _, c := range clients {
		clientName[c.ID] = strings.TrimSpace(c.FirstName + " " + c.LastName)
	}
	now := e.now()
	from, to := r.TimeRange.From, r.TimeRange.To
	if to.After(now) {
		to = now
	}
	rows := make([]*rankingRow, len(sites))
	byID := make(map[int64]*rankingRow, len(sites))
	for i, s := range sites {
		rows[i] = &rankingRow{site: s, client: clientName[s.ClientID], size: math.NaN(), energy: math.NaN(), em: math.NaN(), prEnergy: math.NaN(), poa: math.NaN(),
			pi: math.NaN(), sy: math.NaN(), pr: math.NaN(), availability: math.NaN()}
		byID[s.ID] = rows[i]
	}
	if from.Before(to) && len(rows) > 0 {
		// Per-site calls (sizes, station lists, hourly data) of a large
		// ranking wait behind interactive panels and alert evaluations.
		siteCtx := ctx
		if len(rows) > rankingBulkLaneSites && !r.FromAlert {
			siteCtx = locus.WithLane(ctx, locus.LaneBulk)
		}
		zone, whole := wholeMonths(sites, r.TimeRange.From, r.TimeRange.To, now)
		var bf, bt time.Time
		if whole {
			// Move the edges inside the calendar months (the 2nd and the
			// last day, 00:00 UTC: inside those months in every zone from
			// UTC-14 to UTC+14) so aligning them in each site's zone gives
			// the same months.
			loc, _ := planner.LoadZone(zone)
			y, mo, _ := r.TimeRange.From.In(loc).Date()
			bf, bt = time.Date(y, mo, 2, 0, 0, 0, 0, time.UTC), to
			if isMonthStart(r.TimeRange.To, loc) {
				y, mo, _ = r.TimeRange.To.In(loc).Date()
				bt = time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
			}
			whole = bf.Before(bt) // not on the first day of a running month
		}
		if whole && !q.PerSite && !r.FromAlert {
			e.rankingCachedSizes(ctx, rows, &m)
		} else {
			e.rankingSizes(siteCtx, rows)
		}
		if whole && !q.PerSite {
			m.info("The range is whole months in %s: each site is ranked over the same months in its own zone", zone)
			err = e.rankingBulk(ctx, byID, sites, bf, bt, &m)
		} else {
			err = e.rankingPerSite(siteCtx, q.RankingQuery, rows, from, to, &m)
		}
		if err != nil {
			return backend.DataResponse{}, err
		}
		if err := e.rankingAlerts(ctx, byID, from, to); err != nil {
			return backend.DataResponse{}, err
		}
	}
	for _, row := range rows {
		row.compute()
	}
	sortRanking(rows)
	noteMissing(rows, &m)
	m.addCalls(cs)
	fs := data.Frames{rankingFrame(rows)}
	m.apply(fs, r.RefID)
	return backend.DataResponse{Frames: fs}, nil
}

// rankingSites lists the sites in scope: the partner's, a client's, or the
// listed site ids (which must belong to the scope).
func (e *Engine) rankingSites(ctx context.Context, q *rankingQuery, m *metaInfo) ([]locus.Site, error) {
	list, err := e.sitesOfClients(ctx, q.clients)
	if err != nil {
		return nil, fmt.Errorf("site list: %w", err)
	}
	if q.siteIDs == nil {
		return list, nil
	}
	want := map[int64]bool{}
	for _, id := range q.siteIDs {
		want[id] = true
	}
	var out []locus.Site
	for _, s := range list {
		if want[s.ID] {
			out = append(out, s)
			delete(want, s.ID)
		}
	}
	if len(want) > 0 {
		var rest []string
		for id := range want {
			rest = append(rest, fmt.Sprint(id))
		}
		sort.Strings(rest)
		m.warn("Not ranked: site(s) %s are not in the partner's (or the client's) site list", strings.Join(rest, ", "))
	}
	return out, nil
}

// wholeMonths reports whether [from, to) starts on a month boundary and
// ends on one (or at/after now) in UTC or in one of the sites' zones (the
// dashboard's "last month" in its zone); it returns that zone's name. The
// bulk path then ranks each site over its own local months.
func wholeMonths(sites []locus.Site, from, to, now time.Time) (string, bool) {
	seen := map[string]bool{}
	zones := []string{"UTC"}
	for _, s := range sites {
		if z := s.LocationTimezone; z != "" && !seen[z] {
			seen[z] = true
			zones = append(zones, z)
		}
	}
	for _, z := range zones {
		loc, err := planner.LoadZone(z)
		if err != nil {
			continue
		}
		if isMonthStart(from, loc) && (isMonthStart(to, loc) || !to.Before(now)) {
			return z, true
		}
	}
	return "", false
}

func isMonthStart(t time.Time, loc *time.Location) bool {
	l := t.In(loc)
	return l.Day() == 1 && l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 && l.Nanosecond() == 0
}

// rankingSizes reads every site's modelsettings size, at most
// Engine.fanOut at a time.
func (e *Engine) rankingSizes(ctx context.Context, rows []*rankingRow) {
	errs, _ := e.each(ctx, len(rows), fanout.Options{Limit: e.fanOut(), KeepGoing: true},
		func(i int) string { return fmt.Sprintf("reading the size of site %d", rows[i].site.ID) },
		func(ctx context.Context, i int) error {
			sz := e.sizeOf(ctx, rows[i].site.ID)
			rows[i].size = sz.kWp
			if math.IsNaN(sz.kWp) && sz.err == nil {
				rows[i].missing = append(rows[i].missing, "size (modelsettings has none)")
			}
			return sz.err
		})
	for i, err := range errs {
		if err != nil {
			rows[i].missing = append(rows[i].missing, "size ("+err.Error()+")")
		}
	}
}

// rankingCachedSizes fills the sizes the client's cache holds and leaves
// the others empty (NaN, so specific yield and PR are null) while they are
// fetched in the background (cachedSizes), with a notice: a whole-month
// ranking answers within its partner-level requests.
func (e *Engine) rankingCachedSizes(ctx context.Context, rows []*rankingRow, m *metaInfo) {
	ids := make([]int64, len(rows))
	for i, row := range rows {
		ids[i] = row.site.ID
	}
	sizes, pending := e.cachedSizes(ctx, ids)
	for _, row := range rows {
		sz := sizes[row.site.ID]
		row.size = sz.kWp
		switch {
		case sz.err != nil:
			row.missing = append(row.missing, "size ("+sz.err.Error()+")")
		case !sz.pending && math.IsNaN(sz.kWp):
			row.missing = append(row.missing, "size (modelsettings has none)")
		}
	}
	noteSizesPending(m, "Specific yield is", pending, len(rows))
}

// rankingBulk fills energy and the weather-adjusted expectation from bulk
// monthly data.
func (e *Engine) rankingBulk(ctx context.Context, byID map[int64]*rankingRow, sites []locus.Site, from, to time.Time, m *metaInfo) error {
	set := make(map[int64]locus.Site, len(sites))
	for _, s := range sites {
		set[s.ID] = s
	}
	zones, err := bulkZones(set, from, to, m)
	if err != nil {
		return err
	}
	series, err := e.fetchBulk(ctx, rankingBulkFields, zones)
	if err != nil {
		return err
	}
	for _, s := range series {
		row := byID[s.ID]
		if row == nil {
			continue
		}
		sum := func(f string) float64 {
			v, n := 0.0, 0
			col := s.Values[f]
			for i := range col.Len() {
				if x, ok := col.At(i); ok {
					v += x
					n++
				}
			}
			if n == 0 {
				return math.NaN()
			}
			return v
		}
		row.energy = sum("Wh_sum")
		if exp, err := kpi.WeatherAdjustedExpected(sum("Wh_e_sum"), sum("GHIh_m_sum"), sum("GHIh_t_sum")); err == nil {
			row.em = exp
		} else {
			row.missing = append(row.missing, "weather-adjusted expected energy (GHIh_m/GHIh_t: the site has no location)")
		}
		row.piBasis = "Wh_e×GHIh_m/GHIh_t"
	}
	var none []string
	for id, row := range byID {
		if math.IsNaN(row.energy) {
			none = append(none, fmt.Sprint(id))
		}
	}
	if len(none) > 0 {
		sort.Strings(none)
		m.info("No bulk data for %d site(s) (a site without components, or not started yet, has none): %s", len(none), strings.Join(none, ", "))
	}
	m.info("Whole months: partner bulk monthly data (%d request(s)); PI = Wh ÷ (Wh_e × GHIh_m / GHIh_t). PR and availability need per-site plane-of-array and hourly data, which bulk data lacks: turn on \"per-site\" to compute them (%d sites × about %d request(s) each)",
		m.custom.Chunks, len(sites), hourlyRequests(from, to))
	return nil
}

// hourlyRequests estimates the hourly requests one site needs for [from, to).
func hourlyRequests(from, to time.Time) int {
	chunks, err := planner.Plan(from, to, planner.Hourly, time.UTC)
	if err != nil {
		return 0
	}
	return len(chunks)
}

// rankingPerSite fetches hourly data per site and fills energy, modelled
// energy, POA insolation and availability.
func (e *Engine) rankingPerSite(ctx context.Context, q *RankingQuery, rows []*rankingRow, from, to time.Time, m *metaInfo) error {
	threshold := q.AvailabilityThreshold
	stations, equipped, lists, err := e.rankingStations(ctx, rows)
	if err != nil {
		return err
	}
	var bare []string
	var fetched []*rankingRow
	for _, row := range rows {
		if equipped[row.site.ID] {
			fetched = append(fetched, row)
		} else {
			bare = append(bare, fmt.Sprint(row.site.ID))
		}
	}
	var sent atomic.Int64
	errs, _ := e.each(ctx, len(fetched), fanout.Options{Limit: e.fanOut(), KeepGoing: true},
		func(i int) string { return fmt.Sprintf("ranking site %d", fetched[i].site.ID) },
		func(ctx context.Context, i int) error {
			n, err := e.rankingSite(ctx, fetched[i], stations[fetched[i].site.ID], from, to, threshold)
			sent.Add(int64(n))
			return err
		})
	requests := int(sent.Load())
	var failed []string
	for i, err := range errs {
		if err != nil {
			failed = append(failed, fmt.Sprintf("site %d: %v", fetched[i].site.ID, err))
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	sort.Strings(failed)
	m.custom.Granularity = string(planner.Hourly)
	m.custom.Chunks = requests
	reason := "the range is not whole months"
	if q.PerSite {
		reason = "per-site was chosen"
	}
	m.info("Per-site hourly data because %s: %d data requests for %d sites (site data, and weather station POA for the %d sites with a station), after %d component list request(s) to find the stations; whole-month ranges use partner bulk data instead", reason, requests, len(rows), len(stations), lists)
	if len(failed) > 0 {
		m.warn("No data for %d site(s): %s", len(failed), strings.Join(failed, "; "))
	}
	if len(bare) > 0 {
		m.info("No data asked for %d site(s) without components: %s", len(bare), strings.Join(bare, ", "))
	}
	partial := 0
	for _, row := range rows {
		partial = max(partial, row.partialHours)
	}
	if partial > 0 {
		m.info("The range does not start and end on whole hours in every site's zone: the hours only partly inside it (up to %d per site) are left out of every figure", partial)
	}
	return nil
}

// rankingSite fetches one site's hourly data and sums it: energy and
// modelled energy over every hour; PR over the hours that have both energy
// and plane-of-array insolation, measured by the site's weather station
// (station != 0) or else modelled; availability over the hours whose
// modelled POA irradiance reaches the threshold (daylight by the model, so
// a sensor outage does not hide hours). It returns the requests made.
func (e *Engine) rankingSite(ctx context.Context, row *rankingRow, station int64, from, to time.Time, threshold float64) (int, error) {
	s := row.site
	loc, err := planner.LoadZone(s.LocationTimezone)
	zone := s.LocationTimezone
	if zone == "" || err != nil {
		loc, zone = time.UTC, "UTC"
	}
	chunks, err := planner.Plan(from, to, planner.Hourly, loc)
	if err != nil {
		return 0, err
	}
	fields := []string{"Wh_sum", "Wh_m_sum"}
	located := s.Latitude != nil && s.Longitude != nil
	if located {
		fields = append(fields, "POAh_m_sum", "POA_m_avg")
	}
	requests := 0
	hourly := func(kind locus.EntityKind, id int64, fields []string, c planner.Chunk) (*locus.Series, error) {
		requests++
		return e.api.Data(ctx, locus.DataRequest{Kind: kind, ID: id, Fields: fields,
			Start: planner.FormatWall(c.Start, loc), End: planner.FormatWall(c.End, loc), TZ: zone, Gran: string(planner.Hourly)})
	}
	value := func(s *locus.Series, f string, k int) float64 {
		if v, ok := s.Values[f].At(k); ok {
			return v
		}
		return math.NaN()
	}
	var energy, modelled, prEnergy, prPOA float64
	var ivs []kpi.Interval
	got := false
	row.poaSource = "modelled (POAh_m_sum)"
	measured := map[int64]float64{}
	if station != 0 {
		row.poaSource = fmt.Sprintf("measured (weather station %d)", station)
		for _, c := range chunks {
			ws, err := hourly(locus.KindComponent, station, []string{"POAh_sum"}, c)
			if err != nil {
				row.poaSource = "modelled (POAh_m_sum)"
				row.missing = append(row.missing, fmt.Sprintf("measured POA (weather station request failed: %v; modelled POA used)", err))
				measured = nil
				break
			}
			for k, ts := range ws.Times {
				if v := value(ws, "POAh_sum", k); !math.IsNaN(v) {
					measured[ts.Unix()] = v
				}
			}
		}
	}
	if !located && (station == 0 || measured == nil) {
		row.missing = append(row.missing, "plane-of-array insolation (no location for modelled POA, no weather station)")
	}
	for _, c := range chunks {
		res, err := hourly(locus.KindSite, s.ID, fields, c)
		if err != nil && located && locus.IsKind(err, locus.KindBadRequest) {
			// An account or site without modelled POA fields: rank on
			// energy (and the station's POA) and say what is missing.
			located = false
			fields = fields[:2]
			row.missing = append(row.missing, "modelled POA (Locus refused POAh_m_sum/POA_m_avg for the site)")
			res, err = hourly(locus.KindSite, s.ID, fields, c)
		}
		if err != nil {
			return requests, err
		}
		for k, ts := range res.Times {
			if ts.Before(from) || ts.Add(time.Hour).After(to) {
				// Range contract: an edge hour only partly inside the
				// range is left out, never counted whole.
				row.partialHours++
				continue
			}
			wh, whm := value(res, "Wh_sum", k), value(res, "Wh_m_sum", k)
			if !math.IsNaN(wh) {
				energy += wh
				got = true
			}
			if !math.IsNaN(whm) {
				modelled += whm
			}
			h := math.NaN()
			if station != 0 && measured != nil {
				if v, ok := measured[ts.Unix()]; ok {
					h = v
				}
			} else if located {
				h = value(res, "POAh_m_sum", k)
			}
			if !math.IsNaN(wh) && !math.IsNaN(h) {
				prEnergy += wh
				prPOA += h
			}
			if located {
				ivs = append(ivs, kpi.Interval{POA: value(res, "POA_m_avg", k), EnergyWh: wh})
			}
		}
	}
	if got {
		row.energy, row.em = energy, modelled
		row.prEnergy, row.poa = prEnergy, prPOA
	}
	row.piBasis = "Wh_m"
	if located {
		if av, _, err := kpi.Availability(ivs, threshold); err == nil {
			row.availability = av
		}
	} else {
		row.missing = append(row.missing, "modelled POA irradiance for availability (the site has no location)")
	}
	return requests, nil
}

// rankingStations maps each site of rows to its first weather station, and
// tells which sites have any component (a site without components has no
// data to ask for): one partner component list for a large scope, else
// each site's (cached).
func (e *Engine) rankingStations(ctx context.Context, rows []*rankingRow) (map[int64]int64, map[int64]bool, int, error) {
	out := map[int64]int64{}
	equipped := map[int64]bool{}
	add := func(comps []locus.Component) {
		for _, c := range comps {
			equipped[c.SiteID] = true
			if c.NodeType == "WEATHERSTATION" && out[c.SiteID] == 0 {
				out[c.SiteID] = c.ID
			}
		}
	}
	if len(rows) > stationListsPerSite {
		comps, err := e.api.PartnerComponents(ctx, "", "")
		if err != nil {
			return nil, nil, 1, fmt.Errorf("partner component list (to find weather stations): %w", err)
		}
		add(comps)
		return out, equipped, 1, nil
	}
	var mu sync.Mutex
	_, err := e.each(ctx, len(rows), fanout.Options{Limit: e.fanOut(), KeepGoing: true},
		func(i int) string { return fmt.Sprintf("reading the component list of site %d", rows[i].site.ID) },
		func(ctx context.Context, i int) error {
			comps, err := e.api.Components(ctx, rows[i].site.ID)
			if err != nil {
				return fmt.Errorf("component list of site %d (to find its weather station): %w", rows[i].site.ID, err)
			}
			mu.Lock()
			defer mu.Unlock()
			add(comps)
			return nil
		})
	return out, equipped, len(rows), err
}

// stationListsPerSite is the scope up to which the ranking reads each
// site's component list rather than the partner's whole list.
const stationListsPerSite = 50

// rankingAlerts counts each site's alerts open during [from, to) from the
// partner alerts endpoint.
func (e *Engine) rankingAlerts(ctx context.Context, byID map[int64]*rankingRow, from, to time.Time) error {
	from, to = from.UTC().Truncate(time.Second), ceilSecond(to.UTC())
	alerts, err := e.fetchAlerts(ctx, &AlertsQuery{}, "partners", []int64{e.api.PartnerID()}, planner.AlertWindows(from, to, true, time.UTC))
	if err != nil {
		return err
	}
	for _, a := range alerts {
		if row := byID[a.SiteID]; row != nil {
			row.alerts++
		}
	}
	return nil
}

// compute derives the KPIs from the summed inputs; a missing input leaves
// the KPI NaN (null in the frame).
func (r *rankingRow) compute() {
	if v, err := kpi.SpecificYield(r.energy, r.size); err == nil {
		r.sy = v
	}
	if v, err := kpi.PerformanceIndex(r.energy, r.em); err == nil {
		r.pi = v
	}
	if v, err := kpi.PerformanceRatio(r.prEnergy, r.size, r.poa); err == nil {
		r.pr = v
	}
}

// sortRanking orders rows worst first: lowest performance index, then
// lowest specific yield; rows without either last, by site id.
func sortRanking(rows []*rankingRow) {
	key := func(r *rankingRow) (float64, float64) {
		pi, sy := r.pi, r.sy
		if math.IsNaN(pi) {
			pi = math.Inf(1)
		}
		if math.IsNaN(sy) {
			sy = math.Inf(1)
		}
		return pi, sy
	}
	sort.SliceStable(rows, func(i, j int) bool {
		pi1, sy1 := key(rows[i])
		pi2, sy2 := key(rows[j])
		if pi1 != pi2 {
			return pi1 < pi2
		}
		if sy1 != sy2 {
			return sy1 < sy2
		}
		return rows[i].site.ID < rows[j].site.ID
	})
}

// noteMissing says which sites lack which input (a KPI left empty).
func noteMissing(rows []*rankingRow, m *metaInfo) {
	byWhat := map[string][]string{}
	var keys []string
	for _, r := range rows {
		for _, what := range r.missing {
			if byWhat[what] == nil {
				keys = append(keys, what)
			}
			byWhat[what] = append(byWhat[what], fmt.Sprint(r.site.ID))
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		ids := byWhat[k]
		m.warn("Missing %s for %d site(s), their KPIs that need it are empty: %s", k, len(ids), strings.Join(ids, ", "))
	}
}

// rankingFrame builds the ranking table.
func rankingFrame(rows []*rankingRow) *data.Frame {
	n := len(rows)
	names, clients, zones, bases, poaSources := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	ids, alerts := make([]int64, n), make([]int64, n)
	lat, lon := make([]*float64, n), make([]*float64, n)
	energy, sy, pi, pr, av, size := make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n)
	opt := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	for i, r := range rows {
		names[i], ids[i], clients[i], zones[i], bases[i], poaSources[i] = r.site.Name, r.site.ID, r.client, r.site.LocationTimezone, r.piBasis, r.poaSource
		lat[i], lon[i] = r.site.Latitude, r.site.Longitude
		energy[i] = opt(r.energy / 1000)
		size[i] = opt(r.size)
		sy[i], pi[i], pr[i], av[i] = opt(r.sy), opt(r.pi), opt(r.pr), opt(r.availability)
		alerts[i] = r.alerts
	}
	siteField := data.NewField("site", nil, names)
	siteField.Config = &data.FieldConfig{Links: []data.DataLink{{Title: "Site detail: ${__data.fields.site}", URL: rankingLink}}}
	withUnit := func(f *data.Field, unit, display string, decimals uint16) *data.Field {
		f.Config = &data.FieldConfig{Unit: unit, DisplayName: display, Decimals: &decimals}
		return f
	}
	frame := data.NewFrame("ranking",
		siteField,
		data.NewField("site_id", nil, ids),
		data.NewField("client", nil, clients),
		data.NewField("zone", nil, zones),
		data.NewField("latitude", nil, lat),
		data.NewField("longitude", nil, lon),
		withUnit(data.NewField("size", nil, size), "suffix: kWp", "Size", 1),
		withUnit(data.NewField("energy", nil, energy), "kwatth", "Energy", 1),
		withUnit(data.NewField("specificYield", nil, sy), "suffix: kWh/kWp", "Specific yield", 1),
		withUnit(data.NewField("performanceIndex", nil, pi), "none", "Performance index", 3),
		withUnit(data.NewField("performanceRatio", nil, pr), "none", "Performance ratio", 3),
		withUnit(data.NewField("availability", nil, av), "percentunit", "Availability", 1),
		data.NewField("openAlerts", nil, alerts),
		data.NewField("piBasis", nil, bases),
		data.NewField("poaSource", nil, poaSources),
	)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}
