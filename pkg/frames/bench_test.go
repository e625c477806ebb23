package frames

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// yearOf5Min is one year of 5-minute data for n fields as the client
// decodes it: offset timestamps and one *float64 per non-null value.
func yearOf5Min(n int) (*locus.Series, []string) {
	loc := time.FixedZone("", -8*3600)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, loc)
	rows := 366 * 288
	s := &locus.Series{ID: 1, Times: make([]time.Time, rows), Values: make(map[string]locus.Column, n)}
	for i := range s.Times {
		s.Times[i] = start.Add(time.Duration(i) * 5 * time.Minute)
	}
	fields := make([]string, n)
	for f := 0; f < n; f++ {
		fields[f] = fmt.Sprintf("F%d_avg", f)
		vals := make([]*float64, rows)
		backing := make([]float64, rows)
		for i := range vals {
			if i%288 < 72 { // night: no value
				continue
			}
			backing[i] = float64(i%1000) * 1.5
			vals[i] = &backing[i]
		}
		s.Values[fields[f]] = locus.ColumnOf(vals)
	}
	return s, fields
}

// BenchmarkTimeSeriesYear5Min10Fields builds frames for about 1 M values.
// Reports the frames' own size (time column once, since it is shared, plus
// the value columns' pointer slices) and bytes allocated per op relative to it.
func BenchmarkTimeSeriesYear5Min10Fields(b *testing.B) {
	s, fields := yearOf5Min(10)
	cat := &locus.Catalog{}
	for _, f := range fields {
		cat.Add(locus.Field{ShortName: f, LongName: "AC Power", Unit: "W", Aggregation: "avg", Source: "Measured"})
	}
	names := EntityNames{SiteID: 1, SiteName: "Site", ComponentID: 2, ComponentName: "Inverter"}
	rows := len(s.Times)
	frameBytes := float64(rows*24 + len(fields)*rows*8)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		fs := TimeSeries(s, fields, cat, names, "")
		if len(fs) != len(fields) || fs[0].Rows() != rows {
			b.Fatal("wrong shape")
		}
		n++
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	perOp := float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
	b.ReportMetric(frameBytes, "frame-bytes")
	b.ReportMetric(perOp/frameBytes, "alloc/frame")
}

// BenchmarkTimeSeriesYear5Min10FieldsArrow adds what the SDK does next with
// the frames: encoding them to Arrow for the gRPC response.
func BenchmarkTimeSeriesYear5Min10FieldsArrow(b *testing.B) {
	s, fields := yearOf5Min(10)
	names := EntityNames{SiteID: 1, SiteName: "Site", ComponentID: 2, ComponentName: "Inverter"}
	b.ReportAllocs()
	for b.Loop() {
		fs := TimeSeries(s, fields, nil, names, "")
		if _, err := fs.MarshalArrow(); err != nil {
			b.Fatal(err)
		}
	}
}
