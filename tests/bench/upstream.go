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

	// Cold loads on fresh instances (empty cache, new token, nothing to
	// warm): the worst counts. Background work (none is expected on a cold
	// load) is waited for, so it is counted too.
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
		if err := loadDashboard(ctx, d, panels); err == nil {
			err = d.WaitBackground(ctx)
		} else {
			d.Dispose()
			return []figure{failed("dashboard upstream requests", target, err)}
		}
		n := o.requests()
		counts = append(counts, fmt.Sprint(n))
		if verbose && i == 0 || !minimal.reached(n) && !shown {
			shown = shown || !minimal.reached(n)
			fmt.Printf("  dashboard of %d panels over sites %d, %d, %d (%s, %s, %s); minimal count:\n%s\n  requests made (cold load %d):\n    %s\n",
				len(panels), ds.a.ID, ds.b.ID, ds.c.ID, ds.a.Timezone, ds.b.Timezone, ds.c.Timezone, minimal, i+1, strings.Join(o.log(), "\n    "))
		}
		worst = max(worst, n)
	}
	load := minimal.figure(fmt.Sprintf("cold load upstream requests / minimal (worst of %d cold loads)", sz.ColdLoads), worst, 0)
	load.Note = fmt.Sprintf("%d panels over 3 sites; cold loads made %s requests; minimal count (data + one request per metadata list + token):\n%s", len(panels), strings.Join(counts, ", "), minimal)

	o.reset()
	err = loadDashboard(ctx, d, panels)
	if err == nil {
		err = d.WaitBackground(ctx)
	}
	d.Dispose()
	reload := equalTo("reload upstream requests", float64(o.requests()), 0, "")
	if err != nil {
		reload = failed(reload.Name, reload.Target, err)
	}

	figs := []figure{load, reload}
	figs = append(figs, expiryFigures(ctx, o, panels, minimal)...)
	figs = append(figs, warmFigures(ctx, o, panels, minimal)...)
	figs = append(figs, viewerFigures(ctx, o, panels, minimal)...)
	return append(figs, binaryFigures(ctx, o, panels, minimal)...)
}

// expiryTTL is every cache lifetime of the expiry figures' instance: long
// enough for a load to finish within it, short enough to wait out.
const expiryTTL = 5 * time.Second

// expiryFigures loads the dashboard on an instance whose caches all
// expire after expiryTTL, waits them out, and loads it again (the first
// view after the metadata and the data expired): no metadata request may
// reach Locus while the panels wait (stale metadata is served and
// refreshed afterwards in the background), and the load plus its
// background refreshes make the minimal count less the token (still
// valid).
func expiryFigures(ctx context.Context, o *origin, panels []panel, minimal minimalCount) []figure {
	const name = "load after metadata expiry upstream requests / minimal"
	target := fmt.Sprintf("= 1 (%d requests: minimal less the token)", minimal.total()-minimal.of("token"))
	secs := int(expiryTTL / time.Second)
	d, err := newInstanceWith(o.URL(), "bench-expiry", map[string]any{
		"metadataCacheSeconds": secs, "pastDataCacheSeconds": secs, "recentDataCacheSeconds": secs})
	if err != nil {
		return []figure{failed(name, target, err)}
	}
	defer d.Dispose()
	if err := loadDashboard(ctx, d, panels); err != nil {
		return []figure{failed(name, target, err)}
	}
	if err := d.WaitBackground(ctx); err != nil {
		return []figure{failed(name, target, err)}
	}
	time.Sleep(expiryTTL + 500*time.Millisecond) // every entry expired
	o.reset()
	if err := loadDashboard(ctx, d, panels); err != nil {
		return []figure{failed(name, target, err)}
	}
	during := o.log()
	if err := d.WaitBackground(ctx); err != nil {
		return []figure{failed(name, target, err)}
	}
	all := o.log()
	// A metadata request delays a panel only if it reaches Locus before
	// the load's last data request: a background refresh may start the
	// moment the last panel is answered, even before this goroutine reads
	// the log, and then delays nothing.
	lastData := -1
	for i, r := range all {
		if !isMetadataRequest(r) && !strings.HasPrefix(r, "POST /oauth/token") {
			lastData = i
		}
	}
	var early []string
	for _, r := range all[:lastData+1] {
		if isMetadataRequest(r) {
			early = append(early, r)
		}
	}
	ratio := minimal.figure(name, len(all), minimal.of("token"))
	ratio.Note = fmt.Sprintf("%d requests while the panels loaded, %d refreshes in the background after them", len(during), len(all)-len(during))
	crit := equalTo("load after metadata expiry: metadata requests while the panels wait", float64(len(early)), 0, "")
	if len(early) > 0 {
		crit.Note = strings.Join(early, "\n")
	}
	return []figure{ratio, crit}
}

// warmFigures: a data source's new instance (Grafana makes one whenever
// the settings change) warms, in the background, the metadata its
// predecessor used; the dashboard then makes no metadata request at all.
// Its data requests are reported against the data part of the minimal
// count: the engine's memory of the fields asked together is not handed
// over to the new instance, so the first panel's call may leave before
// the others can join it.
func warmFigures(ctx context.Context, o *origin, panels []panel, minimal minimalCount) []figure {
	const name = "new instance after warm-up: metadata requests of the dashboard load"
	wantData := minimal.of("data")
	first, err := newInstance(o.URL(), "bench-warm")
	if err != nil {
		return []figure{failed(name, "= 0", err)}
	}
	err = loadDashboard(ctx, first, panels)
	first.Dispose()
	if err != nil {
		return []figure{failed(name, "= 0", err)}
	}
	o.reset()
	d, err := newInstance(o.URL(), "bench-warm")
	if err != nil {
		return []figure{failed(name, "= 0", err)}
	}
	defer d.Dispose()
	if err := d.WaitBackground(ctx); err != nil {
		return []figure{failed(name, "= 0", err)}
	}
	warmed := o.requests()
	o.reset()
	if err := loadDashboard(ctx, d, panels); err != nil {
		return []figure{failed(name, "= 0", err)}
	}
	if err := d.WaitBackground(ctx); err != nil {
		return []figure{failed(name, "= 0", err)}
	}
	reqs := o.log()
	var meta []string
	for _, r := range reqs {
		if isMetadataRequest(r) || strings.HasPrefix(r, "POST /oauth/token") {
			meta = append(meta, r)
		}
	}
	f := equalTo(name, float64(len(meta)), 0, "")
	f.Note = strings.Join(meta, "\n")
	total := figure{Name: "new instance after warm-up: dashboard upstream requests", Value: float64(len(reqs)),
		Target: fmt.Sprintf("report (the data part of the minimal count is %d)", wantData), Pass: true,
		Note: fmt.Sprintf("the warm-up made %d requests (token and metadata) in the background lane before the load", warmed)}
	return []figure{f, total}
}

// isMetadataRequest reports a request for entities, lists or field
// catalogues: a /v3 GET that is neither data nor alerts.
func isMetadataRequest(line string) bool {
	return strings.HasPrefix(line, "GET /v3/") && !strings.Contains(line, "/data?") && !strings.Contains(line, "/alerts")
}

// viewerFigures opens the dashboard for several viewers at once on a fresh
// instance (empty cache).
func viewerFigures(ctx context.Context, o *origin, panels []panel, minimal minimalCount) []figure {
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
	reqs := minimal.countFigure(name, o.requests())
	dups := o.duplicates()
	dup := equalTo(fmt.Sprintf("%d viewers duplicate upstream URLs", viewers), float64(len(dups)), 0, "")
	if len(dups) > 0 {
		dup.Note = strings.Join(dups, "\n")
	}
	st := o.sim.Stats()
	inflight := equalTo(fmt.Sprintf("%d viewers max requests in flight", viewers), float64(st.MaxInFlight), 1, "")
	return []figure{reqs, dup, inflight}
}
