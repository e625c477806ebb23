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
// column and a nullable value column labelled with site, site_id,
// component, component_id (component level only), field, aggregation and
// source, with the field's Grafana unit and a display name from alias (or
// the default name). Fields missing from s come back as all-null columns.
//
// All frames share one time field: treat the frames as read-only.
func TimeSeries(s *locus.Series, fields []string, cat map[string]FieldInfo, names EntityNames, alias string) data.Frames {
	var times []time.Time
	if s != nil {
		times = s.Times
	}
	timeField := utcTimeField(times)
	out := make(data.Frames, 0, len(fields))
	for _, f := range fields {
		info := lookup(cat, f)
		var values []*float64
		if s != nil {
			values = s.Values[f]
		}
		vf := data.NewField(f, seriesLabels(names, info), fitLength(values, len(times)))
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

// fitLength returns values if it has n entries; otherwise (a field absent
// from the response, or a malformed series) a column of length n holding
// what values has, padded with nulls.
func fitLength(values []*float64, n int) []*float64 {
	if len(values) == n && values != nil {
		return values
	}
	out := make([]*float64, n)
	copy(out, values)
	return out
}

// seriesLabels are the dimensions of one series; component labels only for
// component-level data so site series and component series stay distinct.
// Empty values are left out (an empty label means no label to Grafana).
func seriesLabels(names EntityNames, info FieldInfo) data.Labels {
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
