package planner_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// The planner and the simulator each define the span rule and bucket
// alignment (the simulator knows nothing of the plugin). These tests keep
// the two definitions equal.

func TestSpanLimitMatchesSimulator(t *testing.T) {
	for _, g := range append(append([]planner.Granularity{}, planner.All...), planner.Latest) {
		py, pm, pd, pok := g.SpanLimit()
		sy, sm, sd, sok := locussim.SpanLimit(string(g))
		if py != sy || pm != sm || pd != sd || pok != sok {
			t.Errorf("%s: planner limit %d/%d/%d %v, simulator %d/%d/%d %v", g, py, pm, pd, pok, sy, sm, sd, sok)
		}
	}
}

// simClient talks to an in-process simulator.
type simClient struct {
	*testkit.RawClient
	t    *testing.T
	comp int64
}

const simBase = "http://locus.test"

func newSimClient(t *testing.T) *simClient {
	t.Helper()
	cfg := locussim.DefaultConfig()
	now := time.Date(2025, 11, 20, 15, 0, 0, 0, time.UTC)
	cfg.Now = func() time.Time { return now }
	cfg.Concurrency = -1
	sim := locussim.New(cfg)
	c := &simClient{t: t, RawClient: testkit.Login(t, &http.Client{Transport: sim.RoundTripper()}, simBase, simkit.MainAccount)}
	site := sim.Fleet().FindSite(cfg.PartnerID, func(s *locussim.Site) bool { return len(s.ComponentsOfType("INVERTER")) > 0 })
	if site == nil {
		t.Fatal("simulated fleet has no inverter")
	}
	c.comp = site.ComponentsOfType("INVERTER")[0].ID
	return c
}

// data requests one chunk and returns the status and the bucket timestamps.
func (c *simClient) data(chunk planner.Chunk, g planner.Granularity, loc *time.Location) (int, []time.Time) {
	c.t.Helper()
	q := url.Values{
		"fields": {"W_avg"}, "gran": {string(g)}, "tz": {loc.String()},
		"start": {planner.FormatWall(chunk.Start, loc)}, "end": {planner.FormatWall(chunk.End, loc)},
	}
	code, b := c.Get(fmt.Sprintf("/v3/components/%d/data?%s", c.comp, q.Encode()))
	var body struct {
		Data []struct {
			TS string `json:"ts"`
		} `json:"data"`
	}
	if code != http.StatusOK {
		return code, nil
	}
	if err := json.Unmarshal(b, &body); err != nil {
		c.t.Fatal(err)
	}
	out := make([]time.Time, len(body.Data))
	for i, r := range body.Data {
		ts, err := time.Parse("2006-01-02T15:04:05Z07:00", r.TS)
		if err != nil {
			c.t.Fatalf("bad ts %q: %v", r.TS, err)
		}
		out[i] = ts
	}
	return http.StatusOK, out
}

// TestPlansAgreeWithSimulator sends every chunk of several plans to the
// simulator: each must be accepted, return exactly the planner's buckets,
// and one bucket more than a chunk must be rejected.
func TestPlansAgreeWithSimulator(t *testing.T) {
	c := newSimClient(t)
	cases := []struct {
		zone     string
		g        planner.Granularity
		from, to string
	}{
		{"America/New_York", planner.Hourly, "2024-10-20T00:00:00Z", "2024-12-01T00:00:00Z"},   // fall back inside
		{"America/Los_Angeles", planner.Min15, "2024-02-25T00:00:00Z", "2024-03-20T00:00:00Z"}, // spring forward
		{"US/Pacific", planner.Min5, "2024-10-01T00:00:00Z", "2024-12-15T00:00:00Z"},
		{"America/Chicago", planner.Min1, "2024-03-08T06:00:00Z", "2024-03-15T00:00:00Z"},
		{"America/Denver", planner.Daily, "2023-06-15T00:00:00Z", "2025-01-10T00:00:00Z"},
		{"America/New_York", planner.Monthly, "2023-01-15T00:00:00Z", "2025-03-01T00:00:00Z"},
		{"Asia/Kolkata", planner.Hourly, "2024-05-01T00:00:00Z", "2024-05-03T00:00:00Z"},
		{"Asia/Kathmandu", planner.Min15, "2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z"},
		{"UTC", planner.Yearly, "2020-03-01T00:00:00Z", "2025-02-01T00:00:00Z"},
		{"America/Santiago", planner.Daily, "2024-09-01T00:00:00Z", "2024-09-15T00:00:00Z"}, // 2024-09-08 starts at 01:00
		{"America/Havana", planner.Hourly, "2024-03-05T00:00:00Z", "2024-03-15T00:00:00Z"},
		// Not compared: Australia/Lord_Howe sub-daily buckets. Its DST moves
		// 30 minutes; the planner keeps buckets on the wall-clock hour, the
		// simulator steps whole hours, so they disagree after the change.
	}
	for _, tc := range cases {
		t.Run(tc.zone+" "+string(tc.g), func(t *testing.T) {
			loc, err := planner.LoadZone(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			from, _ := time.Parse(time.RFC3339, tc.from)
			to, _ := time.Parse(time.RFC3339, tc.to)
			chunks, err := planner.Plan(from, to, tc.g, loc)
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range chunks {
				status, got := c.data(ch, tc.g, loc)
				if status != http.StatusOK {
					t.Fatalf("simulator rejected chunk %s..%s with %d", planner.FormatWall(ch.Start, loc), planner.FormatWall(ch.End, loc), status)
				}
				var want []string
				for b := ch.Start; b.Before(ch.End); b = tc.g.Next(b, loc) {
					want = append(want, b.UTC().Format(time.RFC3339))
				}
				gotS := make([]string, len(got))
				for i, ts := range got {
					gotS[i] = ts.UTC().Format(time.RFC3339)
				}
				if strings.Join(gotS, " ") != strings.Join(want, " ") {
					t.Fatalf("chunk %s..%s: simulator buckets differ from the planner's (%d vs %d)\nfirst sim %v\nfirst planner %v",
						planner.FormatWall(ch.Start, loc), planner.FormatWall(ch.End, loc), len(gotS), len(want), head(gotS), head(want))
				}
				if _, limited := tc.g.MaxEnd(ch.Start, loc); limited && len(chunks) > 1 {
					over := planner.Chunk{Start: ch.Start, End: tc.g.Next(ch.End, loc)}
					if ch.End.Equal(chunks[len(chunks)-1].End) {
						continue // the last chunk is usually short of the limit
					}
					if status, _ := c.data(over, tc.g, loc); status != http.StatusBadRequest {
						t.Errorf("chunk grown by one bucket (%s..%s) got %d, want 400", planner.FormatWall(over.Start, loc), planner.FormatWall(over.End, loc), status)
					}
				}
			}
		})
	}
}

// head is the first few entries of s for failure messages.
func head(s []string) []string {
	if len(s) > 4 {
		return s[:4]
	}
	return s
}
