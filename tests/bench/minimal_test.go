package main

import (
	"testing"
	"time"
)

func TestChunksOfFollowsTheSpanRule(t *testing.T) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, la) }
	cases := []struct {
		name     string
		gran     string
		from, to time.Time
		want     int
	}{
		{"7 days at 15 min", "15min", at(2026, 3, 1, 10, 7), at(2026, 3, 8, 10, 7), 1},
		{"exactly 31 days at 5 min needs two (end < start + 31 days)", "5min", at(2026, 1, 1, 0, 0), at(2026, 2, 1, 0, 0), 2},
		{"30 days 23:55 at 5 min fits one", "5min", at(2026, 1, 1, 0, 0), at(2026, 1, 31, 23, 55), 1},
		{"90 days at 5 min", "5min", at(2026, 1, 1, 10, 3), at(2026, 4, 1, 10, 3), 3},
		{"a year of days from midnight needs two", "daily", at(2025, 3, 1, 0, 0), at(2026, 3, 1, 0, 0), 2},
		{"364 days fit one daily request", "daily", at(2025, 3, 1, 0, 0), at(2026, 2, 28, 0, 0), 1},
		{"5 days at 1 min needs two", "1min", at(2026, 5, 1, 0, 0), at(2026, 5, 6, 0, 0), 2},
		{"monthly has no limit", "monthly", at(2016, 1, 1, 0, 0), at(2026, 1, 1, 0, 0), 1},
	}
	for _, c := range cases {
		n, err := chunksOf(&dataGroup{gran: c.gran, zone: "America/Los_Angeles", from: c.from, to: c.to})
		if err != nil || n != c.want {
			t.Errorf("%s: %d chunks (%v), want %d", c.name, n, err, c.want)
		}
	}
}
