package query

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

func TestTimeSeriesSiteAutoGranularity(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 11, 0, 0, 0, 0, time.UTC)
	s := e.site(t, "", from)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg","Wh_sum"]}`, s.ID), From: from, To: to, Interval: time.Minute, MaxDP: 1000})
	fs := testkit.Frames(t, resp, "A")
	if len(fs) != 2 {
		t.Fatalf("%d frames, want one per field (2)", len(fs))
	}
	c := custom(t, fs[0])
	if c.Granularity != "5min" || c.Chunks != 1 || c.TZ != s.Timezone {
		t.Errorf("custom = %+v, want granularity 5min, 1 chunk, tz %s", c, s.Timezone)
	}
	if !strings.Contains(testkit.Notices(fs[0]), "auto") {
		t.Errorf("notices %q do not explain the auto granularity", testkit.Notices(fs[0]))
	}
	if q := fs[0].Meta.ExecutedQueryString; !strings.Contains(q, fmt.Sprintf("/v3/sites/%d/data?", s.ID)) || !strings.Contains(q, "gran=5min") {
		t.Errorf("executed query string %q does not show the data call", q)
	}
	if c.UpstreamRequests == 0 {
		t.Error("upstreamRequests is 0 on a cold cache")
	}
	ts := testkit.Times(t, fs[0])
	// Site-local alignment: the first bucket is the 5-minute bucket holding
	// `from`, never a later one.
	if len(ts) == 0 || ts[0].After(from) || !ts[len(ts)-1].Before(to) {
		t.Fatalf("times %v..%v do not cover [%s, %s)", ts[0], ts[len(ts)-1], from, to)
	}
	if n := len(ts); n != 288 {
		t.Errorf("%d buckets, want 288 five-minute buckets in a day", n)
	}
	for _, f := range fs {
		if f.Fields[1].Labels["site_id"] != fmt.Sprint(s.ID) || f.Fields[1].Labels["site"] != s.Name {
			t.Errorf("labels %v, want site %d %q", f.Fields[1].Labels, s.ID, s.Name)
		}
	}
}

func TestTimeSeriesDailyIsSiteLocal(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 8, 0, 0, 0, 0, time.UTC)
	s := e.site(t, "America/Los_Angeles", from)
	loc := s.Location()
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"],"granularity":"daily"}`, s.ID), From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	ts := testkit.Times(t, testkit.Frames(t, resp, "A")[0])
	// from (00:00 UTC = 17:00 PDT May 31) starts a partial local day, kept
	// only from 17:00 (exact edge, stamped at from); June 1..6 are whole
	// local days; June 7 is cut at 17:00 PDT (exact edge at local midnight).
	if len(ts) != 8 {
		t.Fatalf("%d daily rows, want 8 (two exact edges and 6 whole local days)", len(ts))
	}
	if !ts[0].Equal(from) {
		t.Errorf("first row %s, want the range's start %s", ts[0], from)
	}
	for _, tt := range ts[1:] {
		if l := tt.In(loc); l.Hour() != 0 || l.Minute() != 0 {
			t.Errorf("bucket %s is not a local midnight in %s", tt, loc)
		}
	}
}

func TestTimeSeriesDSTDays(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "America/New_York", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	loc := s.Location()
	for _, tc := range []struct {
		name  string
		day   int
		month time.Month
		want  int
	}{{"spring forward", 9, time.March, 23}, {"fall back", 2, time.November, 25}} {
		t.Run(tc.name, func(t *testing.T) {
			from, to := testkit.LocalDay(loc, 2025, tc.month, tc.day)
			resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"],"granularity":"hourly"}`, s.ID), From: from, To: to, Interval: time.Hour, MaxDP: 1000})
			ts := testkit.Times(t, testkit.Frames(t, resp, "A")[0])
			if len(ts) != tc.want {
				t.Fatalf("%d hourly buckets, want %d", len(ts), tc.want)
			}
			for i := 1; i < len(ts); i++ {
				if d := ts[i].Sub(ts[i-1]); d != time.Hour {
					t.Errorf("bucket %d is %s after the previous, want 1h", i, d)
				}
			}
		})
	}
}

func TestTimeSeriesNinetyDaysFiveMinIsChunkedAndStitched(t *testing.T) {
	e := newEnv(t, nil, nil)
	s, inv := e.inverter(t, "America/Denver", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
	loc := s.Location()
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, loc)
	to := from.AddDate(0, 0, 90)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"componentId":"%d","fields":["W_avg","Wh_sum"],"granularity":"5min"}`, inv.ID), From: from, To: to, Interval: time.Minute, MaxDP: 100000})
	fs := testkit.Frames(t, resp, "A")
	if calls := e.sim.Stats().Count("GET /v3/components/{id}/data"); calls != 3 {
		t.Errorf("%d upstream data requests, want 3 (5min requests span < 31 days)", calls)
	}
	c := custom(t, fs[0])
	if c.Chunks != 3 || !strings.Contains(testkit.Notices(fs[0]), "Range split into 3 requests (5min requests must span < 31 days)") {
		t.Errorf("chunks %d, notices %q", c.Chunks, testkit.Notices(fs[0]))
	}
	ts := testkit.Times(t, fs[0])
	if want := 90 * 288; len(ts) != want {
		t.Errorf("%d buckets, want %d (no missing or duplicate bucket)", len(ts), want)
	}
	for i := 1; i < len(ts); i++ {
		if d := ts[i].Sub(ts[i-1]); d != 5*time.Minute {
			t.Fatalf("bucket %d (%s) is %s after the previous, want 5m", i, ts[i], d)
		}
	}
	// The stitched values equal the same range fetched directly in
	// differently cut windows (10 days each).
	var directT []time.Time
	direct := map[string][]*float64{}
	for cur := from; cur.Before(to); cur = cur.AddDate(0, 0, 10) {
		end := cur.AddDate(0, 0, 10)
		ser, err := e.api.Data(t.Context(), locus.DataRequest{Kind: locus.KindComponent, ID: inv.ID, Fields: []string{"W_avg", "Wh_sum"},
			Start: cur.Format("2006-01-02T15:04:05"), End: end.Format("2006-01-02T15:04:05"), TZ: s.Timezone, Gran: "5min"})
		if err != nil {
			t.Fatalf("direct fetch: %v", err)
		}
		directT = append(directT, ser.Times...)
		for _, f := range []string{"W_avg", "Wh_sum"} {
			direct[f] = append(direct[f], ser.Values[f].Pointers()...)
		}
	}
	if len(directT) != len(ts) {
		t.Fatalf("direct fetch has %d buckets, engine %d", len(directT), len(ts))
	}
	for fi, f := range []string{"W_avg", "Wh_sum"} {
		got := testkit.Values(t, fs[fi])
		nonNull := 0
		for i := range got {
			if !ts[i].Equal(directT[i]) {
				t.Fatalf("bucket %d: engine %s, direct %s", i, ts[i], directT[i])
			}
			if (got[i] == nil) != (direct[f][i] == nil) || (got[i] != nil && *got[i] != *direct[f][i]) {
				t.Fatalf("%s at %s: engine %v, direct %v", f, ts[i], deref(got[i]), deref(direct[f][i]))
			}
			if got[i] != nil {
				nonNull++
			}
		}
		if nonNull == 0 {
			t.Errorf("%s has no values at all", f)
		}
	}
}

// deref formats a nullable value.
func deref(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

func TestChunkedRangeAcrossFallBackHasEveryBucketOnce(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.site(t, "America/New_York", time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))
	loc := s.Location()
	from, to := time.Date(2025, 10, 15, 0, 0, 0, 0, loc), time.Date(2025, 11, 20, 0, 0, 0, 0, loc)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"granularity":"5min"}`, s.ID), From: from, To: to, Interval: time.Minute, MaxDP: 100000})
	fs := testkit.Frames(t, resp, "A")
	if c := custom(t, fs[0]); c.Chunks != 2 {
		t.Errorf("%d chunks, want 2", c.Chunks)
	}
	ts := testkit.Times(t, fs[0])
	// 36 local days, one of them 25 hours long.
	if want := 36*288 + 12; len(ts) != want {
		t.Errorf("%d buckets, want %d", len(ts), want)
	}
	for i := 1; i < len(ts); i++ {
		if d := ts[i].Sub(ts[i-1]); d != 5*time.Minute {
			t.Fatalf("bucket %d (%s) is %s after the previous, want 5m", i, ts[i], d)
		}
	}
}
