// Package frames turns Locus API objects into Grafana data frames that follow
// the data plane contract: time series (timeseries-multi), latest values
// (numeric-multi), fleet bulk tables, alert tables usable as annotations and
// metadata tables. It is pure: no HTTP, no client calls.
package frames

import "strings"

// unitIDs maps Locus units (as dataavailable spells them) to Grafana unit ids.
// Units that Grafana scales with SI prefixes stay in their base form so a
// 12,500 W value displays as 12.5 kW.
var unitIDs = map[string]string{
	"":       "none",
	"W":      "watt",
	"kW":     "kwatt",
	"MW":     "megwatt",
	"Wh":     "watth",
	"kWh":    "kwatth",
	"MWh":    "mwatth",
	"VA":     "voltamp",
	"kVA":    "kvoltamp",
	"VAR":    "voltampreact",
	"var":    "voltampreact",
	"kVAR":   "kvoltampreact",
	"V":      "volt",
	"kV":     "kvolt",
	"A":      "amp",
	"Hz":     "hertz",
	"W/m²":   "Wm2",
	"W/m2":   "Wm2",
	"W/m^2":  "Wm2",
	"Wh/m²":  "si:Wh/m²",
	"Wh/m2":  "si:Wh/m²",
	"Wh/m^2": "si:Wh/m²",
	"°C":     "celsius",
	"C":      "celsius",
	"degC":   "celsius",
	"°F":     "fahrenheit",
	"F":      "fahrenheit",
	"degF":   "fahrenheit",
	"K":      "kelvin",
	"%":      "percent",
	"m/s":    "velocityms",
	"km/h":   "velocitykmh",
	"mph":    "velocitymph",
	"mbar":   "pressurembar",
	"hPa":    "pressurehpa",
	"kPa":    "pressurekpa",
	"°":      "degree",
	"deg":    "degree",
	"mm":     "lengthmm",
	"m":      "lengthm",
}

// GrafanaUnit is the one mapping from a Locus unit to a Grafana unit id.
// Unknown units become a suffix unit ("suffix:<unit>") so the value still
// shows its unit.
func GrafanaUnit(locusUnit string) string {
	u := strings.TrimSpace(locusUnit)
	if id, ok := unitIDs[u]; ok {
		return id
	}
	return "suffix:" + u
}
