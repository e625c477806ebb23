package planner

import (
	"strings"
	"testing"
	"time"
)

func TestChooseAuto(t *testing.T) {
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	all := All
	noMinute := []Granularity{Min5, Min15, Hourly, Daily, Monthly, Yearly}
	cases := []struct {
		name     string
		offered  []Granularity
		interval time.Duration
		span     time.Duration
		maxDP    int64
		want     Granularity
		reason   []string
	}{
		{"6h at 20s interval, 1000 points", all, 20 * time.Second, 6 * time.Hour, 1000, Min1, []string{"1min", "finest"}},
		{"1min not offered", noMinute, 20 * time.Second, 6 * time.Hour, 1000, Min5, []string{"5min"}},
		{"24h at 1m interval, 1000 points: 1min would be 1441", all, time.Minute, 24 * time.Hour, 1000, Min5, []string{"5min", "1000 max data points"}},
		{"interval rules out finer buckets", all, 10 * time.Minute, 24 * time.Hour, 10000, Min15, []string{"15min", "panel interval (10 minutes)"}},
		{"7 days, 300 points", all, 10 * time.Minute, 7 * 24 * time.Hour, 300, Hourly, []string{"hourly"}},
		{"90 days at 2h interval", all, 2 * time.Hour, 90 * 24 * time.Hour, 1000, Daily, []string{"daily"}},
		{"5 years, 100 points", all, 0, 5 * 365 * 24 * time.Hour, 100, Monthly, []string{"monthly"}},
		{"no limits", all, 0, 5 * 365 * 24 * time.Hour, 0, Min1, []string{"no max data points limit"}},
		{"nothing fits: coarsest offered", []Granularity{Min5, Hourly}, time.Hour, 365 * 24 * time.Hour, 50, Hourly, []string{"coarsest", "hourly gives about 8761"}},
		{"latest and unknown entries ignored", []Granularity{Latest, "weekly", Daily}, 0, 10 * 24 * time.Hour, 1000, Daily, []string{"daily"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, reason, err := ChooseAuto(c.offered, c.interval, from, from.Add(c.span), c.maxDP)
			if err != nil {
				t.Fatal(err)
			}
			if g != c.want {
				t.Errorf("chose %s, want %s (reason %q)", g, c.want, reason)
			}
			for _, r := range c.reason {
				if !strings.Contains(reason, r) {
					t.Errorf("reason %q should mention %q", reason, r)
				}
			}
		})
	}
}

func TestChooseAutoErrors(t *testing.T) {
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, _, err := ChooseAuto(nil, time.Minute, from, from.Add(time.Hour), 100); err == nil || !strings.Contains(err.Error(), "no granularity is available") {
		t.Errorf("empty offered: err = %v, want a 'no granularity is available' error", err)
	}
	if _, _, err := ChooseAuto([]Granularity{Latest}, time.Minute, from, from.Add(time.Hour), 100); err == nil {
		t.Error("only latest offered must be an error")
	}
	if _, _, err := ChooseAuto(All, time.Minute, from, from, 100); err == nil || !strings.Contains(err.Error(), "not before") {
		t.Errorf("empty range: err = %v, want a range error", err)
	}
}

func TestBucketEstimate(t *testing.T) {
	if n := BucketEstimate(Hourly, 24*time.Hour); n != 25 {
		t.Errorf("hourly over 24h = %d, want 25 (24 plus a partial one)", n)
	}
	if n := BucketEstimate(Min5, 7*time.Minute); n != 3 {
		t.Errorf("5min over 7m = %d, want 3", n)
	}
	if n := BucketEstimate("weekly", time.Hour); n != 0 {
		t.Errorf("invalid granularity estimate = %d, want 0", n)
	}
}
