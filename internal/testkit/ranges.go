package testkit

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// RandomPanelRange draws a time range as a Grafana user picks one, for
// seeded property tests: today, yesterday or this month in the viewer's
// zone (reaching past now), the last 1-72 hours or 1-30 days, or (two draws
// in every 7 or 9) an absolute range of 1 minute to 12 days inside
// [now-window, now]. history adds this year and the last 2-10 years. It
// returns the range and how it was drawn.
func RandomPanelRange(rng *rand.Rand, now time.Time, viewer *time.Location, window time.Duration, history bool) (time.Time, time.Time, string) {
	local := now.In(viewer)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, viewer)
	kinds := []string{"today", "yesterday", "this month", "hours", "days"}
	if history {
		kinds = []string{"today", "yesterday", "this month", "this year", "hours", "days", "years"}
	}
	if k := rng.IntN(len(kinds) + 2); k < len(kinds) {
		switch kinds[k] {
		case "today":
			return day, day.AddDate(0, 0, 1), "today"
		case "yesterday":
			return day.AddDate(0, 0, -1), day, "yesterday"
		case "this month":
			m := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, viewer)
			return m, m.AddDate(0, 1, 0), "this month"
		case "this year":
			y := time.Date(local.Year(), 1, 1, 0, 0, 0, 0, viewer)
			return y, y.AddDate(1, 0, 0), "this year"
		case "hours":
			n := 1 + rng.IntN(72)
			return now.Add(-time.Duration(n) * time.Hour), now, fmt.Sprintf("last %d hours", n)
		case "days":
			n := 1 + rng.IntN(30)
			return now.AddDate(0, 0, -n), now, fmt.Sprintf("last %d days", n)
		case "years":
			n := 2 + rng.IntN(9)
			return now.AddDate(-n, 0, 0), now, fmt.Sprintf("last %d years", n)
		}
	}
	span := time.Duration(rng.Int64N(int64(12*24*time.Hour))) + time.Minute
	from := now.Add(-window).Add(time.Duration(rng.Int64N(int64(window - span))))
	return from, from.Add(span), "absolute"
}
