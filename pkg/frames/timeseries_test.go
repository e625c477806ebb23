package frames

import (
	"math/rand"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

func TestTimeSeriesShape(t *testing.T) {
	cat := locus.NewCatalog(sampleBaseFields())
	s := sampleSeries()
	names := EntityNames{SiteID: 101, SiteName: "Sunny Acres", ComponentID: 54369, ComponentName: "Inverter 1"}
	fs := TimeSeries(s, []string{"W_avg", "Wh_sum", "Missing_x"}, cat, names, "")
	if len(fs) != 3 {
		t.Fatalf("%d frames, want one per field (3)", len(fs))
	}
	for _, f := range fs {
		if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesMulti {
			t.Fatalf("frame meta %+v, want timeseries-multi", f.Meta)
		}
		if kind := f.TimeSeriesSchema().Type; kind != data.TimeSeriesTypeWide {
			t.Errorf("frame is not a valid time series (schema %v)", kind)
		}
		if f.Fields[0].Len() != len(s.Times) || f.Fields[1].Len() != len(s.Times) {
			t.Errorf("column lengths %d/%d, want %d", f.Fields[0].Len(), f.Fields[1].Len(), len(s.Times))
		}
		for i := range s.Times {
			tm := f.Fields[0].At(i).(time.Time)
			if tm.Location() != time.UTC || !tm.Equal(s.Times[i]) {
				t.Errorf("time %d = %v, want %v in UTC", i, tm, s.Times[i])
			}
		}
	}
	w := fs[0].Fields[1]
	if w.Labels["component_id"] != "54369" || w.Labels["site_id"] != "101" || w.Labels["aggregation"] != "avg" || w.Labels["source"] != "Measured" {
		t.Errorf("labels %v", w.Labels)
	}
	if w.Config.Unit != "watt" || w.Config.DisplayNameFromDS != "Sunny Acres Inverter 1 AC Power (avg)" {
		t.Errorf("config %+v", w.Config)
	}
	if fs[1].Fields[1].Config.Unit != "watth" {
		t.Errorf("Wh_sum unit %q, want watth", fs[1].Fields[1].Config.Unit)
	}
	for i := range s.Times {
		if fs[2].Fields[1].At(i).(*float64) != nil {
			t.Errorf("a field absent from the response must be all null, row %d is not", i)
		}
	}
	// A column with a null is nullable; the values are the series'.
	if w.Type() != data.FieldTypeNullableFloat64 || w.At(1).(*float64) != nil || *w.At(2).(*float64) != 12.5 {
		t.Errorf("W_avg column %v: want nullable with null at 1 and 12.5 at 2", w.Type())
	}
	// Input times keep their offsets: the builder must not modify the series.
	if _, off := s.Times[0].Zone(); off != -7*3600 {
		t.Error("TimeSeries modified the series' times")
	}
}

func TestTimeSeriesSiteLevelHasNoComponentLabels(t *testing.T) {
	fs := TimeSeries(sampleSeries(), []string{"W_avg"}, nil, EntityNames{SiteID: 5, SiteName: "S"}, "")
	l := fs[0].Fields[1].Labels
	if _, ok := l["component"]; ok {
		t.Errorf("site-level labels %v must not carry component", l)
	}
	if _, ok := l["component_id"]; ok {
		t.Errorf("site-level labels %v must not carry component_id", l)
	}
	if _, ok := l["aggregation"]; ok {
		t.Errorf("a field missing from the catalog has no aggregation label, got %v", l)
	}
	if got := fs[0].Fields[1].Config.Unit; got != "none" {
		t.Errorf("unknown field unit %q, want none", got)
	}
}

func TestTimeSeriesDistinctLabelsPerEntity(t *testing.T) {
	// Alert rules need one instance per component: the label sets of two
	// components of one site must differ.
	a := TimeSeries(sampleSeries(), []string{"W_avg"}, nil, EntityNames{SiteID: 1, SiteName: "S", ComponentID: 10, ComponentName: "Inv"}, "")
	b := TimeSeries(sampleSeries(), []string{"W_avg"}, nil, EntityNames{SiteID: 1, SiteName: "S", ComponentID: 11, ComponentName: "Inv"}, "")
	if a[0].Fields[1].Labels.String() == b[0].Fields[1].Labels.String() {
		t.Errorf("two components share labels %v", a[0].Fields[1].Labels)
	}
}

func TestTimeSeriesDegenerateInputs(t *testing.T) {
	fs := TimeSeries(nil, []string{"W_avg"}, nil, EntityNames{}, "{{field}}")
	if len(fs) != 1 || fs[0].Rows() != 0 {
		t.Fatalf("nil series: %d frames, want one empty frame", len(fs))
	}
	if got := fs[0].Fields[1].Config.DisplayNameFromDS; got != "W_avg" {
		t.Errorf("alias on empty series = %q", got)
	}
	short := &locus.Series{Times: []time.Time{time.Unix(0, 0), time.Unix(60, 0)}, Values: cols(map[string][]*float64{"W_avg": {f64(1)}})}
	fs = TimeSeries(short, []string{"W_avg"}, nil, EntityNames{}, "")
	if fs[0].Fields[1].Len() != 2 || fs[0].Fields[1].At(1).(*float64) != nil {
		t.Error("a short value column must be padded with nulls to the time column's length")
	}
	if fs := TimeSeries(sampleSeries(), nil, nil, EntityNames{}, ""); len(fs) != 0 {
		t.Errorf("no fields: %d frames, want 0", len(fs))
	}
}

func TestLatest(t *testing.T) {
	cat := locus.NewCatalog(sampleBaseFields())
	s := &locus.Series{
		Times:  []time.Time{time.Date(2024, 6, 1, 12, 0, 0, 0, pdt), time.Date(2024, 6, 1, 12, 5, 0, 0, pdt)},
		Values: cols(map[string][]*float64{"W_avg": {f64(10), nil}}),
	}
	points := []LatestPoint{
		{Names: EntityNames{SiteID: 1, SiteName: "S", ComponentID: 10, ComponentName: "Inv 1"}, Series: s},
		{Names: EntityNames{SiteID: 1, SiteName: "S", ComponentID: 11, ComponentName: "Inv 2"}},
	}
	fs := Latest(points, []string{"W_avg"}, cat, "{{component}}")
	if len(fs) != 2 {
		t.Fatalf("%d frames, want one per component and field", len(fs))
	}
	first := fs[0]
	if first.Meta.Type != data.FrameTypeNumericMulti || first.Rows() != 1 || first.Fields[0].Type() != data.FieldTypeNullableFloat64 {
		t.Fatalf("frame %v is not numeric-multi with one value first", first.Meta.Type)
	}
	for i, fld := range first.Fields[1:] {
		if fld.Type().Numeric() {
			t.Errorf("field %d after the value is numeric; numeric-multi allows one value field", i+1)
		}
	}
	if v := first.Fields[0].At(0).(*float64); v == nil || *v != 10 {
		t.Errorf("latest value %v, want the newest non-null (10)", v)
	}
	if at := first.Fields[1].At(0).(*time.Time); at == nil || !at.Equal(time.Date(2024, 6, 1, 19, 0, 0, 0, time.UTC)) || at.Location() != time.UTC {
		t.Errorf("latest time %v, want 2024-06-01T19:00:00Z", at)
	}
	if got := first.Meta.Custom.(map[string]string)["time"]; got != "2024-06-01T19:00:00Z" {
		t.Errorf("latest meta time %q, want 2024-06-01T19:00:00Z", got)
	}
	if fs[1].Meta.Custom != nil {
		t.Errorf("no value, no meta time: got %v", fs[1].Meta.Custom)
	}
	if first.Fields[0].Config.DisplayNameFromDS != "Inv 1" || first.Fields[0].Config.Unit != "watt" {
		t.Errorf("config %+v", first.Fields[0].Config)
	}
	if v := fs[1].Fields[0].At(0).(*float64); v != nil {
		t.Errorf("component without data: %v, want null", *v)
	}
}

// TestTimeSeriesPreservesEveryValue builds frames from random series and
// checks every cell against the input: same times (in UTC), same values and
// nulls, one frame per field, whatever the field count and length.
func TestTimeSeriesPreservesEveryValue(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 50; round++ {
		rows, nf := rng.Intn(300), 1+rng.Intn(5)
		loc := time.FixedZone("", (rng.Intn(27)-12)*1800)
		s := &locus.Series{ID: 1, Times: make([]time.Time, rows), Values: map[string]locus.Column{}}
		want := map[string][]*float64{}
		nulls := round%3 != 0 // every third round has no null: float64 columns
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, loc)
		for i := range s.Times {
			s.Times[i] = start.Add(time.Duration(i) * 15 * time.Minute)
		}
		fields := make([]string, nf)
		for f := range fields {
			fields[f] = string(rune('A'+f)) + "_avg"
			col := make([]*float64, rows)
			for i := range col {
				if !nulls || rng.Intn(4) > 0 {
					col[i] = f64(rng.NormFloat64() * 1000)
				}
			}
			want[fields[f]] = col
			s.Values[fields[f]] = locus.ColumnOf(col)
		}
		fs := TimeSeries(s, fields, nil, EntityNames{SiteID: 1, SiteName: "S"}, "")
		if len(fs) != nf {
			t.Fatalf("%d frames for %d fields", len(fs), nf)
		}
		for f, fr := range fs {
			want := want[fields[f]]
			hasNull := false
			for _, v := range want {
				hasNull = hasNull || v == nil
			}
			if wantType := map[bool]data.FieldType{false: data.FieldTypeFloat64, true: data.FieldTypeNullableFloat64}[hasNull]; fr.Fields[1].Type() != wantType {
				t.Fatalf("round %d field %d: %s column, want %s (nulls: %v)", round, f, fr.Fields[1].Type(), wantType, hasNull)
			}
			for i := 0; i < rows; i++ {
				if tm := fr.Fields[0].At(i).(time.Time); !tm.Equal(s.Times[i]) || tm.Location() != time.UTC {
					t.Fatalf("round %d field %d row %d: time %v, want %v in UTC", round, f, i, tm, s.Times[i])
				}
				got, err := fr.Fields[1].NullableFloatAt(i)
				if err != nil {
					t.Fatal(err)
				}
				if (got == nil) != (want[i] == nil) || (got != nil && *got != *want[i]) {
					t.Fatalf("round %d field %d row %d: value %v, want %v", round, f, i, got, want[i])
				}
			}
		}
	}
}
