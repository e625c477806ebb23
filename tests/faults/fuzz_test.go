package faults

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// FuzzHostQuery sends arbitrary query JSON, ranges, intervals and point
// budgets through the host datasource to the simulator over HTTP: the host
// never panics or fails the whole request, every query gets frames or an
// error with a status, and no error shows the password or client secret.
func FuzzHostQuery(f *testing.F) {
	o := newOrigin(f, nil)
	d := newHost(f, settingsFor(o, nil, nil), fastRetries(1))
	for _, q := range badQueries {
		f.Add(strings.NewReplacer("{site}", "3390001", "{inverter}", "20000002").Replace(q.js), int64(1748736000000), int64(86400000), int64(3600000), int64(1000))
	}
	for _, p := range dashboard(f, o) {
		f.Add(p.JSON, p.From.UnixMilli(), p.To.Sub(p.From).Milliseconds(), p.Interval.Milliseconds(), p.MaxDP)
	}
	f.Fuzz(func(t *testing.T, js string, fromMs, spanMs, intervalMs, maxDP int64) {
		// Keep each execution bounded: at most a year of range, ranges in the past.
		from := time.UnixMilli(1_600_000_000_000 + fromMs%100_000_000_000)
		to := from.Add(time.Duration(spanMs%(366*86400000)) * time.Millisecond)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{
			RefID: "A", JSON: json.RawMessage(js), TimeRange: backend.TimeRange{From: from, To: to},
			Interval: time.Duration(intervalMs) * time.Millisecond, MaxDataPoints: maxDP,
		}}}
		resp, err := d.QueryData(ctx, req)
		if err != nil {
			t.Fatalf("QueryData failed the whole request: %v", err)
		}
		r, ok := resp.Responses["A"]
		if !ok {
			t.Fatal("no response for the query")
		}
		if r.Error != nil {
			if r.Status == 0 {
				t.Errorf("error without a status: %v", r.Error)
			}
			msg := r.Error.Error()
			if strings.Contains(msg, testPassword) || strings.Contains(msg, testClientSecret) {
				t.Fatalf("the error shows a secret: %s", msg)
			}
			if strings.Contains(msg, "panic") || strings.Contains(msg, "internal error") {
				t.Errorf("the engine failed internally on this input: %s", msg)
			}
		}
	})
}
