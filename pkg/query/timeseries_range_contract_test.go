package query

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// oracleSum is the energy (or any sum field) of an entity over [from, to)
// from the simulator's own 1-minute series: the minutes from from ceiled
// to the minute up to to (clamped to now) floored to the minute, summed by
// hand. A minute without data adds nothing.
func oracleSum(t testing.TB, sim *locussim.Server, s *locussim.Site, c *locussim.Component, field string, from, to time.Time) float64 {
	t.Helper()
	if to.After(testNow) {
		to = testNow
	}
	start := from.Truncate(time.Minute)
	if start.Before(from) {
		start = start.Add(time.Minute)
	}
	end := to.Truncate(time.Minute)
	if !start.Before(end) {
		return 0
	}
	vs, err := sim.MinuteValues(s, c, field, start, end)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, v := range vs {
		if !math.IsNaN(v) {
			sum += v
		}
	}
	return sum
}

// frameSum sums a frame's values and checks every timestamp lies in [from, to).
func frameSum(t *testing.T, f *data.Frame, from, to time.Time) (float64, int) {
	t.Helper()
	ts, vs := testkit.Times(t, f), testkit.Values(t, f)
	sum := 0.0
	for i, v := range vs {
		if ts[i].Before(from) || !ts[i].Before(to) {
			t.Errorf("row at %s lies outside the range [%s, %s)", ts[i].UTC(), from.UTC(), to.UTC())
		}
		if v != nil {
			sum += *v
		}
	}
	return sum, len(vs)
}

// closeTo reports whether got is within the response's rounding (3
// decimals per returned bucket) of want.
func closeTo(got, want float64, buckets int) bool {
	return math.Abs(got-want) <= 1e-9*math.Abs(want)+0.0006*float64(buckets)
}

// Issue 10, case 1: daily energy of a Los Angeles site over "Last 7 days"
// ending 16:00 site-local, and over "Today" chosen by a viewer in Berlin,
// is the energy inside the range, never whole local days.
func TestRangeContractEdgeBuckets(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "America/Los_Angeles", time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		name     string
		from, to time.Time
		rows     int
	}{
		{"last 7 days ending 16:00 local", time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), 8},
		{"today in Berlin", time.Date(2025, 11, 30, 23, 0, 0, 0, time.UTC), time.Date(2025, 12, 1, 18, 0, 0, 0, time.UTC), 2},
		{"millisecond edges", time.Date(2025, 11, 24, 0, 0, 29, 500e6, time.UTC), time.Date(2025, 12, 1, 0, 0, 59, 999e6, time.UTC), 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"],"granularity":"daily"}`, s.ID), From: tc.from, To: tc.to, Interval: time.Hour, MaxDP: 1000})
			f := testkit.Frames(t, resp, "A")[0]
			got, rows := frameSum(t, f, tc.from, tc.to)
			want := oracleSum(t, e.sim, s, nil, "Wh_sum", tc.from, tc.to)
			t.Logf("%d rows, %.3f Wh, oracle %.3f Wh", rows, got, want)
			if want <= 0 || rows != tc.rows || !closeTo(got, want, 200) {
				t.Fatalf("%d rows, %.3f Wh; want %d rows, %.3f Wh (the energy inside the range)", rows, got, tc.rows, want)
			}
			if !strings.Contains(testkit.Notices(f), "Exact edges") {
				t.Errorf("no notice of the recomputed edges: %s", testkit.Notices(f))
			}
		})
	}
	// Omit mode: the whole local days inside the range only, with a notice.
	from, to := time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"],"granularity":"daily","edges":"omit"}`, s.ID), From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	f := testkit.Frames(t, resp, "A")[0]
	got, rows := frameSum(t, f, from, to)
	loc := s.Location()
	want := oracleSum(t, e.sim, s, nil, "Wh_sum", time.Date(2025, 11, 24, 0, 0, 0, 0, loc), time.Date(2025, 11, 30, 0, 0, 0, 0, loc))
	if rows != 6 || !closeTo(got, want, 6) || !strings.Contains(testkit.Notices(f), "Left out the partial daily bucket") {
		t.Fatalf("omit: %d rows, %.3f Wh, notices %q; want 6 whole days, %.3f Wh and a notice", rows, got, testkit.Notices(f), want)
	}
}

// Issue 10, case 2: auto with few max data points never picks a bucket
// longer than the range, and the energy is the range's.
func TestRangeContractAutoNotLongerThanRange(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "America/Los_Angeles", time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		span  time.Duration
		maxDP int64
		want  string
	}{{48 * time.Hour, 1, "daily"}, {7 * 24 * time.Hour, 5, "daily"}} {
		to := testNow
		from := to.Add(-tc.span)
		resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"]}`, s.ID), From: from, To: to, Interval: time.Minute, MaxDP: tc.maxDP})
		f := testkit.Frames(t, resp, "A")[0]
		if g := custom(t, f).Granularity; g != tc.want {
			t.Errorf("%s, %d points: granularity %s, want %s", tc.span, tc.maxDP, g, tc.want)
		}
		if !strings.Contains(testkit.Notices(f), "not longer than the range") {
			t.Errorf("no notice that nothing fits max data points: %s", testkit.Notices(f))
		}
		got, _ := frameSum(t, f, from, to)
		if want := oracleSum(t, e.sim, s, nil, "Wh_sum", from, to); !closeTo(got, want, 200) {
			t.Errorf("%s, %d points: %.3f Wh, want %.3f Wh", tc.span, tc.maxDP, got, want)
		}
	}
}

// Issue 10, case 3: a 5-minute query whose bounds read ambiguously (New
// York's fall-back night) returns exactly the 18 buckets 05:15Z..06:40Z,
// each equal to the oracle's energy of its 5 minutes.
func TestRangeContractAmbiguousBounds(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "America/New_York", time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
	from, to := time.Date(2025, 11, 2, 5, 15, 0, 0, time.UTC), time.Date(2025, 11, 2, 6, 45, 0, 0, time.UTC)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"],"granularity":"5min"}`, s.ID), From: from, To: to, Interval: time.Minute, MaxDP: 1000})
	f := testkit.Frames(t, resp, "A")[0]
	ts, vs := testkit.Times(t, f), testkit.Values(t, f)
	if len(ts) != 18 || !ts[0].Equal(from) || !ts[17].Equal(to.Add(-5*time.Minute)) {
		t.Fatalf("%d buckets %v..%v, want 18 from 05:15Z to 06:40Z", len(ts), ts[0].UTC(), ts[len(ts)-1].UTC())
	}
	for i, tt := range ts {
		want := oracleSum(t, e.sim, s, nil, "Wh_sum", tt, tt.Add(5*time.Minute))
		if vs[i] == nil || !closeTo(*vs[i], want, 1) {
			t.Errorf("bucket %s: %v, want %.3f", tt.UTC(), vs[i], want)
		}
	}
}

// Edges are planned per group of fields offering the same granularities:
// beside Wh_e_sum (daily at the finest, so its partial days are left out
// with a notice), Wh_sum keeps exact edges down to the minute.
func TestRangeContractFieldsWithDifferentGranularities(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "America/Los_Angeles", time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
	from, to := time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum","Wh_e_sum"],"granularity":"daily"}`, s.ID), From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	fs := testkit.Frames(t, resp, "A")
	if len(fs) != 2 || fs[0].Fields[1].Name != "Wh_sum" || fs[1].Fields[1].Name != "Wh_e_sum" {
		t.Fatalf("frames %v, want Wh_sum then Wh_e_sum", fs)
	}
	got, rows := frameSum(t, fs[0], from, to)
	if want := oracleSum(t, e.sim, s, nil, "Wh_sum", from, to); rows != 8 || !closeTo(got, want, 200) {
		t.Errorf("Wh_sum: %d rows, %.3f Wh, want 8 rows and %.3f Wh", rows, got, want)
	}
	loc := s.Location()
	got, rows = frameSum(t, fs[1], from, to)
	if want := oracleSum(t, e.sim, s, nil, "Wh_e_sum", time.Date(2025, 11, 24, 0, 0, 0, 0, loc), time.Date(2025, 11, 30, 0, 0, 0, 0, loc)); rows != 6 || !closeTo(got, want, 6) {
		t.Errorf("Wh_e_sum: %d rows, %.3f Wh, want the 6 whole days, %.3f Wh", rows, got, want)
	}
	if n := testkit.Notices(fs[1]); !strings.Contains(n, "Fields Wh_e_sum: Left out") {
		t.Errorf("no notice of Wh_e_sum's left out partial days: %s", n)
	}
}

// Lord Howe Island's clocks move by 30 minutes (2025-10-05, +10:30 to
// +11:00). The simulator, like an API stepping hourly buckets by 60
// minutes, then returns buckets at hh:30 on the local clock: the last
// bucket of each request reaches past the request's end, so the hourly
// energy can include time outside the range. That is warned of, with the
// request's last bucket; the same query at 15 minutes (on the grid) has
// no such warning and matches the oracle, and New York's hourly buckets
// across its fall-back never trigger it.
func TestRangeContractOffGridBucketsAreWarnedOf(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "America/New_York", time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))
	const warning = "does not start on a bucket boundary"
	from, to := time.Date(2025, 10, 1, 13, 30, 0, 0, time.UTC), time.Date(2025, 10, 8, 13, 0, 0, 0, time.UTC)
	run := func(gran, zone string, from, to time.Time) *data.Frame {
		t.Helper()
		q := fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"],"granularity":"%s","timeZoneMode":"named","timeZone":"%s"}`, s.ID, gran, zone)
		resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: q, From: from, To: to, Interval: time.Minute, MaxDP: 100000})
		return testkit.Frames(t, resp, "A")[0]
	}
	want := oracleSum(t, e.sim, s, nil, "Wh_sum", from, to)
	hourly := run("hourly", "Australia/Lord_Howe", from, to)
	ts := testkit.Times(t, hourly)
	last := ts[len(ts)-1]
	if !last.Add(time.Hour).After(to) {
		t.Fatalf("the last hourly bucket starts at %s: the simulator no longer steps hourly buckets off the local clock, so this test checks nothing", last.UTC())
	}
	if !strings.Contains(testkit.Notices(hourly), warning) {
		t.Fatalf("the last hourly bucket starts at %s and runs past the range's end %s, with no warning: %s", last.UTC(), to, testkit.Notices(hourly))
	}
	fine := run("15min", "Australia/Lord_Howe", from, to)
	got, rows := frameSum(t, fine, from, to)
	if strings.Contains(testkit.Notices(fine), warning) || !closeTo(got, want, rows) {
		t.Errorf("15 min: %.3f Wh over %d rows (oracle %.3f), notices %q: want the oracle's energy and no off-grid warning", got, rows, want, testkit.Notices(fine))
	}
	ny := run("hourly", "America/New_York", time.Date(2025, 11, 1, 4, 0, 0, 0, time.UTC), time.Date(2025, 11, 3, 5, 0, 0, 0, time.UTC))
	if strings.Contains(testkit.Notices(ny), warning) {
		t.Errorf("New York hourly across its fall-back: %s", testkit.Notices(ny))
	}
}
