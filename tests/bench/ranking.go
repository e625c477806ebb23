package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

// rankingFigures measures the fleet ranking (issue 17) over a large fleet:
// upstream requests of a whole-month ranking (cold: the first load, which
// answers with partner-level requests only and leaves specific yield empty
// for the sites whose size is not cached, and the modelsettings requests
// the background then makes, one per site, because the API gives sizes per
// site only; warm: the next load, sizes cached) and of a 7-day ranking
// (per-site hourly data), and the time to build each table.
func rankingFigures(ctx context.Context, sz size) []figure {
	cfg := locussim.DefaultConfig()
	cfg.Sites = sz.FleetSites
	o := newOrigin(cfg)
	defer o.Close()
	sites := len(o.sim.Fleet().SitesOfPartner(cfg.PartnerID))
	d, err := newInstance(o.URL(), "bench-ranking")
	if err != nil {
		return []figure{failed("ranking", "<= 20 requests", err)}
	}
	defer d.Dispose()
	now := time.Now().UTC()
	monthEnd := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	monthStart := monthEnd.AddDate(0, -1, 0)
	run := func(from, to time.Time, model string) (time.Duration, int, int, error) {
		o.reset()
		start := time.Now()
		rows, err := rankingRows(ctx, d, from, to, model)
		took := time.Since(start)
		return took, o.requests(), rows, err
	}
	st := func(route string) int { return o.sim.Stats().Count(route) }
	const sizeRoute = "GET /v3/sites/{id}/modelsettings"

	// Whole month, cold: the query makes no modelsettings request (the
	// background may have started its own by the time the counts are read:
	// they are the only modelsettings requests, so they are subtracted).
	coldT, coldN, rows, err := run(monthStart, monthEnd, `{"refId":"R","queryType":"ranking"}`)
	if err != nil {
		return []figure{failed("ranking whole month", "<= 20 requests", err)}
	}
	coldQuery := coldN - st(sizeRoute)
	coldBusy := o.busy() // the background's first modelsettings may be in it: each takes about a millisecond
	bgStart := time.Now()
	if err := d.WaitBackground(ctx); err != nil {
		return []figure{failed("ranking whole month: background size fetch", "report", err)}
	}
	bgT := time.Since(bgStart)
	bgSizes := st(sizeRoute)
	warmT, warmN, _, err := run(monthStart, monthEnd, `{"refId":"R","queryType":"ranking"}`)
	if err != nil {
		return []figure{failed("ranking whole month (warm)", "<= 20 requests", err)}
	}
	figs := []figure{
		withNote(atMost(fmt.Sprintf("ranking of %d sites, whole month, first load: upstream requests (partner-level only)", sites), float64(coldQuery), 20, ""),
			"site and client lists, bulk data per zone layout, partner alerts, token; specific yield empty with a notice until the sizes are in"),
		{Name: "ranking whole month, after the first load: background modelsettings requests", Value: float64(bgSizes), Target: "report", Pass: true,
			Note: "one per site (the API gives the installed size per site only), on the background lane once the queue is idle"},
		{Name: "ranking whole month, after the first load: time to fetch the sizes in the background", Value: ms(bgT), Unit: "ms", Target: "report", Pass: true},
		atMost("ranking whole month, next load: all upstream requests", float64(warmN), 20, ""),
		below("ranking whole month, next load: time to build the table", ms(warmT), 5000, "ms"),
		{Name: "ranking whole month, first load: time to build the table", Value: ms(coldT), Unit: "ms", Target: "report", Pass: true,
			Note: fmt.Sprintf("%.0f ms of it the simulator computing the partner's bulk monthly data from its physics", ms(coldBusy))},
	}
	if rows != sites {
		figs = append(figs, equalTo("ranking whole month: rows", float64(rows), float64(sites), ""))
	}

	// A 7-day range is not whole months: per-site hourly data (sizes cached).
	to := now.Truncate(time.Hour)
	weekT, weekN, rows, err := run(to.AddDate(0, 0, -7), to, `{"refId":"R","queryType":"ranking"}`)
	if err != nil {
		return append(figs, failed("ranking 7 days", "report", err))
	}
	perSite := st("GET /v3/sites/{id}/data")
	station := st("GET /v3/components/{id}/data")
	lists := st("GET /v3/partners/{id}/components")
	figs = append(figs,
		figure{Name: "ranking 7 days: upstream requests", Value: float64(weekN), Target: "report", Pass: true,
			Note: fmt.Sprintf("%d site hourly data requests (one per site), %d weather station POA requests (PR on measured POA), %d partner component list(s); said in the frame notice", perSite, station, lists)},
		atMost("ranking 7 days: per-site data requests per site", float64(perSite)/float64(max(sites, 1)), 1, ""),
		figure{Name: "ranking 7 days: time to build the table", Value: ms(weekT), Unit: "ms", Target: "report", Pass: true},
	)
	if rows != sites {
		figs = append(figs, equalTo("ranking 7 days: rows", float64(rows), float64(sites), ""))
	}
	return figs
}

// rankingRows runs one ranking query and returns its row count.
func rankingRows(ctx context.Context, d *plugin.Datasource, from, to time.Time, model string) (int, error) {
	resp, err := d.QueryData(ctx, &backend.QueryDataRequest{
		PluginContext: backend.PluginContext{DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{UID: "bench-ranking"}},
		Queries:       []backend.DataQuery{{RefID: "R", JSON: json.RawMessage(model), TimeRange: backend.TimeRange{From: from, To: to}, MaxDataPoints: 1000, Interval: time.Hour}},
	})
	if err != nil {
		return 0, err
	}
	r := resp.Responses["R"]
	if r.Error != nil {
		return 0, r.Error
	}
	if len(r.Frames) != 1 {
		return 0, fmt.Errorf("ranking returned %d frames", len(r.Frames))
	}
	n, err := r.Frames[0].RowLen()
	return n, err
}

// withNote sets a figure's note.
func withNote(f figure, note string) figure {
	f.Note = note
	return f
}
