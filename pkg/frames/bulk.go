package frames

import (
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// BulkTable builds the fleet table of partner bulk data: one row per site
// and month (only each site's newest month when latestMonthOnly) with
// site_id, site, latitude, longitude, time and one column per field. Rows
// are ordered by site name, then id, then month. Sites missing from sites
// keep their id and an empty name.
func BulkTable(series []locus.Series, fields []string, cat map[string]FieldInfo, sites map[int64]locus.Site, latestMonthOnly bool) *data.Frame {
	order := bulkOrder(series, sites)
	rows := 0
	for _, i := range order {
		if latestMonthOnly {
			rows += min(1, len(series[i].Times))
		} else {
			rows += len(series[i].Times)
		}
	}
	ids := make([]int64, 0, rows)
	names := make([]string, 0, rows)
	lats := make([]*float64, 0, rows)
	lons := make([]*float64, 0, rows)
	months := make([]time.Time, 0, rows)
	cols := make([][]*float64, len(fields))
	for j := range cols {
		cols[j] = make([]*float64, 0, rows)
	}
	for _, i := range order {
		s := &series[i]
		site := sites[s.ID]
		first := 0
		if latestMonthOnly && len(s.Times) > 0 {
			first = len(s.Times) - 1
		}
		for r := first; r < len(s.Times); r++ {
			ids = append(ids, s.ID)
			names = append(names, site.Name)
			lats = append(lats, site.Latitude)
			lons = append(lons, site.Longitude)
			months = append(months, s.Times[r].UTC())
			for j, f := range fields {
				var v *float64
				if x, ok := s.Values[f].At(r); ok {
					v = &x
				}
				cols[j] = append(cols[j], v)
			}
		}
	}
	frame := data.NewFrame("bulk",
		data.NewField("site_id", nil, ids),
		data.NewField("site", nil, names),
		data.NewField("latitude", nil, lats),
		data.NewField("longitude", nil, lons),
		data.NewField(TimeFieldName, nil, months),
	)
	frame.Fields[4].Config = &data.FieldConfig{DisplayNameFromDS: "month"}
	for j, f := range fields {
		info := lookup(cat, f)
		vf := data.NewField(f, nil, cols[j])
		vf.Config = &data.FieldConfig{Unit: GrafanaUnit(info.Unit), DisplayNameFromDS: fieldTitle(info)}
		frame.Fields = append(frame.Fields, vf)
	}
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	return frame
}

// BulkTimeSeries builds one timeseries-multi frame per site and field of
// partner bulk data, in the same order as BulkTable.
func BulkTimeSeries(series []locus.Series, fields []string, cat map[string]FieldInfo, sites map[int64]locus.Site, alias string) data.Frames {
	out := make(data.Frames, 0, len(series)*len(fields))
	for _, i := range bulkOrder(series, sites) {
		s := &series[i]
		names := EntityNames{SiteID: s.ID, SiteName: sites[s.ID].Name}
		out = append(out, TimeSeries(s, fields, cat, names, alias)...)
	}
	return out
}

// bulkOrder sorts series indexes by site name in natural order ("Garage 9"
// before "Garage 33"), then site id.
func bulkOrder(series []locus.Series, sites map[int64]locus.Site) []int {
	order := make([]int, len(series))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		sa, sb := series[order[a]].ID, series[order[b]].ID
		if c := NaturalCompare(sites[sa].Name, sites[sb].Name); c != 0 {
			return c < 0
		}
		return sa < sb
	})
	return order
}

// fieldTitle is a column title: "<longName> (<aggregation>)".
func fieldTitle(info FieldInfo) string {
	return DefaultDisplayName(EntityNames{}, info)
}
