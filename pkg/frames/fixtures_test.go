package frames

import (
	"flag"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// update rewrites the golden files: go test ./pkg/frames -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// f64 returns a pointer to v.
func f64(v float64) *float64 { return &v }

// cols builds a series' columns from nullable values (nil is a null).
func cols(m map[string][]*float64) map[string]locus.Column {
	out := make(map[string]locus.Column, len(m))
	for k, v := range m {
		out[k] = locus.ColumnOf(v)
	}
	return out
}

// pacific is the fixed -07:00/-08:00 offsets the API puts on timestamps.
var (
	pdt = time.FixedZone("", -7*3600)
	pst = time.FixedZone("", -8*3600)
)

// sampleBaseFields is a dataavailable response in the reference's shape.
func sampleBaseFields() []locus.BaseField {
	return []locus.BaseField{
		{BaseField: "W", LongName: "AC Power", Source: "Measured", Unit: "W",
			Aggregations:  []locus.Aggregation{{ShortName: "W_avg", Aggregation: "avg"}, {ShortName: "W_max", Aggregation: "max"}},
			Granularities: []string{"latest", "1min", "5min", "15min", "hourly", "daily", "monthly", "yearly"}},
		{BaseField: "Wh", LongName: "AC Energy", Source: "Measured", Unit: "Wh",
			Aggregations:  []locus.Aggregation{{ShortName: "Wh_sum", Aggregation: "sum"}},
			Granularities: []string{"5min", "15min", "hourly", "daily", "monthly", "yearly"}},
		{BaseField: "W_m", LongName: "AC Power", Source: "Modeled", Unit: "W",
			Aggregations:    []locus.Aggregation{{ShortName: "W_m_avg", Aggregation: "avg"}},
			FieldParameters: []locus.FieldParameter{{Param: "modelType", Values: []string{"simple"}}, {Param: "irradianceSource", Values: []string{"weatherStation"}}},
			Granularities:   []string{"5min", "hourly", "daily"}},
		{BaseField: "PF", LongName: "AC Power Factor", Source: "Measured", Unit: "",
			Aggregations:  []locus.Aggregation{{ShortName: "PF_avg", Aggregation: "avg"}},
			Granularities: []string{"latest", "5min"}},
		{BaseField: "Ih", LongName: "Insolation", Source: "Measured", Unit: "Wh/m²",
			Aggregations:  []locus.Aggregation{{ShortName: "Ih_sum", Aggregation: "sum"}},
			Granularities: []string{"daily"}},
	}
}

// sampleSeries is hourly data across the US fall-back change: the 01:00
// hour appears twice with different offsets, and one bucket is empty.
func sampleSeries() *locus.Series {
	return &locus.Series{
		ID: 54369,
		Times: []time.Time{
			time.Date(2024, 11, 3, 0, 0, 0, 0, pdt),
			time.Date(2024, 11, 3, 1, 0, 0, 0, pdt),
			time.Date(2024, 11, 3, 1, 0, 0, 0, pst),
			time.Date(2024, 11, 3, 2, 0, 0, 0, pst),
		},
		Values: cols(map[string][]*float64{
			"W_avg":  {f64(0), nil, f64(12.5), f64(1500.25)},
			"Wh_sum": {f64(0), nil, f64(12.5), f64(1500.25)},
		}),
	}
}

// sampleSites are two sites, one without coordinates.
func sampleSites() map[int64]locus.Site {
	return map[int64]locus.Site{
		101: {ID: 101, ClientID: 7, Name: "Sunny Acres", Address1: "1 Solar Way", Locale3: "Fresno", Locale1: "California", LocaleCode1: "CA",
			PostalCode: "93650", CountryCode: "US", Latitude: f64(36.75), Longitude: f64(-119.77), LocationTimezone: "US/Pacific"},
		102: {ID: 102, ClientID: 7, Name: "Bright Field", Address1: "2 Array Rd", Locale3: "Austin", Locale1: "Texas", LocaleCode1: "TX",
			PostalCode: "73301", CountryCode: "US", LocationTimezone: "America/Chicago"},
	}
}

// sampleBulk is monthly bulk data for both sites (in id order, as the API
// returns it), with a field the second site cannot have.
func sampleBulk() []locus.Series {
	months := func(loc *time.Location) []time.Time {
		return []time.Time{time.Date(2024, 1, 1, 0, 0, 0, 0, loc), time.Date(2024, 2, 1, 0, 0, 0, 0, loc)}
	}
	cst := time.FixedZone("", -6*3600)
	return []locus.Series{
		{ID: 101, Times: months(pst), Values: cols(map[string][]*float64{"Wh_sum": {f64(1.2e6), f64(1.5e6)}, "Ih_sum": {f64(98000), f64(120000)}})},
		{ID: 102, Times: months(cst), Values: cols(map[string][]*float64{"Wh_sum": {f64(2.0e6), f64(2.2e6)}, "Ih_sum": {nil, nil}})},
	}
}

// sampleAlerts are one closed Device Fault with descriptions and one open alert.
func sampleAlerts() []locus.Alert {
	end := time.Date(2024, 6, 1, 15, 30, 0, 0, pdt)
	return []locus.Alert{
		{ID: 9001, ComponentID: 54369, ComponentName: "Inverter 1", SiteID: 101, SiteName: "Sunny Acres",
			AlertType: "Device Fault", Priority: "High", Start: time.Date(2024, 6, 1, 9, 0, 0, 0, pdt), End: &end,
			Updated: end, DescriptionShort: "Ground fault", DescriptionLong: "Ground fault detected on DC input 2"},
		{ID: 9002, ComponentID: 54370, ComponentName: "Revenue Meter", SiteID: 102, SiteName: "Bright Field",
			AlertType: "System Disconnect", Priority: "Medium", Start: time.Date(2024, 6, 2, 8, 0, 0, 0, pdt),
			Updated: time.Date(2024, 6, 2, 8, 0, 0, 0, pdt)},
	}
}
