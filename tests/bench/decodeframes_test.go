package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

// benchNow is the fixed clock of the engine benchmarks.
var benchNow = time.Date(2025, 11, 20, 15, 7, 30, 0, time.UTC)

// tenFields are ten inverter fields: one year of them at 5 minutes is about 1 M values.
var tenFields = []string{"W_avg", "W_max", "W_min", "Wh_sum", "A_avg", "Hz_avg", "PF_avg", "VA_avg", "VAR_avg", "PhV_avg"}

// yearEngine is a query engine on a real locus client whose data responses
// are replayed from memory and never cached, so every query decodes every
// chunk again; metadata (component, site list, dataavailable) stays cached.
func yearEngine(tb testing.TB, gzip bool) (*query.Engine, *backend.QueryDataRequest) {
	tb.Helper()
	cfg := locussim.DefaultConfig()
	cfg.Now = func() time.Time { return benchNow }
	sim := locussim.New(cfg)
	site := sim.Fleet().FindSite(cfg.PartnerID, func(s *locussim.Site) bool {
		return s.HasTypes(locussim.NodeInverter) && s.Startup.Before(benchNow.AddDate(-1, -1, 0))
	})
	if site == nil {
		tb.Fatal("no site with an inverter and a year of history")
	}
	inv := site.ComponentsOfType(locussim.NodeInverter)[0]
	api, err := locus.New(locus.Config{
		BaseURL: "http://locus.invalid", PartnerID: cfg.PartnerID, Username: cfg.Username, Password: cfg.Password,
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Now: cfg.Now,
		Transport:   &replayTransport{next: sim.RoundTripper(), gzip: gzip, recorded: map[string]recorded{}},
		PastDataTTL: -1, RecentDataTTL: -1,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(api.Close)
	eng := query.NewEngine(api, query.Options{Now: cfg.Now})
	fields, _ := json.Marshal(tenFields)
	to := benchNow.Truncate(24 * time.Hour)
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", QueryType: "timeseries",
		JSON:     json.RawMessage(fmt.Sprintf(`{"queryType":"timeseries","entityType":"component","componentId":"%d","fields":%s,"granularity":"5min"}`, inv.ID, fields)),
		Interval: 5 * time.Minute, MaxDataPoints: 200000,
		TimeRange: backend.TimeRange{From: to.AddDate(-1, 0, 0), To: to},
	}}}
	return eng, req
}

// runYear runs the query and checks it gave ten frames of a year of 5-minute rows.
func runYear(tb testing.TB, eng *query.Engine, req *backend.QueryDataRequest) data.Frames {
	resp, err := eng.QueryData(context.Background(), req)
	if err != nil {
		tb.Fatal(err)
	}
	r := resp.Responses["A"]
	if r.Error != nil {
		tb.Fatal(r.Error)
	}
	if len(r.Frames) != len(tenFields) || r.Frames[0].Rows() < 365*288 {
		tb.Fatalf("%d frames of %d rows, want %d frames of a year of 5-minute rows", len(r.Frames), r.Frames[0].Rows(), len(tenFields))
	}
	return r.Frames
}

// frameBytes is the frames' own size: the time column once (the frames
// share it), and per value column its pointers plus the values they point to.
func frameBytes(fs data.Frames) (bytes, values int) {
	bytes = fs[0].Rows() * 24
	for _, f := range fs {
		col := f.Fields[1]
		bytes += col.Len() * 8
		for i := 0; i < col.Len(); i++ {
			if _, ok := col.ConcreteAt(i); ok {
				bytes += 8
				values++
			}
		}
	}
	return bytes, values
}

// BenchmarkDecodeFramesYear5Min10Fields is one year of 5-minute data for ten
// fields of an inverter (about 1 M values) through the real engine: twelve
// 31-day Locus data responses read and decoded by the locus client,
// stitched, and built into data frames. The responses are the simulator's,
// replayed from memory (gzip as Locus sends them, and identity); upstream
// time is excluded. Reports the frames' own size, and the process CPU time
// per op (robust to a busy machine, unlike ns/op); run it with -cpu 1
// (issue 6: <= 250 ms/op on one core, allocated bytes <= 3 x frame-bytes).
func BenchmarkDecodeFramesYear5Min10Fields(b *testing.B) {
	for _, enc := range []struct {
		name string
		gzip bool
	}{{"gzip", true}, {"identity", false}} {
		b.Run(enc.name, func(b *testing.B) {
			eng, req := yearEngine(b, enc.gzip)
			fb, values := frameBytes(runYear(b, eng, req)) // records the responses
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, cpuOK := processCPU()
			n := 0
			for b.Loop() {
				runYear(b, eng, req)
				n++
			}
			if cpu1, ok := processCPU(); cpuOK && ok && n > 0 {
				// CPU time per op: what the op costs on one core, whatever
				// else the machine is running at the time.
				b.ReportMetric(float64(cpu1-cpu0)/float64(n)/1e6, "cpu-ms/op")
			}
			b.ReportMetric(float64(fb), "frame-bytes")
			b.ReportMetric(float64(values), "values")
		})
	}
}

func TestFrameBytesCountsSharedTimeOnce(t *testing.T) {
	times := []time.Time{benchNow, benchNow.Add(time.Minute)}
	v := 1.0
	tf := data.NewField("time", nil, times)
	fs := data.Frames{
		data.NewFrame("", tf, data.NewField("a", nil, []*float64{&v, nil})),
		data.NewFrame("", tf, data.NewField("b", nil, []*float64{&v, &v})),
	}
	got, values := frameBytes(fs)
	if want := 2*24 + 2*(2*8) + 3*8; got != want || values != 3 {
		t.Fatalf("frameBytes = %d, %d values; want %d, 3", got, values, want)
	}
}
