package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

// viewers is how many people open the dashboard at the same moment.
const viewers = 5

// upstreamFigures measures figure 1: upstream requests of one dashboard
// load against the minimal count, a reload within the cache lifetime, and
// several viewers loading at once (one request in flight, no duplicates).
// The host is pkg/plugin's Datasource in-process, then the built binary over
// the plugin gRPC protocol (tests/pluginhost); the simulator is served over
// HTTP on 127.0.0.1 and reached by the real locus client.
func upstreamFigures(ctx context.Context, sz size, verbose bool) []figure {
	const target = "= minimal"
	cfg := locussim.DefaultConfig()
	cfg.Latency = 2 * time.Millisecond // long enough for concurrent callers to overlap
	o := newOrigin(cfg)
	defer o.Close()
	now := time.Now()
	ds, err := pickSites(o.sim.Fleet(), now)
	if err != nil {
		return []figure{failed("dashboard upstream requests", target, err)}
	}
	panels := buildDashboard(ds, now)
	minimal, err := countMinimal(panels, o.sim.Fleet(), now)
	if err != nil {
		return []figure{failed("dashboard upstream requests", target, err)}
	}
	want := float64(minimal.total())

	// Cold loads on fresh instances (empty cache, new token): the worst counts.
	var (
		d      *plugin.Datasource
		counts []string
		worst  int
		shown  bool // a load above the minimal has been listed
	)
	for i := range sz.ColdLoads {
		if d != nil {
			d.Dispose()
		}
		if d, err = newInstance(o.URL(), fmt.Sprintf("bench-upstream-%d", i)); err != nil {
			return []figure{failed("dashboard upstream requests", target, err)}
		}
		o.reset()
		if err := loadDashboard(ctx, d, panels); err != nil {
			d.Dispose()
			return []figure{failed("dashboard upstream requests", target, err)}
		}
		n := o.requests()
		counts = append(counts, fmt.Sprint(n))
		if verbose && i == 0 || float64(n) != want && !shown {
			shown = shown || float64(n) != want
			fmt.Printf("  dashboard of %d panels over sites %d, %d, %d (%s, %s, %s); minimal count:\n%s\n  requests made (cold load %d):\n    %s\n",
				len(panels), ds.a.ID, ds.b.ID, ds.c.ID, ds.a.Timezone, ds.b.Timezone, ds.c.Timezone, minimal, i+1, strings.Join(o.log(), "\n    "))
		}
		worst = max(worst, n)
	}
	load := equalTo(fmt.Sprintf("dashboard upstream requests (worst of %d cold loads)", sz.ColdLoads), float64(worst), want, "")
	load.Target = fmt.Sprintf("= %d minimal", int(want))
	load.Note = fmt.Sprintf("%d panels over 3 sites; cold loads made %s requests; minimal count:\n%s", len(panels), strings.Join(counts, ", "), minimal)

	o.reset()
	err = loadDashboard(ctx, d, panels)
	d.Dispose()
	reload := equalTo("reload upstream requests", float64(o.requests()), 0, "")
	if err != nil {
		reload = failed(reload.Name, reload.Target, err)
	}

	figs := []figure{load, reload}
	figs = append(figs, viewerFigures(ctx, o, panels, want)...)
	return append(figs, binaryFigures(ctx, o, panels, want)...)
}

// viewerFigures opens the dashboard for several viewers at once on a fresh
// instance (empty cache).
func viewerFigures(ctx context.Context, o *origin, panels []panel, want float64) []figure {
	name := fmt.Sprintf("%d viewers upstream requests", viewers)
	d, err := newInstance(o.URL(), "bench-viewers")
	if err != nil {
		return []figure{failed(name, "= minimal", err)}
	}
	defer d.Dispose()
	o.reset()
	if err := loadConcurrently(ctx, d, panels, viewers); err != nil {
		return []figure{failed(name, "= minimal", err)}
	}
	reqs := equalTo(name, float64(o.requests()), want, "")
	reqs.Target = fmt.Sprintf("= %d minimal", int(want))
	dups := o.duplicates()
	dup := equalTo(fmt.Sprintf("%d viewers duplicate upstream URLs", viewers), float64(len(dups)), 0, "")
	if len(dups) > 0 {
		dup.Note = strings.Join(dups, "\n")
	}
	st := o.sim.Stats()
	inflight := equalTo(fmt.Sprintf("%d viewers max requests in flight", viewers), float64(st.MaxInFlight), 1, "")
	return []figure{reqs, dup, inflight}
}
