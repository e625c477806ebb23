package frames

import (
	"testing"
)

func TestGrafanaUnit(t *testing.T) {
	cases := map[string]string{
		"W": "watt", "kW": "kwatt", "Wh": "watth", "kWh": "kwatth", "MWh": "mwatth",
		"VA": "voltamp", "VAR": "voltampreact", "V": "volt", "A": "amp", "Hz": "hertz",
		"W/m²": "Wm2", "W/m2": "Wm2", "W/m^2": "Wm2", "Wh/m^2": "si:Wh/m²", "Wh/m²": "si:Wh/m²", "Wh/m2": "si:Wh/m²",
		"°C": "celsius", "C": "celsius", "°F": "fahrenheit", "%": "percent",
		"m/s": "velocityms", "mph": "velocitymph", "": "none", " W ": "watt",
		"furlongs": "suffix:furlongs", "kWh/kWp": "suffix:kWh/kWp",
	}
	for in, want := range cases {
		if got := GrafanaUnit(in); got != want {
			t.Errorf("GrafanaUnit(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEveryReferenceUnitIsMapped guards the units the API reference uses:
// none of them may fall through to a suffix unit.
func TestEveryReferenceUnitIsMapped(t *testing.T) {
	for _, u := range []string{"", "A", "Hz", "V", "VA", "VAR", "W", "W/m²", "Wh", "Wh/m²"} {
		if _, ok := unitIDs[u]; !ok {
			t.Errorf("reference unit %q has no Grafana unit", u)
		}
	}
}
