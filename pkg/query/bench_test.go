package query

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// BenchmarkQueryDataYear5Min10FieldsCached measures the engine's own
// overhead for a year of 5-minute data of 10 fields (about 1 M values, 12
// chunks): decode, plan, merge, stitch and frames, with every upstream
// result already in the client's cache (upstream time excluded).
func BenchmarkQueryDataYear5Min10FieldsCached(b *testing.B) {
	e := newEnv(b, nil, nil)
	s := e.site(b, "", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), "INVERTER")
	inv := s.ComponentsOfType("INVERTER")[0]
	fields := `["W_avg","W_max","W_min","Wh_sum","A_avg","Hz_avg","PF_avg","VA_avg","VAR_avg","PhV_avg"]`
	to := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: json.RawMessage(fmt.Sprintf(`{"componentId":"%d","fields":%s,"granularity":"5min"}`, inv.ID, fields)),
		Interval: time.Minute, MaxDataPoints: 200000, TimeRange: backend.TimeRange{From: to.AddDate(-1, 0, 0), To: to},
	}}}
	warm, err := e.eng.QueryData(context.Background(), req)
	if err != nil || warm.Responses["A"].Error != nil {
		b.Fatalf("warm-up: %v %v", err, warm.Responses["A"].Error)
	}
	if n := warm.Responses["A"].Frames[0].Rows(); n < 100000 {
		b.Fatalf("warm-up returned %d rows, want a year of 5-minute buckets", n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		resp, _ := e.eng.QueryData(context.Background(), req)
		if r := resp.Responses["A"]; r.Error != nil || len(r.Frames) != 10 {
			b.Fatalf("query: %v, %d frames", r.Error, len(r.Frames))
		}
	}
}
