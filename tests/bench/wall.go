package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// wallLatency is the simulator's added latency for the wall-time figure.
const wallLatency = 50 * time.Millisecond

// wallRun is one cold dashboard load under latency.
type wallRun struct {
	wall     time.Duration
	requests int
	// served is the sum of the origin's own handling times (latency included).
	served  time.Duration
	tooMany int
}

// ratio is wall time over the serial limit requests x latency.
func (r wallRun) ratio() float64 {
	return float64(r.wall) / (float64(r.requests) * float64(wallLatency))
}

// wallFigures measures figure 2: the dashboard's wall time on a cold
// instance with 50 ms of upstream latency and one request in flight per
// account, over the serial limit (requests x 50 ms); the median of
// sz.WallRuns runs, and the 429 answers over all runs.
func wallFigures(ctx context.Context, sz size) []figure {
	const name = "dashboard wall / (requests x 50 ms)"
	cfg := locussim.DefaultConfig()
	cfg.Latency = wallLatency
	o := newOrigin(cfg)
	defer o.Close()
	var runs []wallRun
	tooMany := 0
	for i := range sz.WallRuns {
		r, err := coldLoad(ctx, o, fmt.Sprintf("bench-wall-%d", i))
		if err != nil {
			return []figure{failed(name, "<= 1.05", err)}
		}
		runs = append(runs, r)
		tooMany += r.tooMany
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].ratio() < runs[j].ratio() })
	med := runs[len(runs)/2]
	// Reported, not gated: on a busy machine the simulator's own 50 ms timers
	// fire late, which no plugin change can fix (issue 14: figures a loaded
	// CI machine cannot fail by accident). The gate is the side-by-side
	// ratio below: the same run's wall time over the time the simulator
	// spent answering.
	f := figure{Name: name, Value: med.ratio(), Pass: true, Target: "report (<= 1.05 on a quiet machine; gated: wall / origin busy)"}
	f.Note = fmt.Sprintf("median of %d cold loads: %d requests in %.0f ms (serial limit %.0f ms; origin busy %.0f ms); ratios %.3f..%.3f",
		len(runs), med.requests, ms(med.wall), ms(time.Duration(med.requests)*wallLatency), ms(med.served), runs[0].ratio(), runs[len(runs)-1].ratio())
	fmt.Println("  " + f.Note)
	wallMs := figure{Name: "dashboard wall time (median)", Value: ms(med.wall), Unit: "ms", Pass: true,
		Target: fmt.Sprintf("report (%d requests x 50 ms = %.0f ms)", med.requests, ms(time.Duration(med.requests)*wallLatency))}
	ownShare := atMost("dashboard wall / origin busy time (plugin's own share)", float64(med.wall)/float64(med.served), 1.05, "")
	ownShare.Note = "the same median run, over the time the simulator spent answering (its latency plus any lateness of its timers on a busy machine)"
	gap := figure{Name: "plugin time per upstream request (median run)", Value: ms(med.wall-med.served) / float64(med.requests), Unit: "ms", Pass: true,
		Target: "report (wall minus origin busy, per request)"}
	return []figure{f, ownShare, wallMs, gap, equalTo("HTTP 429 answers during the loads", float64(tooMany), 0, "")}
}

// coldLoad opens the dashboard once on a new instance (empty cache, new token).
func coldLoad(ctx context.Context, o *origin, uid string) (wallRun, error) {
	d, err := newInstance(o.URL(), uid)
	if err != nil {
		return wallRun{}, err
	}
	defer d.Dispose()
	now := time.Now()
	ds, err := pickSites(o.sim.Fleet(), now)
	if err != nil {
		return wallRun{}, err
	}
	panels := buildDashboard(ds, now)
	o.reset()
	start := time.Now()
	if err := loadDashboard(ctx, d, panels); err != nil {
		return wallRun{}, err
	}
	wall := time.Since(start)
	st := o.sim.Stats()
	return wallRun{wall: wall, requests: o.requests(), served: o.busy(), tooMany: st.ByStatus[429]}, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
