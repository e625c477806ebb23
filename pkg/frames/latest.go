package frames

import (
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// LatestPoint is the gran=latest response of one component.
type LatestPoint struct {
	Names  EntityNames
	Series *locus.Series
}

// Latest builds numeric-multi frames: one frame per component and field
// holding a single labelled value (null when the component reported none),
// so a stat panel shows one value per series and an alert rule gets one
// instance per component and field. The value's timestamp goes into the
// frame's meta as custom {"time": ...} for the query inspector.
func Latest(points []LatestPoint, fields []string, cat map[string]FieldInfo, alias string) data.Frames {
	out := make(data.Frames, 0, len(points)*len(fields))
	for _, p := range points {
		for _, f := range fields {
			info := lookup(cat, f)
			v, at := lastValue(p.Series, f)
			vf := data.NewField(f, seriesLabels(p.Names, info), []*float64{v})
			vf.Config = &data.FieldConfig{
				Unit:              GrafanaUnit(info.Unit),
				DisplayNameFromDS: displayName(alias, p.Names, info),
			}
			frame := data.NewFrame("", vf)
			frame.Meta = &data.FrameMeta{Type: data.FrameTypeNumericMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
			if at != "" {
				frame.Meta.Custom = map[string]string{"time": at}
			}
			out = append(out, frame)
		}
	}
	return out
}

// lastValue is the newest non-null value of field in s and its RFC 3339 UTC
// time, or nil and "" when there is none.
func lastValue(s *locus.Series, field string) (*float64, string) {
	if s == nil {
		return nil, ""
	}
	vals := s.Values[field]
	for i := min(len(vals), len(s.Times)) - 1; i >= 0; i-- {
		if vals[i] != nil {
			v := *vals[i]
			return &v, s.Times[i].UTC().Format("2006-01-02T15:04:05Z")
		}
	}
	return nil, ""
}
