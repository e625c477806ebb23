package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// panel is one dashboard panel: its queries and the time range Grafana
// sends with them (the dashboard's, or the panel's relative time override).
type panel struct {
	title   string
	from    time.Time
	to      time.Time
	queries []map[string]any
}

// dashboardSites are the three sites the realistic dashboard shows.
type dashboardSites struct {
	a, b, c *locussim.Site
}

// pickSites chooses three sites in different zones from the fleet: A a
// commercial or utility site with several inverters and a weather station,
// B with inverters, C any other; all old enough for a year of history.
func pickSites(f *locussim.Fleet, now time.Time) (dashboardSites, error) {
	var ds dashboardSites
	old := func(s *locussim.Site) bool { return s.Startup.Before(now.AddDate(-1, -4, 0)) }
	ds.a = f.FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return old(s) && s.HasTypes(locussim.NodeWeatherStation) && len(s.ComponentsOfType(locussim.NodeInverter)) >= 3
	})
	if ds.a == nil {
		return ds, fmt.Errorf("the fleet has no site with a weather station and 3 inverters")
	}
	ds.b = f.FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return old(s) && s.ID != ds.a.ID && s.Timezone != ds.a.Timezone && len(s.ComponentsOfType(locussim.NodeInverter)) >= 2
	})
	if ds.b == nil {
		return ds, fmt.Errorf("the fleet has no second site with 2 inverters in another zone")
	}
	ds.c = f.FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return old(s) && s.ID != ds.a.ID && s.ID != ds.b.ID && s.Timezone != ds.a.Timezone && s.Timezone != ds.b.Timezone
	})
	if ds.c == nil {
		return ds, fmt.Errorf("the fleet has no third site in a third zone")
	}
	return ds, nil
}

// idList joins component ids as a multi-value template variable interpolates them.
func idList(cs []*locussim.Component) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = fmt.Sprint(c.ID)
	}
	return strings.Join(ids, ",")
}

// ts is a time series query model.
func ts(site *locussim.Site, comp string, gran string, fields ...string) map[string]any {
	q := map[string]any{"queryType": "timeseries", "fields": fields, "granularity": gran}
	if comp != "" {
		q["entityType"], q["componentId"] = "component", comp
	} else {
		q["entityType"], q["siteId"] = "site", fmt.Sprint(site.ID)
	}
	return q
}

// buildDashboard is a realistic fleet dashboard over three sites (16 panels)
// for a "last 7 days" range ending at now. Three panels read site A at
// 15 minutes with different fields: a perfect planner fetches them once.
func buildDashboard(ds dashboardSites, now time.Time) []panel {
	from := now.Add(-7 * 24 * time.Hour)
	ws := ds.a.ComponentsOfType(locussim.NodeWeatherStation)[0]
	invA := idList(ds.a.ComponentsOfType(locussim.NodeInverter))
	invB := idList(ds.b.ComponentsOfType(locussim.NodeInverter))
	sites := fmt.Sprintf("%d,%d,%d", ds.a.ID, ds.b.ID, ds.c.ID)
	p := func(title string, from time.Time, qs ...map[string]any) panel {
		return panel{title: title, from: from, to: now, queries: qs}
	}
	return []panel{
		p("Site A power", from, ts(ds.a, "", "15min", "W_avg")),
		p("Site A energy", from, ts(ds.a, "", "15min", "Wh_sum")),
		p("Site A power and energy (stat)", from, ts(ds.a, "", "15min", "W_avg", "Wh_sum")),
		p("Site A daily energy vs expected", from, ts(ds.a, "", "daily", "Wh_sum", "Wh_e_sum")),
		p("Site B power", from, ts(ds.b, "", "15min", "W_avg")),
		p("Site C power", from, ts(ds.c, "", "15min", "W_avg")),
		p("Every inverter of site A", from, ts(ds.a, invA, "15min", "W_avg")),
		p("Weather station of site A", from, ts(ds.a, fmt.Sprint(ws.ID), "15min", "GHI_avg", "POA_avg", "TmpAmb_avg")),
		p("Alerts of the three sites (annotations)", from, map[string]any{"queryType": "alerts", "scope": "site", "siteId": sites}),
		p("Partner alerts table", from, map[string]any{"queryType": "alerts", "scope": "partner"}),
		p("Fleet energy this month (bulk table)", from, map[string]any{"queryType": "bulk", "fields": []string{"Wh_sum", "Wh_e_sum"}, "format": "table", "latestMonthOnly": true}),
		p("Site B daily energy, last year", now.AddDate(-1, 0, 0), ts(ds.b, "", "daily", "Wh_sum")),
		p("Site C power at 5 minutes, last 90 days", now.AddDate(0, 0, -90), ts(ds.c, "", "5min", "W_avg")),
		p("Inverters of site B now (latest)", from, map[string]any{"queryType": "latest", "componentId": invB, "fields": []string{"W_avg"}}),
		p("Components of site A (table)", from, map[string]any{"queryType": "metadata", "kind": "components", "siteId": fmt.Sprint(ds.a.ID)}),
		p("Sites B and C hourly energy", from, ts(ds.b, "", "hourly", "Wh_sum"), ts(ds.c, "", "hourly", "Wh_sum")),
	}
}

// request is the QueryData request Grafana sends for one panel.
func (p panel) request() *backend.QueryDataRequest {
	req := &backend.QueryDataRequest{}
	for i, q := range p.queries {
		raw, _ := json.Marshal(q)
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: string(rune('A' + i)), QueryType: q["queryType"].(string), JSON: raw,
			Interval: 5 * time.Minute, MaxDataPoints: 2000,
			TimeRange: backend.TimeRange{From: p.from, To: p.to},
		})
	}
	return req
}
