package frames

import (
	"time"

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
	var times []time.Time
	if s != nil {
		times = s.Times
	}
	timeField := utcTimeField(times)
	out := make(data.Frames, 0, len(fields))
	for _, f := range fields {
		info := fieldOf(cat, f)
		var col locus.Column
		if s != nil {
			col = s.Values[f]
		}
		vf := valueField(f, seriesLabels(names, info), col, len(times))
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

// utcTimeField copies times into a time field and converts it to UTC in place
// (one allocation: the SDK copies on construction anyway).
func utcTimeField(times []time.Time) *data.Field {
	if times == nil {
		times = []time.Time{}
	}
	f := data.NewField(TimeFieldName, nil, times)
	for i := range times {
		p := f.PointerAt(i).(*time.Time)
		*p = p.UTC()
	}
	return f
}

// valueField is a column of n values: float64 when col has n values and
// no null (the SDK copies them); otherwise nullable, holding what col has
// and padded with nulls (a field absent from the response, a malformed
// series). A nullable column's pointers point into col.Values (read-only,
// like every series column): one pointer slice, no allocation per value.
func valueField(name string, labels data.Labels, col locus.Column, n int) *data.Field {
	if col.Len() == n && !col.HasNulls() {
		return data.NewField(name, labels, col.Values)
	}
	f := data.NewFieldFromFieldType(data.FieldTypeNullableFloat64, n)
	f.Name, f.Labels = name, labels
	for i := range min(n, col.Len()) {
		if col.Valid == nil || col.Valid[i] {
			f.Set(i, &col.Values[i])
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
