package planner

import (
	"testing"
	"time"
)

// BenchmarkPlanFiveYears is the planner's cost for a 5-year panel: the auto
// choice (monthly for a 1000-point panel, whose interval is about 44h) plus chunking, and
// chunking the same range at 5min (60 chunks) for the worst common case.
func BenchmarkPlanFiveYears(b *testing.B) {
	loc, err := LoadZone("America/Los_Angeles")
	if err != nil {
		b.Fatal(err)
	}
	to := time.Date(2026, 11, 25, 15, 37, 0, 0, time.UTC)
	from := to.AddDate(-5, 0, 0)
	interval := to.Sub(from) / 1000
	b.Run("auto", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g, _, err := ChooseAuto(All, interval, from, to, 1000)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Plan(from, to, g, loc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("5min", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			chunks, err := Plan(from, to, Min5, loc)
			if err != nil || len(chunks) < 59 {
				b.Fatal(len(chunks), err)
			}
		}
	})
}
