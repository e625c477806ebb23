package testkit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Rows counts the rows of every frame of a response.
func Rows(r backend.DataResponse) int {
	n := 0
	for _, f := range r.Frames {
		if l, err := f.RowLen(); err == nil {
			n += l
		}
	}
	return n
}

// Notices joins a frame's notices, one a line.
func Notices(f *data.Frame) string {
	if f.Meta == nil {
		return ""
	}
	var b []string
	for _, n := range f.Meta.Notices {
		b = append(b, n.Text)
	}
	return strings.Join(b, "\n")
}

// Values returns the values of a frame's first float field (float64 or
// nullable *float64), nil where a value is null.
func Values(t testing.TB, f *data.Frame) []*float64 {
	t.Helper()
	for _, fl := range f.Fields {
		if fl.Type() == data.FieldTypeNullableFloat64 || fl.Type() == data.FieldTypeFloat64 {
			out := make([]*float64, fl.Len())
			for i := range out {
				v, err := fl.NullableFloatAt(i)
				if err != nil {
					t.Fatal(err)
				}
				out[i] = v
			}
			return out
		}
	}
	t.Fatalf("frame %q has no float field", f.Name)
	return nil
}

// Times returns a frame's first time field.
func Times(t testing.TB, f *data.Frame) []time.Time {
	t.Helper()
	for _, fl := range f.Fields {
		if fl.Type() == data.FieldTypeTime {
			out := make([]time.Time, fl.Len())
			for i := range out {
				out[i] = fl.At(i).(time.Time)
			}
			return out
		}
	}
	t.Fatalf("frame %q has no time field", f.Name)
	return nil
}

// Field returns the field of f named name (a frame's value fields are named
// by their Locus field), failing the test if there is none.
func Field(t testing.TB, f *data.Frame, name string) *data.Field {
	t.Helper()
	for _, fl := range f.Fields {
		if fl.Name == name {
			return fl
		}
	}
	t.Fatalf("frame %q has no field %q", f.Name, name)
	return nil
}

// CustomMeta returns a frame's meta custom object as JSON keys (whatever
// type the producer used), nil when there is none.
func CustomMeta(t testing.TB, f *data.Frame) map[string]any {
	t.Helper()
	if f.Meta == nil || f.Meta.Custom == nil {
		return nil
	}
	raw, err := json.Marshal(f.Meta.Custom)
	if err != nil {
		t.Fatalf("frame %q: meta custom: %v", f.Name, err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("frame %q: meta custom is not an object: %s", f.Name, raw)
	}
	return m
}
