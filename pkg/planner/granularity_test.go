package planner

import (
	"strings"
	"testing"
	"time"
)

func TestParseGranularity(t *testing.T) {
	for _, g := range All {
		got, err := ParseGranularity(string(g))
		if err != nil || got != g {
			t.Errorf("ParseGranularity(%q) = %q, %v", g, got, err)
		}
	}
	if got, err := ParseGranularity(" Hourly "); err != nil || got != Hourly {
		t.Errorf("ParseGranularity(\" Hourly \") = %q, %v; want hourly", got, err)
	}
	for _, bad := range []string{"", "auto", "weekly", "latest", "5m"} {
		_, err := ParseGranularity(bad)
		if err == nil {
			t.Errorf("ParseGranularity(%q) succeeded; want an error", bad)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, `"`+bad+`"`) || !strings.Contains(msg, "1min, 5min, 15min, hourly, daily, monthly, yearly") {
			t.Errorf("ParseGranularity(%q) error %q should name the input and list the valid values", bad, msg)
		}
	}
}

func TestNominalAndOrder(t *testing.T) {
	want := []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 24 * time.Hour, 30 * 24 * time.Hour, 365 * 24 * time.Hour}
	for i, g := range All {
		if g.Nominal() != want[i] {
			t.Errorf("%s.Nominal() = %v, want %v", g, g.Nominal(), want[i])
		}
		if i > 0 && All[i-1].Nominal() >= g.Nominal() {
			t.Errorf("All is not finest to coarsest at %s", g)
		}
	}
	if Granularity("weekly").Nominal() != 0 || Latest.Valid() {
		t.Error("invalid granularities must have no nominal length and not be Valid")
	}
}
