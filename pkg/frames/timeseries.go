package frames

import (
	"time"
	"unsafe"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// TimeFieldName is the name of every frame's time column.
const TimeFieldName = "time"

// timeSeriesMeta marks a frame as data plane timeseries-multi.
func timeSeriesMeta() *data.FrameMeta {
	return &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
}

// TimeSeries builds one timeseries-multi frame per field of s: a UTC time
// column and a value column (float64, or nullable *float64 when the column
// has a null: most columns have none, and a column without a pointer per
// value costs the garbage collector nothing to scan) labelled with site, site_id,
// component, component_id (component level only), field, aggregation and
// source, with the field's Grafana unit and a display name from alias (or
// the default name). Fields missing from s come back as all-null columns.
//
// All frames share one time field: treat the frames as read-only.
func TimeSeries(s *locus.Series, fields []string, cat *locus.Catalog, names EntityNames, alias string) data.Frames {
	return TimeSeriesRuns(locus.WholeSeries(s), fields, cat, names, alias)
}

// TimeSeriesRuns is TimeSeries over the rows of r (nil: no rows), copied
// once, straight into the frames: a nullable column's pointers point into
// the runs' own value arrays (read-only, like every series), so a stitched
// year of 5-minute data is never copied into one Series first.
func TimeSeriesRuns(r *locus.Runs, fields []string, cat *locus.Catalog, names EntityNames, alias string) data.Frames {
	if r == nil {
		r = &locus.Runs{}
	}
	n := r.Len()
	timeField := utcTimeField(r, n)
	out := make(data.Frames, 0, len(fields))
	for _, f := range fields {
		info := fieldOf(cat, f)
		vf := valueField(f, seriesLabels(names, info), r, n)
		vf.Config = &data.FieldConfig{
			Unit:              GrafanaUnit(info.Unit),
			DisplayNameFromDS: displayName(alias, names, info),
		}
		frame := data.NewFrame("", timeField, vf)
		frame.Meta = timeSeriesMeta()
		out = append(out, frame)
	}
	return out
}

// utcTimeField is the n times of r as a time field, in UTC.
func utcTimeField(r *locus.Runs, n int) *data.Field {
	f := filledField(data.FieldTypeTime, n, func(col []time.Time) {
		i := 0
		for _, p := range r.Parts {
			for _, t := range p.S.Times[p.Start:p.End] {
				col[i] = t.UTC()
				i++
			}
		}
	})
	f.Name = TimeFieldName
	return f
}

// filledField is a field of n values of type ft (whose Go element type is
// T) filled by fill, in place in the field's own array: no interface call
// per value, and no second copy. Should a future SDK not hold a field's
// values in one array, fill gets a slice of its own and the field is
// built from it (the SDK copies it then).
func filledField[T any](ft data.FieldType, n int, fill func(col []T)) *data.Field {
	f := data.NewFieldFromFieldType(ft, n)
	if col := fieldSlice[T](f); col != nil || n == 0 {
		fill(col)
		return f
	}
	col := make([]T, n)
	fill(col)
	return data.NewField("", nil, col)
}

// fieldSlice is the field's own backing array of T (time.Time, *float64,
// ...); nil when the field is empty or does not hold its values in one
// array (checked: the last element's address must follow the first's).
func fieldSlice[T any](f *data.Field) []T {
	n := f.Len()
	if n == 0 {
		return nil
	}
	first, ok1 := f.PointerAt(0).(*T)
	last, ok2 := f.PointerAt(n - 1).(*T)
	if !ok1 || !ok2 {
		return nil
	}
	col := unsafe.Slice(first, n)
	if &col[n-1] != last {
		return nil
	}
	return col
}

// valueField is field f over the n rows of r: float64 when every row has
// a value; otherwise nullable (a null where a row has none, or where a
// column is short or absent from the response), its pointers pointing into
// the runs' value arrays: one pointer slice, no allocation per value.
func valueField(name string, labels data.Labels, r *locus.Runs, n int) *data.Field {
	var f *data.Field
	if !r.HasNulls(name) {
		f = filledField(data.FieldTypeFloat64, n, func(col []float64) {
			i := 0
			for _, p := range r.Parts {
				i += copy(col[i:], p.S.Values[name].Values[p.Start:p.End])
			}
		})
	} else {
		f = filledField(data.FieldTypeNullableFloat64, n, func(ptrs []*float64) {
			i := 0
			for _, p := range r.Parts {
				c := p.S.Values[name]
				for j := p.Start; j < p.End; j, i = j+1, i+1 {
					if j < c.Len() && (c.Valid == nil || c.Valid[j]) {
						ptrs[i] = &c.Values[j]
					}
				}
			}
		})
	}
	f.Name, f.Labels = name, labels
	return f
}

// seriesLabels are the dimensions of one series; component labels only for
// component-level data so site series and component series stay distinct.
// Empty values are left out (an empty label means no label to Grafana).
func seriesLabels(names EntityNames, info locus.Field) data.Labels {
	l := make(data.Labels, 7)
	set := func(k, v string) {
		if v != "" {
			l[k] = v
		}
	}
	set("site", names.SiteName)
	set("site_id", idString(names.SiteID))
	if names.ComponentID != 0 {
		set("component", names.ComponentName)
		set("component_id", idString(names.ComponentID))
	}
	set("field", info.ShortName)
	set("aggregation", info.Aggregation)
	set("source", info.Source)
	return l
}
