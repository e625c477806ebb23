package main

import (
	"context"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

// TestCountEdgesMergesThePartTwoPanelsShare checks the count by hand: a
// 15-minute W_avg group and an hourly Wh_sum group of one Los Angeles site
// both ending at 17:05 leave the part 17:00-17:05, one 5-minute request
// for both fields; their starts (09:06) leave 09:06-09:15 and 09:06-10:00,
// which differ. W_avg (site power) is offered from 5 minutes: 09:10-09:15.
// Wh_sum from 1 minute: 09:06-10:00 at 1 minute.
func TestCountEdgesMergesThePartTwoPanelsShare(t *testing.T) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	from, to := time.Date(2026, 3, 1, 9, 6, 0, 0, la), time.Date(2026, 3, 8, 17, 5, 0, 0, la)
	var parts []edgePart
	for _, g := range []*dataGroup{
		{kind: "sites", id: 1, gran: "15min", zone: la.String(), from: from, to: to, fields: []string{"W_avg"}},
		{kind: "sites", id: 1, gran: "hourly", zone: la.String(), from: from, to: to, fields: []string{"Wh_sum"}},
	} {
		ps, err := edgesOf(g)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, ps...)
	}
	n, shared := countEdges(parts)
	if n != 3 || shared != 1 {
		t.Errorf("countEdges = %d requests, %d shared; want 3 (09:10-09:15 at 5 min, 09:06-10:00 at 1 min, 17:00-17:05 at 5 min), 1 shared", n, shared)
	}
}

// TestColdLoadReachesTheMinimalAtAnyClockTime loads the bench dashboard on
// a fresh instance at clock times where panels share edge parts (minutes
// 0-14 of an hour), where they do not, and in the repeated hour of a
// night when clocks fall back, and checks each load against the count.
func TestColdLoadReachesTheMinimalAtAnyClockTime(t *testing.T) {
	for _, at := range []string{
		"2026-11-29T01:05:14Z", "2026-11-29T08:54:19Z", "2026-11-29T10:13:42Z", "2026-11-29T13:37:00Z",
		"2026-11-01T08:25:02Z", "2026-11-01T09:40:30Z", "2026-03-08T10:05:00Z", "2026-06-30T23:59:59Z",
	} {
		now, err := time.Parse(time.RFC3339, at)
		if err != nil {
			t.Fatal(err)
		}
		clock := func() time.Time { return now }
		cfg := locussim.DefaultConfig()
		cfg.Now = clock
		o := newOrigin(cfg)
		ds, err := pickSites(o.sim.Fleet(), now)
		if err != nil {
			t.Fatal(err)
		}
		panels := buildDashboard(ds, now)
		minimal, err := countMinimal(panels, o.sim.Fleet(), now)
		if err != nil {
			t.Fatal(err)
		}
		settings := simkit.Settings(o.URL(), nil, nil)
		settings.UID, settings.Updated = "clock-"+at, now
		d := plugin.NewDatasourceWithOptions(settings, plugin.Options{Now: clock})
		ctx := context.Background()
		err = loadDashboard(ctx, d, panels)
		if err == nil {
			err = d.WaitBackground(ctx)
		}
		n := o.requests()
		d.Dispose()
		o.Close()
		if err != nil {
			t.Fatalf("%s: %v", at, err)
		}
		if !minimal.reached(n) {
			t.Errorf("%s: %d requests, more than the minimal %d + %d shared edge parts\n%s", at, n, minimal.total(), minimal.shared, minimal)
		}
		if n < minimal.total()-2 {
			t.Errorf("%s: %d requests, far fewer than the minimal %d: the count or the engine lost requests\n%s", at, n, minimal.total(), minimal)
		}
		t.Logf("%s: %d requests, minimal %d (+%d shared)", at, n, minimal.total(), minimal.shared)
	}
}
