package faults

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

// dashboard is a fleet dashboard of one operator: a component's 5-minute
// power over 70 days (3 chunks), a site's daily energy and hourly power, the
// fleet's monthly bulk table, the partner's alerts and the site list. Every
// value is deterministic (ranges in the past), so a run under faults can be
// compared with a clean run value by value.
func dashboard(t testing.TB, o *origin) []testkit.Query {
	t.Helper()
	f := o.sim.Fleet()
	s := f.FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return s.HasTypes(locussim.NodeInverter) && s.Startup.Before(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	})
	if s == nil {
		t.Fatal("the simulated fleet has no site with an inverter started before 2025")
	}
	inv := s.ComponentsOfType(locussim.NodeInverter)[0]
	loc := s.Location()
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, loc)
	return []testkit.Query{
		{Ref: "power5m", JSON: fmt.Sprintf(`{"queryType":"timeseries","entityType":"component","componentId":"%d","fields":["W_avg","Wh_sum"],"granularity":"5min"}`, inv.ID),
			From: from, To: from.AddDate(0, 0, 70), Interval: time.Minute, MaxDP: 100000},
		{Ref: "energyDaily", JSON: fmt.Sprintf(`{"queryType":"timeseries","entityType":"site","siteId":"%d","fields":["Wh_sum"],"granularity":"daily"}`, s.ID),
			From: from, To: from.AddDate(0, 3, 0), Interval: time.Hour, MaxDP: 1000},
		{Ref: "powerHourly", JSON: fmt.Sprintf(`{"queryType":"timeseries","siteId":"%d","fields":["W_avg"],"granularity":"hourly","alias":"{{site}} {{field}}"}`, s.ID),
			From: from, To: from.AddDate(0, 0, 10), Interval: time.Hour, MaxDP: 1000},
		{Ref: "fleetBulk", JSON: `{"queryType":"bulk","fields":["Wh_sum"],"format":"table"}`,
			From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), Interval: 24 * time.Hour, MaxDP: 1000},
		{Ref: "alerts", JSON: `{"queryType":"alerts","scope":"partner"}`,
			From: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC), Interval: time.Hour, MaxDP: 1000},
		{Ref: "sites", JSON: `{"queryType":"metadata","kind":"sites"}`,
			From: from, To: from.AddDate(0, 0, 1), Interval: time.Hour, MaxDP: 1000},
	}
}

// reference holds the fault-free frames of the dashboard, fetched once.
var reference struct {
	once   sync.Once
	frames map[string]data.Frames
}

// cleanDashboard returns the dashboard's frames without any fault.
func cleanDashboard(t testing.TB) map[string]data.Frames {
	t.Helper()
	reference.once.Do(func() {
		o := newOrigin(t, nil)
		d := newHost(t, settingsFor(o, nil, nil), nil)
		resp := run(context.Background(), t, d, dashboard(t, o)...)
		reference.frames = map[string]data.Frames{}
		for ref, r := range resp.Responses {
			if r.Error != nil {
				t.Fatalf("fault-free %s failed: %v", ref, r.Error)
			}
			reference.frames[ref] = r.Frames
		}
	})
	if reference.frames == nil {
		t.Fatal("the fault-free reference run failed")
	}
	return reference.frames
}

// assertDashboard asserts every panel of resp succeeded with the fault-free
// values and returns the number of values compared.
func assertDashboard(t testing.TB, o *origin, resp map[string]data.Frames) int {
	t.Helper()
	want := cleanDashboard(t)
	n := 0
	for _, p := range dashboard(t, o) {
		n += sameFrames(t, p.Ref, want[p.Ref], resp[p.Ref])
	}
	if n == 0 {
		t.Fatal("no values compared")
	}
	return n
}

// runDashboard runs the dashboard and returns the frames of every panel,
// failing the test if any panel errored.
func runDashboard(t testing.TB, o *origin, d *plugin.Datasource) map[string]data.Frames {
	t.Helper()
	resp := run(context.Background(), t, d, dashboard(t, o)...)
	out := map[string]data.Frames{}
	for _, p := range dashboard(t, o) {
		out[p.Ref] = testkit.Frames(t, resp, p.Ref)
	}
	return out
}
