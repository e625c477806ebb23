package locussim

import "strings"

// aggKind is how a shortName aggregates its channel over a bucket.
type aggKind int

const (
	aggAvg aggKind = iota
	aggMax
	aggMin
	aggSum
	aggRatio // sum(ch) / sum(ch2): performance and expectation ratios
	aggRatio2
)

var aggNames = map[aggKind]string{aggAvg: "avg", aggMax: "max", aggMin: "min", aggSum: "sum", aggRatio: "avg", aggRatio2: "avg"}

// Granularity names, in the API's order.
var (
	gransAll      = []string{"latest", "1min", "5min", "15min", "hourly", "daily", "monthly", "yearly"}
	gransNoLatest = gransAll[1:]
	gransSitePow  = gransAll[2:]
	gransHourly   = gransAll[4:]
	gransDaily    = gransAll[5:]
	gransMonthly  = []string{"monthly"}
)

// aggDef is one shortName of a base field.
type aggDef struct {
	shortName string
	kind      aggKind
}

// baseFieldDef is one dataavailable entry and where its values come from.
type baseFieldDef struct {
	baseField, longName, source, unit string
	aggs                              []aggDef
	params                            bool
	grans                             []string
	ch, ch2, ch3, ch4                 channel
	scale                             float64 // sums of power are energy: 1/60 per minute
	needsLocation                     bool    // absent (or null in bulk) for sites without latitude/longitude
}

func avgMaxMin(base string) []aggDef {
	return []aggDef{{base + "_avg", aggAvg}, {base + "_max", aggMax}, {base + "_min", aggMin}}
}

func sumOf(base string) []aggDef { return []aggDef{{base + "_sum", aggSum}} }

func measured(base, long, unit string, ch channel) baseFieldDef {
	return baseFieldDef{baseField: base, longName: long, source: "Measured", unit: unit, aggs: avgMaxMin(base), grans: gransAll, ch: ch}
}

// componentPowerFields are those of meters and inverters (the reference's
// component dataavailable example).
var componentPowerFields = []baseFieldDef{
	measured("A", "AC Current", "A", chA),
	measured("Hz", "AC Frequency", "Hz", chHz),
	measured("PF", "AC Power Factor", "", chPF),
	{baseField: "PI_m", longName: "Performance Index", source: "Modeled", unit: "", aggs: []aggDef{{"PI_m_avg", aggRatio}}, params: true, grans: gransNoLatest, ch: chW, ch2: chWm},
	measured("PPV", "AC Voltage L-L", "V", chPPV),
	measured("PhV", "AC Voltage L-N", "V", chPhV),
	measured("VA", "AC Apparent Power", "VA", chVA),
	measured("VAR", "AC Reactive Power", "VAR", chVAR),
	measured("W", "AC Power", "W", chW),
	{baseField: "W_m", longName: "AC Power", source: "Modeled", unit: "W", aggs: []aggDef{{"W_m_avg", aggAvg}}, params: true, grans: gransNoLatest, ch: chWm},
	{baseField: "Wh", longName: "AC Energy", source: "Measured", unit: "Wh", aggs: sumOf("Wh"), grans: gransAll, ch: chW, scale: 1.0 / 60},
	{baseField: "Wh_m", longName: "AC Energy", source: "Modeled", unit: "Wh", aggs: sumOf("Wh_m"), params: true, grans: gransNoLatest, ch: chWm, scale: 1.0 / 60},
	measured("WphA", "AC Power A", "W", chWphA),
	measured("WphB", "AC Power B", "W", chWphB),
	measured("WphC", "AC Power C", "W", chWphC),
}

// weatherStationFields are those of weather stations.
var weatherStationFields = []baseFieldDef{
	measured("GHI", "Irradiance Global Horizontal", "W/m²", chGHI),
	{baseField: "GHIh", longName: "Insolation Global Horizontal", source: "Measured", unit: "Wh/m²", aggs: sumOf("GHIh"), grans: gransAll, ch: chGHI, scale: 1.0 / 60},
	measured("POA", "Irradiance Plane of Array", "W/m²", chPOA),
	{baseField: "POAh", longName: "Insolation Plane of Array", source: "Measured", unit: "Wh/m²", aggs: sumOf("POAh"), grans: gransAll, ch: chPOA, scale: 1.0 / 60},
	measured("TmpAmb", "Ambient Temperature", "°C", chTmpAmb),
	measured("TmpBOM", "Module Temperature", "°C", chTmpBOM),
	measured("WndSpd", "Wind Speed", "m/s", chWndSpd),
}

// siteFields are those of sites (the reference's site dataavailable example).
var siteFields = []baseFieldDef{
	{baseField: "GHI_m", longName: "VI - Irradiance Global Horizontal", source: "Modeled", unit: "W/m²", aggs: avgMaxMin("GHI_m"), grans: gransHourly, ch: chGHIm, needsLocation: true},
	{baseField: "GHIh_m", longName: "VI - Insolation Global Horizontal", source: "Modeled", unit: "Wh/m²", aggs: sumOf("GHIh_m"), grans: gransHourly, ch: chGHIm, scale: 1.0 / 60, needsLocation: true},
	{baseField: "POA_m", longName: "VI - Irradiance Plane of Array", source: "Modeled", unit: "W/m²", aggs: avgMaxMin("POA_m"), grans: gransHourly, ch: chPOAm, needsLocation: true},
	{baseField: "POAh_m", longName: "VI - Insolation Plane of Array", source: "Modeled", unit: "Wh/m²", aggs: sumOf("POAh_m"), grans: gransHourly, ch: chPOAm, scale: 1.0 / 60, needsLocation: true},
	{baseField: "W", longName: "AC Power", source: "Measured", unit: "W", aggs: []aggDef{{"W_avg", aggAvg}, {"W_max", aggMax}}, grans: gransSitePow, ch: chW},
	{baseField: "W_m", longName: "AC Power", source: "Modeled", unit: "W", aggs: []aggDef{{"W_m_avg", aggAvg}}, params: true, grans: gransNoLatest, ch: chWm},
	{baseField: "Wh", longName: "AC Energy", source: "Measured", unit: "Wh", aggs: sumOf("Wh"), grans: gransNoLatest, ch: chW, scale: 1.0 / 60},
	{baseField: "Wh_e", longName: "AC Energy", source: "Expected", unit: "Wh", aggs: sumOf("Wh_e"), grans: gransDaily, ch: chWe, scale: 1.0 / 60},
	{baseField: "Wh_m", longName: "AC Energy", source: "Modeled", unit: "Wh", aggs: sumOf("Wh_m"), params: true, grans: gransNoLatest, ch: chWm, scale: 1.0 / 60},
}

// bulkFields are the partner bulk fields (the reference's bulk example).
var bulkFields = []baseFieldDef{
	{baseField: "Wh", longName: "AC Energy", source: "Measured", unit: "Wh", aggs: sumOf("Wh"), grans: gransMonthly, ch: chW, scale: 1.0 / 60},
	{baseField: "Whp", longName: "AC Energy (prorated)", source: "Measured", unit: "Wh", aggs: sumOf("Whp"), grans: gransMonthly, ch: chW, scale: 1.0 / 60},
	{baseField: "Wh_e", longName: "AC Energy", source: "Expected", unit: "Wh", aggs: sumOf("Wh_e"), grans: gransMonthly, ch: chWe, scale: 1.0 / 60},
	{baseField: "GHIh_m", longName: "VI - Insolation Global Horizontal", source: "Modeled", unit: "Wh/m²", aggs: sumOf("GHIh_m"), grans: gransMonthly, ch: chGHIm, scale: 1.0 / 60, needsLocation: true},
	{baseField: "GHIhp_m", longName: "VI - Insolation Global Horizontal (prorated)", source: "Modeled", unit: "Wh/m²", aggs: sumOf("GHIhp_m"), grans: gransMonthly, ch: chGHIm, scale: 1.0 / 60, needsLocation: true},
	{baseField: "GHIh_t", longName: "Insolation Global Horizontal", source: "Expected", unit: "Wh/m²", aggs: sumOf("GHIh_t"), grans: gransMonthly, ch: chGHIt, scale: 1.0 / 60, needsLocation: true},
	{baseField: "EER", longName: "Energy Expectations Ratio", source: "Modeled", unit: "", aggs: []aggDef{{"EER_avg", aggRatio}}, grans: gransMonthly, ch: chW, ch2: chWe},
	{baseField: "GEER", longName: "GHI-adjusted Energy Expectations Ratio", source: "Modeled", unit: "", aggs: []aggDef{{"GEER_avg", aggRatio2}}, grans: gransMonthly, ch: chW, ch2: chWe, ch3: chGHIm, ch4: chGHIt, needsLocation: true},
}

// fieldParameters are what modelled fields accept (ignored by the server,
// as the latest docs say).
var fieldParameters = []map[string]any{
	{"param": "modelType", "values": []string{"simple"}},
	{"param": "irradianceSource", "values": []string{"weatherStation"}},
	{"param": "inverterClipping", "values": []string{"true", "false"}},
}

// fieldSpec is one requested shortName resolved to its definition.
type fieldSpec struct {
	name string
	def  *baseFieldDef
	kind aggKind
}

// entityFields returns the base fields an entity offers.
func entityFields(s *Site, c *Component) []baseFieldDef {
	if c != nil {
		switch c.NodeType {
		case NodeWeatherStation:
			return weatherStationFields
		default:
			return componentPowerFields
		}
	}
	if len(s.Components) == 0 {
		return nil
	}
	if s.HasLocation {
		return siteFields
	}
	out := make([]baseFieldDef, 0, len(siteFields))
	for _, d := range siteFields {
		if !d.needsLocation {
			out = append(out, d)
		}
	}
	return out
}

// resolveField finds a shortName among defs.
func resolveField(defs []baseFieldDef, name string) (fieldSpec, bool) {
	for i := range defs {
		for _, a := range defs[i].aggs {
			if a.shortName == name {
				return fieldSpec{name: name, def: &defs[i], kind: a.kind}, true
			}
		}
	}
	return fieldSpec{}, false
}

// shortNames lists every shortName of defs, for error messages.
func shortNames(defs []baseFieldDef) string {
	var names []string
	for _, d := range defs {
		for _, a := range d.aggs {
			names = append(names, a.shortName)
		}
	}
	return strings.Join(names, ", ")
}

// needOf is the set of channels the specs read.
func needOf(specs []fieldSpec) chanMask {
	var m chanMask
	for _, f := range specs {
		m |= maskOf(f.def.ch)
		switch f.kind {
		case aggRatio:
			m |= maskOf(f.def.ch2)
		case aggRatio2:
			m |= maskOf(f.def.ch2, f.def.ch3, f.def.ch4)
		}
	}
	return m
}

// sumsOnly reports whether no spec needs a bucket minimum or maximum.
func sumsOnly(specs []fieldSpec) bool {
	for _, f := range specs {
		if f.kind == aggMin || f.kind == aggMax {
			return false
		}
	}
	return true
}
