package query

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/fanout"
	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// Bulk months are the sites' LOCAL months (a monthly energy report must
// match the Locus UI), but one bulk call has one tz for the whole fleet. So
// the engine groups the selected sites by the UTC instants their zone gives
// to the month boundaries of the range (US/Pacific and America/Los_Angeles
// are one group; so are all zones with the same offsets over the range) and
// sends one request set per group, keeping from each response only that
// group's sites. A fleet spanning more than maxBulkZones such groups is
// served in UTC months with a warning, to bound the upstream cost.
const maxBulkZones = 8

// bulkZone is the sites sharing one month-boundary layout over the range.
type bulkZone struct {
	name   string
	loc    *time.Location
	sites  map[int64]bool
	chunks []planner.Chunk
}

// handleBulk serves a fleet bulk query: partner monthly site data joined
// with each site's name, latitude and longitude.
func handleBulk(ctx context.Context, e *Engine, r *request, q *bulkQuery) (backend.DataResponse, error) {
	ctx, cs := locus.WithCallStats(ctx)
	var m metaInfo
	m.custom.Granularity = string(planner.Monthly)

	cat, err := e.api.BulkDataAvailable(ctx)
	if err != nil {
		return backend.DataResponse{}, fmt.Errorf("bulk dataavailable: %w", err)
	}
	if err := checkFields(cat, q.Fields, fmt.Sprintf("partner %d bulk data", e.api.PartnerID())); err != nil {
		return backend.DataResponse{}, err
	}
	sites, err := e.bulkSites(ctx, q)
	if err != nil {
		return backend.DataResponse{}, err
	}
	sizes := e.bulkSizes(ctx, q.BulkQuery, sites, r.FromAlert, &m)
	from, to := r.TimeRange.From, r.TimeRange.To
	if now := e.now(); to.After(now) {
		to = now
	}
	var series []locus.Series
	if from.Before(to) && len(sites) > 0 {
		if q.LatestMonthOnly {
			from = to.Add(-time.Nanosecond) // the month holding the newest instant
		}
		zones, err := bulkZones(sites, from, to, &m)
		if err != nil {
			return backend.DataResponse{}, err
		}
		if !q.LatestMonthOnly {
			noteWholeMonths(zones, r.TimeRange.From, r.TimeRange.To, &m)
		}
		if series, err = e.fetchBulk(ctx, q.Fields, zones); err != nil {
			return backend.DataResponse{}, err
		}
		bulkTimestampNotices(series, &m)
	}
	m.addCalls(cs)
	if missing := frames.SitesWithoutBulkData(series, sites); len(missing) > 0 {
		shown := make([]string, 0, min(len(missing), 20))
		for _, id := range missing[:min(len(missing), 20)] {
			shown = append(shown, fmt.Sprint(id))
		}
		more := ""
		if len(missing) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(missing)-len(shown))
		}
		where := "they are table rows with note \"" + frames.NoBulkData + "\""
		if q.Format == BulkTimeSeries {
			where = "they have no series"
		}
		m.warn("%d of %d sites have no bulk data in the range (%s%s): %s", len(missing), len(sites), strings.Join(shown, ", "), more, where)
	}

	fields := bulkKPIs(q.BulkQuery, series, sizes, cat, &m)
	var fs data.Frames
	if q.Format == BulkTimeSeries {
		fs = frames.BulkTimeSeries(series, fields, cat, sites, q.Alias)
	} else {
		fs = data.Frames{frames.BulkTable(series, fields, cat, sites, q.LatestMonthOnly)}
	}
	m.apply(fs, r.RefID)
	return backend.DataResponse{Frames: fs}, nil
}

// bulkTimestampNotices reports the months whose ts lacked the offset of
// their request's zone (read as that zone's wall-clock time, or at their own
// offset): kept, never dropped silently.
func bulkTimestampNotices(series []locus.Series, m *metaInfo) {
	var r locus.TimestampReport
	for i := range series {
		r.Add(series[i].Timestamps)
	}
	if r.NoOffset > 0 {
		m.info("Locus sent %d month timestamps without a UTC offset (such as %q): read as wall-clock times in the zone of their request", r.NoOffset, r.Example)
	}
	if r.OtherOffset > 0 {
		m.warn("Locus sent %d month timestamps whose UTC offset is not that of their request's zone (such as %q): each is placed at the instant its own offset gives", r.OtherOffset, r.Example)
	}
}

// bulkSites lists the sites the query covers: the partner's, or those of
// the clients it names.
func (e *Engine) bulkSites(ctx context.Context, q *bulkQuery) (map[int64]locus.Site, error) {
	list, err := e.sitesOfClients(ctx, q.clients)
	if err != nil {
		return nil, fmt.Errorf("site list: %w", err)
	}
	sites := make(map[int64]locus.Site, len(list))
	for _, s := range list {
		sites[s.ID] = s
	}
	return sites, nil
}

// bulkZones groups the sites by the layout of month boundaries their zone
// gives over [from, to), and plans each group's requests.
func bulkZones(sites map[int64]locus.Site, from, to time.Time, m *metaInfo) ([]*bulkZone, error) {
	byLayout := map[string]*bulkZone{}
	var zones []*bulkZone
	ids := make([]int64, 0, len(sites))
	for id := range sites {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var unzoned []string
	for _, id := range ids {
		name := sites[id].LocationTimezone
		loc, err := planner.LoadZone(name)
		if name == "" || err != nil {
			unzoned = append(unzoned, fmt.Sprint(id))
			name, loc = "UTC", time.UTC
		}
		chunks, err := bulkChunks(from, to, loc)
		if err != nil {
			return nil, err
		}
		key := layoutKey(chunks, loc)
		z := byLayout[key]
		if z == nil {
			z = &bulkZone{name: name, loc: loc, sites: map[int64]bool{}, chunks: chunks}
			byLayout[key] = z
			zones = append(zones, z)
		}
		z.sites[id] = true
	}
	if len(unzoned) > 0 {
		m.warn("Sites without a usable locationTimezone use UTC months: %s", strings.Join(unzoned, ", "))
	}
	if len(zones) > maxBulkZones {
		chunks, err := bulkChunks(from, to, time.UTC)
		if err != nil {
			return nil, err
		}
		all := map[int64]bool{}
		for _, id := range ids {
			all[id] = true
		}
		m.warn("The fleet spans %d time zone layouts (more than %d): months are UTC months, not site-local", len(zones), maxBulkZones)
		zones = []*bulkZone{{name: "UTC", loc: time.UTC, sites: all, chunks: chunks}}
	}
	names := make([]string, len(zones))
	requests := 0
	for i, z := range zones {
		names[i] = z.name
		requests += len(z.chunks)
	}
	if requests > maxChunks {
		return nil, requestCapError(requests, "for the fleet's monthly bulk data (one per year of range and time zone layout)", "choose a shorter range or select fewer clients")
	}
	m.custom.TZ = strings.Join(names, ",")
	m.custom.Chunks = requests
	if len(zones) > 1 {
		m.info("Bulk months are site-local: %d requests, one set per time zone (%s)", requests, strings.Join(names, ", "))
	} else if requests > 1 {
		m.info("Range split into %d bulk requests (bulk requests span at most 1 year)", requests)
	}
	return zones, nil
}

// noteWholeMonths says when the bulk months reach outside the panel's
// range: bulk data is monthly only, so unlike time series (the range
// contract, docs/range-contract.md) a month the range cuts is shown whole.
func noteWholeMonths(zones []*bulkZone, from, to time.Time, m *metaInfo) {
	for _, z := range zones {
		if len(z.chunks) == 0 {
			continue
		}
		start, end := z.chunks[0].Start, z.chunks[len(z.chunks)-1].End
		if start.Before(from) || end.After(to) {
			m.info("Bulk data is monthly only: the months at the range's edges are whole months (%s to %s, %s), reaching outside the panel's range; a site time series query gives the range's exact energy", planner.FormatWall(start, z.loc), planner.FormatWall(end, z.loc), z.name)
			return
		}
	}
}

// bulkChunks is planner.BulkChunks with a failure reported as bad input.
func bulkChunks(from, to time.Time, loc *time.Location) ([]planner.Chunk, error) {
	chunks, err := planner.BulkChunks(from, to, loc)
	if err != nil {
		return nil, badInput("cannot plan the bulk range: %v", err)
	}
	return chunks, nil
}

// layoutKey identifies the instants of a plan's month boundaries.
func layoutKey(chunks []planner.Chunk, loc *time.Location) string {
	var b strings.Builder
	for _, c := range chunks {
		for t := c.Start; t.Before(c.End); t = planner.Monthly.Next(t, loc) {
			fmt.Fprintf(&b, "%d,", t.Unix())
		}
		fmt.Fprintf(&b, "%d;", c.End.Unix())
	}
	return b.String()
}

// fetchBulk runs every zone's requests concurrently and joins each site's
// months in order. Any failing request fails the query, naming its period.
func (e *Engine) fetchBulk(ctx context.Context, fields []string, zones []*bulkZone) ([]locus.Series, error) {
	type job struct {
		z *bulkZone
		c planner.Chunk
	}
	var jobs []job
	for _, z := range zones {
		for _, c := range z.chunks {
			jobs = append(jobs, job{z, c})
		}
	}
	results := make([][]locus.Series, len(jobs))
	_, err := e.each(dataLane(ctx, len(jobs)), len(jobs), fanout.Options{Limit: e.fanOut()},
		func(i int) string { return "fetching bulk data for " + jobs[i].z.name },
		func(ctx context.Context, i int) error {
			j := jobs[i]
			start, end := planner.FormatWall(j.c.Start, j.z.loc), planner.FormatWall(j.c.End, j.z.loc)
			res, err := e.api.BulkData(ctx, locus.BulkRequest{Fields: fields, Start: start, End: end, TZ: j.z.name})
			if err != nil {
				return fmt.Errorf("Locus bulk data failed for the period %s to %s (%s, monthly): %w", start, end, j.z.name, err)
			}
			results[i] = res
			return nil
		})
	if err != nil {
		if cerr := ctx.Err(); err == cerr {
			err = locus.Canceled(cerr)
		}
		return nil, err
	}
	jobZones := make([]*bulkZone, len(jobs))
	for i, j := range jobs {
		jobZones[i] = j.z
	}
	return joinBulk(jobZones, results, fields), nil
}

// joinBulk concatenates each site's series over the requests (in order),
// keeping a site only from the requests of its own zone group.
func joinBulk(zones []*bulkZone, results [][]locus.Series, fields []string) []locus.Series {
	bySite := map[int64]*locus.Series{}
	var order []int64
	for i, res := range results {
		for _, s := range res {
			if !zones[i].sites[s.ID] {
				continue
			}
			acc := bySite[s.ID]
			if acc == nil {
				acc = &locus.Series{ID: s.ID, Values: make(map[string]locus.Column, len(fields))}
				bySite[s.ID] = acc
				order = append(order, s.ID)
			}
			n := len(acc.Times)
			acc.Times = append(acc.Times, s.Times...)
			acc.Timestamps.Add(s.Timestamps)
			for _, f := range fields {
				acc.Values[f] = appendColumn(acc.Values[f], n, s.Values[f], len(s.Times))
			}
		}
	}
	out := make([]locus.Series, 0, len(order))
	for _, id := range order {
		out = append(out, *bySite[id])
	}
	return out
}

// appendColumn returns dst's first n values (padded with nulls) followed
// by src's first m values (padded with nulls), in a new column.
func appendColumn(dst locus.Column, n int, src locus.Column, m int) locus.Column {
	out := locus.Column{Values: make([]float64, n+m), Valid: make([]bool, n+m)}
	for i := range n + m {
		c, j := dst, i
		if i >= n {
			c, j = src, i-n
		}
		out.Values[i], out.Valid[i] = c.At(j)
	}
	return out
}
