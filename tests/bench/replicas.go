package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
	"github.com/sunfleet/locus-datasource/tests/pluginhost"
	"github.com/sunfleet/locus-datasource/tests/redisserver"
)

// replicaFigures measures Grafana HA (issue 18): the bench dashboard loaded
// on 3 built plugin binaries at once, sharing one Redis, against the same
// dashboard on 1 binary, with 50 ms of upstream latency and one request in
// flight per account: upstream requests 3 ÷ 1 (target 1.00) and wall time
// 3 ÷ 1 (target <= 1.10).
func replicaFigures(ctx context.Context, _ size) []figure {
	const reqName, wallName = "3 replicas / 1 replica: upstream requests", "3 replicas / 1 replica: dashboard wall time"
	fail := func(err error) []figure {
		return []figure{failed(reqName, "= 1.00", err), failed(wallName, "<= 1.10", err)}
	}
	rs, err := redisserver.Start()
	if err != nil {
		return fail(err)
	}
	defer rs.Stop()
	cfg := locussim.DefaultConfig()
	cfg.Latency = wallLatency
	o := newOrigin(cfg)
	defer o.Close()
	root, err := moduleRoot()
	if err != nil {
		return fail(err)
	}
	dir, err := os.MkdirTemp("", "locus-bench-ha-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(dir)
	bin, err := pluginhost.Build(root, dir)
	if err != nil {
		return fail(err)
	}
	hosts := make([]*pluginhost.Host, 3)
	for i := range hosts {
		if hosts[i], err = pluginhost.Start(bin); err != nil {
			return fail(err)
		}
		defer hosts[i].Close()
	}
	ctxOf := func(uid string) backend.PluginContext {
		js, _ := json.Marshal(map[string]any{
			"baseUrl": o.URL(), "partnerId": locussim.DefaultPartnerID,
			"username": locussim.DefaultUsername, "clientId": locussim.DefaultClientID,
			"sharedStateUrl": rs.URL(),
		})
		secure := map[string]string{"password": locussim.DefaultPassword, "clientSecret": locussim.DefaultClientSecret}
		return pluginhost.DataSourceContext(plugin.PluginID, uid, js, secure, time.Now())
	}
	now := time.Now()
	ds, err := pickSites(o.sim.Fleet(), now)
	if err != nil {
		return fail(err)
	}
	panels := buildDashboard(ds, now)
	// load opens the dashboard on the given replicas at once (a fresh data
	// source uid: cold caches, local and shared).
	load := func(uid string, replicas []*pluginhost.Host) (requests int, wall time.Duration, tooMany int, err error) {
		o.reset()
		pctx := ctxOf(uid)
		errs := make([]error, len(replicas))
		start := time.Now()
		var wg sync.WaitGroup
		for i, h := range replicas {
			wg.Go(func() { errs[i] = loadDashboard(ctx, binaryQuerier{host: h, pctx: pctx}, panels) })
		}
		wg.Wait()
		if d := o.duplicates(); len(d) > 0 {
			fmt.Printf("  %s: duplicate upstream requests: %v\n", uid, d)
		}
		return o.requests(), time.Since(start), o.sim.Stats().ByStatus[429], errors.Join(errs...)
	}
	r1, w1, t1, err := load("bench-ha-one", hosts[:1])
	if err != nil {
		return fail(err)
	}
	lines1 := o.log()
	r3, w3, t3, err := load("bench-ha-three", hosts)
	if err != nil {
		return fail(err)
	}
	if r3 != r1 {
		fmt.Printf("  requests of 3 replicas not made by 1: %v\n  requests of 1 not made by 3: %v\n", missing(o.log(), lines1), missing(lines1, o.log()))
	}
	req := equalTo(reqName, float64(r3)/float64(r1), 1, "")
	req.Note = fmt.Sprintf("%d upstream requests on 3 replicas, %d on 1", r3, r1)
	wall := atMost(wallName, float64(w3)/float64(w1), 1.10, "")
	wall.Note = fmt.Sprintf("%.0f ms on 3 replicas, %.0f ms on 1 (50 ms per upstream request)", ms(w3), ms(w1))
	fmt.Println("  " + req.Note + "; " + wall.Note)
	return []figure{req, wall, equalTo("HTTP 429 answers with 3 replicas", float64(t1+t3), 0, "")}
}

// missing lists the lines of a that b lacks (counting repeats).
func missing(a, b []string) []string {
	have := map[string]int{}
	for _, l := range b {
		have[l]++
	}
	var out []string
	for _, l := range a {
		if have[l] > 0 {
			have[l]--
			continue
		}
		out = append(out, l)
	}
	return out
}
