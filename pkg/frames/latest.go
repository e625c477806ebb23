package frames

import (
	"time"

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
// instance per component and field. The value's timestamp follows as a
// nullable time field (data plane "remainder data") and is repeated in the
// frame meta as custom {"time": RFC 3339}.
func Latest(points []LatestPoint, fields []string, cat *locus.Catalog, alias string) data.Frames {
	out := make(data.Frames, 0, len(points)*len(fields))
	for _, p := range points {
		for _, f := range fields {
			info := fieldOf(cat, f)
			v, at := lastValue(p.Series, f)
			vf := data.NewField(f, seriesLabels(p.Names, info), []*float64{v})
			vf.Config = &data.FieldConfig{
				Unit:              GrafanaUnit(info.Unit),
				DisplayNameFromDS: displayName(alias, p.Names, info),
			}
			frame := data.NewFrame("", vf, data.NewField(TimeFieldName, nil, []*time.Time{at}))
			frame.Meta = &data.FrameMeta{Type: data.FrameTypeNumericMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
			if at != nil {
				// The engine folds this into its own custom meta for the inspector.
				frame.Meta.Custom = map[string]string{"time": at.Format(time.RFC3339)}
			}
			out = append(out, frame)
		}
	}
	return out
}

// lastValue is the newest non-null value of field in s and its UTC time,
// or nils when there is none.
func lastValue(s *locus.Series, field string) (*float64, *time.Time) {
	if s == nil {
		return nil, nil
	}
	col := s.Values[field]
	for i := min(col.Len(), len(s.Times)) - 1; i >= 0; i-- {
		if v, ok := col.At(i); ok {
			at := s.Times[i].UTC()
			return &v, &at
		}
	}
	return nil, nil
}
