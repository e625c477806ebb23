package frames

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// Frames built from runs of two chunk responses hold, by hand: the rows
// of each run in order, in UTC; a float64 column where every row has a
// value; a nullable one where a row is null, its column short, or the
// field missing from one response.
func TestTimeSeriesRunsCopiesEachRunOnce(t *testing.T) {
	pdt := time.FixedZone("", -7*3600)
	at := func(h int) time.Time { return time.Date(2025, 6, 1, h, 0, 0, 0, pdt) }
	v := func(xs ...float64) []float64 { return xs }
	a := &locus.Series{ID: 7, Times: []time.Time{at(0), at(1), at(2), at(3)}, Values: map[string]locus.Column{
		"W_avg":  {Values: v(1, 2, 3, 4)},
		"Wh_sum": {Values: v(10, 20, 30, 40), Valid: []bool{true, true, false, true}},
		"A_avg":  {Values: v(5, 6, 7, 8)},
	}}
	b := &locus.Series{ID: 7, Times: []time.Time{at(4), at(5), at(6)}, Values: map[string]locus.Column{
		"W_avg":  {Values: v(5, 6, 7)},
		"Wh_sum": {Values: v(50, 60)}, // short: row 6 has no value
	}}
	// Rows 1..2 of a (row 3 left out, say a repeated time), all of b.
	r := &locus.Runs{ID: 7, Parts: []locus.Run{{S: a, Start: 1, End: 3}, {S: b, Start: 0, End: 3}}}
	fs := TimeSeriesRuns(r, []string{"W_avg", "Wh_sum", "A_avg"}, nil, EntityNames{SiteID: 7}, "")
	wantTimes := []time.Time{at(1), at(2), at(4), at(5), at(6)}
	null := -1.0
	want := map[string][]float64{
		"W_avg":  {2, 3, 5, 6, 7},
		"Wh_sum": {20, null, 50, 60, null},
		"A_avg":  {6, 7, null, null, null}, // missing from b
	}
	for _, f := range fs {
		name := f.Fields[1].Name
		if f.Fields[0].Len() != len(wantTimes) || f.Fields[1].Len() != len(wantTimes) {
			t.Fatalf("%s: %d/%d rows, want %d", name, f.Fields[0].Len(), f.Fields[1].Len(), len(wantTimes))
		}
		for i, wt := range wantTimes {
			if got := f.Fields[0].At(i).(time.Time); !got.Equal(wt) || got.Location() != time.UTC {
				t.Errorf("%s row %d: time %v, want %v in UTC", name, i, got, wt)
			}
			got, ok := f.Fields[1].ConcreteAt(i)
			if w := want[name][i]; (w == null) == ok || (ok && got.(float64) != w) {
				t.Errorf("%s row %d = %v (%v), want %v", name, i, got, ok, w)
			}
		}
	}
	if fs[0].Fields[1].Type() != data.FieldTypeFloat64 || fs[1].Fields[1].Type() != data.FieldTypeNullableFloat64 {
		t.Errorf("W_avg %v, Wh_sum %v: want float64 (no null) and nullable", fs[0].Fields[1].Type(), fs[1].Fields[1].Type())
	}
	// The input series keep their times' offsets and values.
	if _, off := a.Times[1].Zone(); off != -7*3600 || a.Values["W_avg"].Values[1] != 2 {
		t.Error("TimeSeriesRuns modified a series it read")
	}
	// The same rows copied into one Series first give the same frames.
	same := TimeSeries(r.Series([]string{"W_avg", "Wh_sum", "A_avg"}), []string{"W_avg", "Wh_sum", "A_avg"}, nil, EntityNames{SiteID: 7}, "")
	for i := range fs {
		for row := range wantTimes {
			x, okx := fs[i].Fields[1].ConcreteAt(row)
			y, oky := same[i].Fields[1].ConcreteAt(row)
			if okx != oky || (okx && x != y) {
				t.Errorf("frame %d row %d: runs %v, copied series %v", i, row, x, y)
			}
		}
	}
}

// fieldSlice is the field's own array: what is written through it is
// what the field holds.
func TestFieldSliceWritesTheFieldsOwnArray(t *testing.T) {
	f := data.NewFieldFromFieldType(data.FieldTypeNullableFloat64, 3)
	ptrs := fieldSlice[*float64](f)
	if len(ptrs) != 3 {
		t.Fatalf("fieldSlice gave %d elements, want 3", len(ptrs))
	}
	x := 4.5
	ptrs[2] = &x
	if got := f.At(2).(*float64); got != &x || f.At(0).(*float64) != nil {
		t.Errorf("field holds %v at 2, want the pointer written", got)
	}
	if fieldSlice[float64](f) != nil {
		t.Error("fieldSlice of the wrong element type must be nil")
	}
	if fieldSlice[time.Time](data.NewFieldFromFieldType(data.FieldTypeTime, 0)) != nil {
		t.Error("fieldSlice of an empty field must be nil")
	}
}
