package planner_test

import (
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/planner"
)

func TestAlertWindows(t *testing.T) {
	from := time.Date(2025, 9, 1, 6, 30, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 90)
	// Site and component alerts: one window, the whole range.
	if w := planner.AlertWindows(from, to, false, time.UTC); len(w) != 1 || !w[0].Start.Equal(from) || !w[0].End.Equal(to) {
		t.Errorf("site windows %v, want one [%s, %s)", w, from, to)
	}
	// Partner alerts: 31 + 31 + 28 days, contiguous.
	w := planner.AlertWindows(from, to, true, time.UTC)
	want := []time.Time{from, from.AddDate(0, 0, 31), from.AddDate(0, 0, 62), to}
	if len(w) != 3 {
		t.Fatalf("partner windows %v, want 3", w)
	}
	for i, c := range w {
		if !c.Start.Equal(want[i]) || !c.End.Equal(want[i+1]) {
			t.Errorf("window %d = [%s, %s), want [%s, %s)", i, c.Start, c.End, want[i], want[i+1])
		}
	}
	// Calendar days in the zone of the request: across a DST change a
	// window is 31 local days, not 31×24 h.
	ny, _ := time.LoadLocation("America/New_York")
	f := time.Date(2025, 10, 20, 0, 0, 0, 0, ny)
	w = planner.AlertWindows(f, f.AddDate(0, 0, 40), true, ny)
	if e := w[0].End.In(ny); e.Day() != 20 || e.Month() != time.November || e.Hour() != 0 {
		t.Errorf("first New York window ends %s, want 2025-11-20 00:00 local", e)
	}
	if planner.AlertWindows(to, from, true, time.UTC) != nil || planner.AlertWindows(from, from, false, time.UTC) != nil {
		t.Error("an empty range has windows")
	}
}
