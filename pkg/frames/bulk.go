package frames

import (
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// NoBulkData is the note of a fleet table row for a site in scope that
// Locus returned no bulk data for (no components or fields, or not yet
// reporting): the row is kept, with null month and values, so that the
// sites an O&M team most needs to see are never missing.
const NoBulkData = "no data for this site in the range"

// BulkTable builds the fleet table of partner bulk data: one row per site
// and month (only each site's newest month when latestMonthOnly) with
// site_id, site, latitude, longitude, time (nullable), one column per field
// and note. Every site of sites appears: one without data is a single row
// with a null month, null values and note NoBulkData. Rows are ordered by
// site name, then id, then month. Series of sites missing from sites keep
// their id and an empty name.
func BulkTable(series []locus.Series, fields []string, cat *locus.Catalog, sites map[int64]locus.Site, latestMonthOnly bool) *data.Frame {
	type rowSet struct {
		id int64
		s  *locus.Series // nil: no data
	}
	var sets []rowSet
	has := make(map[int64]bool, len(series))
	rows := 0
	for i := range series {
		s := &series[i]
		if len(s.Times) == 0 {
			continue
		}
		has[s.ID] = true
		sets = append(sets, rowSet{s.ID, s})
		if latestMonthOnly {
			rows++
		} else {
			rows += len(s.Times)
		}
	}
	for id := range sites {
		if !has[id] {
			sets = append(sets, rowSet{id: id})
			rows++
		}
	}
	sort.SliceStable(sets, func(a, b int) bool {
		na, nb := sites[sets[a].id].Name, sites[sets[b].id].Name
		if na != nb {
			return na < nb
		}
		return sets[a].id < sets[b].id
	})
	ids := make([]int64, 0, rows)
	names := make([]string, 0, rows)
	lats := make([]*float64, 0, rows)
	lons := make([]*float64, 0, rows)
	months := make([]*time.Time, 0, rows)
	notes := make([]string, 0, rows)
	cols := make([][]*float64, len(fields))
	for j := range cols {
		cols[j] = make([]*float64, 0, rows)
	}
	add := func(id int64, month *time.Time, note string, value func(f string) *float64) {
		site := sites[id]
		ids = append(ids, id)
		names = append(names, site.Name)
		lats = append(lats, site.Latitude)
		lons = append(lons, site.Longitude)
		months = append(months, month)
		notes = append(notes, note)
		for j, f := range fields {
			cols[j] = append(cols[j], value(f))
		}
	}
	for _, set := range sets {
		s := set.s
		if s == nil {
			add(set.id, nil, NoBulkData, func(string) *float64 { return nil })
			continue
		}
		first := 0
		if latestMonthOnly {
			first = len(s.Times) - 1
		}
		for r := first; r < len(s.Times); r++ {
			m := s.Times[r].UTC()
			add(s.ID, &m, "", func(f string) *float64 {
				if x, ok := s.Values[f].At(r); ok {
					return &x
				}
				return nil
			})
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
		info := fieldOf(cat, f)
		vf := data.NewField(f, nil, cols[j])
		vf.Config = &data.FieldConfig{Unit: GrafanaUnit(info.Unit), DisplayNameFromDS: fieldTitle(info)}
		frame.Fields = append(frame.Fields, vf)
	}
	frame.Fields = append(frame.Fields, data.NewField("note", nil, notes))
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	return frame
}

// SitesWithoutBulkData lists, sorted, the ids of sites that no series
// carries a month for.
func SitesWithoutBulkData(series []locus.Series, sites map[int64]locus.Site) []int64 {
	has := make(map[int64]bool, len(series))
	for _, s := range series {
		if len(s.Times) > 0 {
			has[s.ID] = true
		}
	}
	var out []int64
	for id := range sites {
		if !has[id] {
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// BulkTimeSeries builds one timeseries-multi frame per site and field of
// partner bulk data, in the same order as BulkTable.
func BulkTimeSeries(series []locus.Series, fields []string, cat *locus.Catalog, sites map[int64]locus.Site, alias string) data.Frames {
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
func fieldTitle(info locus.Field) string {
	return DefaultDisplayName(EntityNames{}, info)
}
