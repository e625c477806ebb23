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
	f := data.NewFieldFromFieldType(data.FieldTypeTime, n)
	f.Name = TimeFieldName
	col := fieldSlice[time.Time](f)
	i := 0
	for _, p := range r.Parts {
		for _, t := range p.S.Times[p.Start:p.End] {
			if col != nil {
				col[i] = t.UTC()
			} else {
				f.Set(i, t.UTC())
			}
			i++
		}
	}
	return f
}

// fieldSlice is the field's own backing array of T (time.Time, *float64,
// ...) to fill in place, without an interface call per value; nil when
// the field is empty or, in some future SDK, does not hold its values in
// one array (checked: the last element's address must follow the first's),
// and the caller then goes through Set.
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
	if !r.HasNulls(name) {
		f := data.NewFieldFromFieldType(data.FieldTypeFloat64, n)
		f.Name, f.Labels = name, labels
		col := fieldSlice[float64](f)
		i := 0
		for _, p := range r.Parts {
			for _, v := range p.S.Values[name].Values[p.Start:p.End] {
				if col != nil {
					col[i] = v
				} else {
					f.Set(i, v)
				}
				i++
			}
		}
		return f
	}
	f := data.NewFieldFromFieldType(data.FieldTypeNullableFloat64, n)
	f.Name, f.Labels = name, labels
	ptrs := fieldSlice[*float64](f)
	i := 0
	for _, p := range r.Parts {
		c := p.S.Values[name]
		for j := p.Start; j < p.End; j, i = j+1, i+1 {
			if j >= c.Len() || (c.Valid != nil && !c.Valid[j]) {
				continue
			}
			if ptrs != nil {
				ptrs[i] = &c.Values[j]
			} else {
				f.Set(i, &c.Values[j])
			}
		}
	}
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
