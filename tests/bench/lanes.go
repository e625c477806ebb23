package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

// laneLatency is the simulator's latency for the lane figures (-lane-latency).
var laneLatency = flag.Duration("lane-latency", 100*time.Millisecond, "upstream latency of the lane figures (alert and small-panel wait under a backfill)")

// laneFigures measures how long an alert-rule query and a small panel wait
// while a 30-site, 90-day, 5-minute backfill (about 90 chunk requests) runs
// on the same instance with one request in flight: each is one request for
// a site the backfill already planned, arriving at a random moment, so its
// wait is what is left of the backfill's request in flight plus its own.
// Target: at most 2 x the upstream latency (the median of the samples).
func laneFigures(ctx context.Context, sz size) []figure {
	lat := *laneLatency
	alertName := fmt.Sprintf("alert query wait under a 90-chunk backfill / latency (%s)", lat)
	panelName := fmt.Sprintf("small-panel wait under a 90-chunk backfill / latency (%s)", lat)
	cfg := locussim.DefaultConfig()
	cfg.Sites = 40
	cfg.Latency = lat
	o := newOrigin(cfg)
	defer o.Close()
	d, err := newInstance(o.URL(), "bench-lanes")
	if err != nil {
		return []figure{failed(alertName, "<= 2", err), failed(panelName, "<= 2", err)}
	}
	defer d.Dispose()
	now := time.Now()
	sites := o.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[:30]
	ids := make([]string, len(sites))
	for i, s := range sites {
		ids[i] = fmt.Sprint(s.ID)
	}
	o.reset()
	backfill := make(chan error, 1)
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_, err := queryOnce(bctx, d, nil, fmt.Sprintf(`{"siteId":"%s","fields":["W_avg"],"granularity":"5min"}`, strings.Join(ids, ",")), now.Add(-90*24*time.Hour), now)
		backfill <- err
	}()
	// Wait for the backfill to be fetching its chunks (planning done).
	for dataRequests(o) < 3 {
		select {
		case err := <-backfill:
			return []figure{failed(alertName, "<= 2", fmt.Errorf("the backfill ended early: %v", err)), failed(panelName, "<= 2", err)}
		case <-time.After(5 * time.Millisecond):
		}
	}
	// Enough samples for a median while the backfill (about 90 x latency) still runs.
	samples := min(sz.ScaleSamples, 9)
	var alertWaits, panelWaits []time.Duration
	for i := range samples {
		site := sites[(i*7)%len(sites)].ID
		for _, alert := range []bool{true, false} {
			var headers map[string]string
			if alert {
				headers = map[string]string{"FromAlert": "true"}
			}
			// Alert rules and panels arrive at any moment of the backfill's
			// request in flight, not just as one ends: a random pause first.
			time.Sleep(time.Duration(rand.Int64N(int64(lat)))) // #nosec G404 -- arrival jitter
			// A distinct range per sample, so no sample is served from the cache.
			to := now.Add(-time.Duration(i*2+btoi(alert)) * time.Hour)
			start := time.Now()
			if _, err := queryOnce(ctx, d, headers, fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"timeZoneMode":"utc"}`, site), to.Add(-time.Hour), to); err != nil {
				return []figure{failed(alertName, "<= 2", err), failed(panelName, "<= 2", err)}
			}
			if alert {
				alertWaits = append(alertWaits, time.Since(start))
			} else {
				panelWaits = append(panelWaits, time.Since(start))
			}
		}
	}
	stillRunning := len(backfill) == 0
	chunks := dataRequests(o)
	cancel()
	<-backfill
	alertMed, panelMed := medianWait(alertWaits), medianWait(panelWaits)
	note := fmt.Sprintf("median of %d samples; the backfill had made %d data requests and was %s", samples, chunks,
		map[bool]string{true: "still running", false: "finished (the figure did not measure a wait behind it)"}[stillRunning])
	fa := atMost(alertName, float64(alertMed)/float64(lat), 2, "")
	fa.Note = fmt.Sprintf("%s; alert waits %.0f..%.0f ms", note, ms(alertWaits[0]), ms(alertWaits[len(alertWaits)-1]))
	fp := atMost(panelName, float64(panelMed)/float64(lat), 2, "")
	fp.Note = fmt.Sprintf("%s; panel waits %.0f..%.0f ms", note, ms(panelWaits[0]), ms(panelWaits[len(panelWaits)-1]))
	if !stillRunning {
		fa.Pass, fp.Pass = false, false
	}
	fmt.Println("  " + fa.Note)
	fmt.Println("  " + fp.Note)
	return []figure{fa, fp}
}

// queryOnce runs one query through the instance and returns its error.
func queryOnce(ctx context.Context, d *plugin.Datasource, headers map[string]string, js string, from, to time.Time) (*backend.QueryDataResponse, error) {
	resp, err := d.QueryData(ctx, &backend.QueryDataRequest{Headers: headers, Queries: []backend.DataQuery{{
		RefID: "A", JSON: json.RawMessage(js), Interval: time.Minute, MaxDataPoints: 1000,
		TimeRange: backend.TimeRange{From: from, To: to},
	}}})
	if err != nil {
		return nil, err
	}
	if r := resp.Responses["A"]; r.Error != nil {
		return nil, r.Error
	}
	return resp, nil
}

// dataRequests counts the data requests the origin received since its reset.
func dataRequests(o *origin) int {
	st := o.sim.Stats()
	return st.Count("GET /v3/sites/{id}/data")
}

// medianWait sorts ds and returns the middle one.
func medianWait(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
