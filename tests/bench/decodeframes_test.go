package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/klauspost/compress/gzip"
	"github.com/valyala/fastjson"

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
func yearEngine(tb testing.TB, gzip bool) (*query.Engine, *backend.QueryDataRequest, *replayTransport) {
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
	replay := &replayTransport{next: sim.RoundTripper(), gzip: gzip, recorded: map[string]recorded{}}
	api, err := locus.New(locus.Config{
		BaseURL: "http://locus.invalid", PartnerID: cfg.PartnerID, Username: cfg.Username, Password: cfg.Password,
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Now: cfg.Now,
		Transport:   replay,
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
	return eng, req, replay
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
// share it), and per value column 8 bytes a row, plus for a nullable
// column its pointers' 8 bytes a row (the values they point to counted
// above).
func frameBytes(fs data.Frames) (bytes, values int) {
	bytes = fs[0].Rows() * 24
	for _, f := range fs {
		col := f.Fields[1]
		bytes += col.Len() * 8
		if col.Nullable() {
			bytes += col.Len() * 8
		}
		for i := 0; i < col.Len(); i++ {
			if _, ok := col.ConcreteAt(i); ok {
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
// (issue 14: <= 150 ms/op on one core, allocated bytes <= 2 x frame-bytes).
//
// Beside each encoding, bare-<encoding> parses the same recorded bodies
// with github.com/valyala/fastjson (gunzipped first for gzip, with the same
// gunzip the client uses) and builds nothing: the yardstick of a fast
// general JSON parser, measured in the same process right after, so the
// ratio of the two CPU times holds on a busy machine (issue 14: <= 2).
func BenchmarkDecodeFramesYear5Min10Fields(b *testing.B) {
	for _, enc := range []struct {
		name string
		gzip bool
	}{{"gzip", true}, {"identity", false}} {
		y := sharedYear(b, enc.gzip)
		b.Run(enc.name, func(b *testing.B) {
			b.ReportAllocs()
			m := startMeter()
			n := 0
			for b.Loop() {
				runYear(b, y.eng, y.req)
				n++
			}
			m.report(b, n)
			b.ReportMetric(float64(y.frameBytes), "frame-bytes")
			b.ReportMetric(float64(y.values), "values")
		})
		bodies := y.replay.dataBodies()
		b.Run("bare-"+enc.name, func(b *testing.B) {
			var p fastjson.Parser
			var plain []byte
			size := 0
			b.ReportAllocs()
			m := startMeter()
			n := 0
			for b.Loop() {
				size = 0
				for _, body := range bodies {
					text := body
					if enc.gzip {
						var err error
						if plain, err = gunzip(plain[:0], body); err != nil {
							b.Fatal(err)
						}
						text = plain
					}
					v, err := p.ParseBytes(text)
					if err != nil {
						b.Fatal(err)
					}
					size += len(text)
					if len(v.GetArray("data")) == 0 {
						b.Fatal("a recorded body has no data rows")
					}
				}
				n++
			}
			m.report(b, n)
			b.ReportMetric(float64(size), "json-bytes")
		})
	}
}

// yearSetup is one encoding's engine, query and recorded responses, with
// the frames' own size and value count.
type yearSetup struct {
	eng                *query.Engine
	req                *backend.QueryDataRequest
	replay             *replayTransport
	frameBytes, values int
}

// yearSetups holds one yearSetup per encoding for the whole process:
// every -count round measures the same engine, warm, instead of building
// a simulator and recording a year again (which churns the heap between
// rounds and makes the next round pay for fresh memory).
var yearSetups struct {
	sync.Mutex
	byGzip map[bool]*yearSetup
}

// sharedYear returns the process's yearSetup for the encoding, recording
// the responses (and so warming the engine) on first use.
func sharedYear(b *testing.B, gzip bool) *yearSetup {
	yearSetups.Lock()
	defer yearSetups.Unlock()
	if y := yearSetups.byGzip[gzip]; y != nil {
		return y
	}
	if yearSetups.byGzip == nil {
		yearSetups.byGzip = map[bool]*yearSetup{}
	}
	// Built outside b's cleanups: it lives as long as the process.
	eng, req, replay := yearEngine(processTB{b}, gzip)
	fb, values := frameBytes(runYear(b, eng, req)) // records the responses
	y := &yearSetup{eng: eng, req: req, replay: replay, frameBytes: fb, values: values}
	yearSetups.byGzip[gzip] = y
	return y
}

// processTB is a testing.TB whose cleanups never run: for what lives as
// long as the benchmark process.
type processTB struct{ testing.TB }

// Cleanup drops f: the process's exit releases what it would.
func (processTB) Cleanup(func()) {}

// meter measures a benchmark's CPU time, page faults and GC cycles per op.
type meter struct {
	cpu    time.Duration
	faults int64
	gcs    uint32
	ok     bool
}

func startMeter() meter {
	cpu, ok1 := processCPU()
	faults, ok2 := pageFaults()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return meter{cpu: cpu, faults: faults, gcs: ms.NumGC, ok: ok1 && ok2}
}

// report adds cpu-ms/op (the process's CPU time per op: what the op costs
// on one core, whatever else the machine runs at the time; the GC's work
// included), faults/op and gc/op to b's results.
func (m meter) report(b *testing.B, n int) {
	if n == 0 {
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.NumGC-m.gcs)/float64(n), "gc/op")
	cpu, ok1 := processCPU()
	faults, ok2 := pageFaults()
	if !m.ok || !ok1 || !ok2 {
		return
	}
	b.ReportMetric(float64(cpu-m.cpu)/float64(n)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(faults-m.faults)/float64(n), "faults/op")
}

// gunzip appends the decompressed body to dst.
func gunzip(dst, body []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	buf := bytes.NewBuffer(dst)
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, err
	}
	return buf.Bytes(), zr.Close()
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
	if want := 2*24 + 2*(2*8+2*8); got != want || values != 3 {
		t.Fatalf("frameBytes = %d, %d values; want %d, 3", got, values, want)
	}
	fs = append(fs, data.NewFrame("", tf, data.NewField("c", nil, []float64{1, 2})))
	got, values = frameBytes(fs)
	if want := 2*24 + 2*(2*8+2*8) + 2*8; got != want || values != 5 {
		t.Fatalf("frameBytes = %d, %d values; want %d, 5", got, values, want)
	}
}
