package query

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

func TestQueriesOnTheSameEntityAreMerged(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 2, 0, 0, 0, 0, time.UTC)
	s := e.site(t, "", from)
	site := fmt.Sprint(s.ID)
	resp := testkit.Run(t, e.eng, nil,
		testkit.Query{Ref: "A", JSON: `{"siteId":"` + site + `","fields":["W_avg"]}`, From: from, To: to, Interval: time.Minute, MaxDP: 1000},
		testkit.Query{Ref: "B", JSON: `{"siteId":"` + site + `","fields":["Wh_sum","W_avg"],"alias":"{{field}}"}`, From: from, To: to, Interval: time.Minute, MaxDP: 1000},
		// Same site but UTC: a different bucket alignment, so its own call.
		testkit.Query{Ref: "C", JSON: `{"siteId":"` + site + `","fields":["W_avg"],"timeZoneMode":"utc"}`, From: from, To: to, Interval: time.Minute, MaxDP: 1000},
	)
	a, b, c := testkit.Frames(t, resp, "A"), testkit.Frames(t, resp, "B"), testkit.Frames(t, resp, "C")
	if n := e.sim.Stats().Count("GET /v3/sites/{id}/data"); n != 2 {
		t.Errorf("%d upstream data calls, want 2 (A and B merged, C alone)", n)
	}
	if len(a) != 1 || len(b) != 2 || len(c) != 1 {
		t.Fatalf("frames A=%d B=%d C=%d, want 1, 2, 1", len(a), len(b), len(c))
	}
	if got := custom(t, a[0]).MergedWith; !slices.Equal(got, []string{"B"}) {
		t.Errorf("A mergedWith %v, want [B]", got)
	}
	if !strings.Contains(a[0].Meta.ExecutedQueryString, "fields=W_avg,Wh_sum") {
		t.Errorf("A's executed query %q should show the merged field list", a[0].Meta.ExecutedQueryString)
	}
	if !strings.Contains(testkit.Notices(b[0]), "Fetched together with query A") {
		t.Errorf("B notices %q do not mention the merge", testkit.Notices(b[0]))
	}
	if custom(t, c[0]).MergedWith != nil {
		t.Errorf("C merged with %v, want nothing", custom(t, c[0]).MergedWith)
	}
	// A's W_avg and B's W_avg are the same series, split back per query.
	av, bv := testkit.Values(t, a[0]), testkit.Values(t, b[1])
	if len(av) == 0 || len(av) != len(bv) {
		t.Fatalf("A has %d values, B's W_avg %d", len(av), len(bv))
	}
	for i := range av {
		if deref(av[i]) != deref(bv[i]) {
			t.Fatalf("value %d differs: %s vs %s", i, deref(av[i]), deref(bv[i]))
		}
	}
	if got := b[0].Fields[1].Config.DisplayNameFromDS; got != "Wh_sum" {
		t.Errorf("B's alias gave display name %q, want Wh_sum", got)
	}
}

func TestRepeatWithinCacheLifetimeMakesNoUpstreamRequest(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 8, 3, 0, 0, 0, 0, time.UTC)
	s := e.site(t, "", from, "INVERTER")
	q := testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"]}`, s.ID), From: from, To: to, Interval: time.Minute, MaxDP: 1000}
	first := testkit.Frames(t, testkit.Run(t, e.eng, nil, q), "A")
	before := e.sim.Stats().API
	second := testkit.Frames(t, testkit.Run(t, e.eng, nil, q), "A")
	if d := e.sim.Stats().API - before; d != 0 {
		t.Errorf("repeat made %d upstream requests, want 0", d)
	}
	c := custom(t, second[0])
	if c.UpstreamRequests != 0 || c.CacheHits == 0 {
		t.Errorf("repeat custom %+v, want 0 upstream and some cache hits", c)
	}
	if !strings.Contains(testkit.Notices(second[0]), "served from cache") {
		t.Errorf("repeat notices %q do not mention the cache", testkit.Notices(second[0]))
	}
	if second[0].Meta.ExecutedQueryString != first[0].Meta.ExecutedQueryString {
		t.Errorf("executed query differs on repeat:\n%s\n%s", first[0].Meta.ExecutedQueryString, second[0].Meta.ExecutedQueryString)
	}
}

func TestFailingChunkFailsOnlyItsQueryNamingThePeriod(t *testing.T) {
	var failed503 atomic.Int64
	var failStart atomic.Value
	failStart.Store("none")
	// The simulator has no knob to fail one chosen request: fail every data
	// request that starts where the second chunk of the plan below starts.
	wrap := testkit.Answer(func(r *http.Request) bool {
		fail := strings.HasSuffix(r.URL.Path, "/data") && r.URL.Query().Get("start") == failStart.Load().(string)
		if fail {
			failed503.Add(1)
		}
		return fail
	}, http.StatusServiceUnavailable, `{"statusCode":503,"message":"maintenance"}`)
	e := newEnv(t, nil, wrap)
	s := e.site(t, "", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), "INVERTER")
	loc := s.Location()
	from := time.Date(2025, 5, 31, 0, 0, 0, 0, loc)
	to := time.Date(2025, 8, 20, 0, 0, 0, 0, loc)
	plan, err := planner.Plan(from, to, planner.Hourly, loc)
	if err != nil || len(plan) != 3 {
		t.Fatalf("plan: %v, %d chunks; want 3", err, len(plan))
	}
	period := planner.FormatWall(plan[1].Start, loc) + " to " + planner.FormatWall(plan[1].End, loc)
	failStart.Store(planner.FormatWall(plan[1].Start, loc))
	resp := testkit.Run(t, e.eng, nil,
		testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"granularity":"hourly"}`, s.ID), From: from, To: to, Interval: time.Hour, MaxDP: 10000},
		testkit.Query{Ref: "B", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"granularity":"daily"}`, s.ID), From: from, To: to, Interval: time.Hour, MaxDP: 10000},
	)
	r := testkit.Failed(t, resp, "A")
	msg := r.Error.Error()
	for _, want := range []string{period, s.Timezone, "one of 3 requests", "no data shown"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if len(r.Frames) != 0 || r.Status != 503 || r.ErrorSource != "downstream" {
		t.Errorf("failed query: %d frames, status %d, source %q; want no frames, 503, downstream", len(r.Frames), r.Status, r.ErrorSource)
	}
	if failed503.Load() == 0 {
		t.Fatal("the failing chunk was never requested")
	}
	if fs := testkit.Frames(t, resp, "B"); len(testkit.Times(t, fs[0])) == 0 {
		t.Error("the daily query that needs no failing chunk has no data")
	}
}

func TestMergingHonoursFieldParameters(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 2, 0, 0, 0, 0, time.UTC)
	s := e.site(t, "", from, "INVERTER")
	inv := fmt.Sprint(s.ComponentsOfType("INVERTER")[0].ID)
	resp := testkit.Run(t, e.eng, nil,
		testkit.Query{Ref: "A", JSON: `{"componentId":"` + inv + `","fields":["W_avg"]}`, From: from, To: to, Interval: time.Minute, MaxDP: 1000},
		testkit.Query{Ref: "B", JSON: `{"componentId":"` + inv + `","fields":["W_m_avg"],"fieldParams":{"inverterClipping":"true"}}`, From: from, To: to, Interval: time.Minute, MaxDP: 1000},
		testkit.Query{Ref: "C", JSON: `{"componentId":"` + inv + `","fields":["W_m_avg"],"fieldParams":{"inverterClipping":"false"}}`, From: from, To: to, Interval: time.Minute, MaxDP: 1000},
	)
	a, b, c := testkit.Frames(t, resp, "A"), testkit.Frames(t, resp, "B"), testkit.Frames(t, resp, "C")
	if n := e.sim.Stats().Count("GET /v3/components/{id}/data"); n != 2 {
		t.Errorf("%d data calls, want 2 (A joins B's call; C's parameter conflicts)", n)
	}
	if !slices.Equal(custom(t, a[0]).MergedWith, []string{"B"}) || custom(t, c[0]).MergedWith != nil {
		t.Errorf("mergedWith A=%v C=%v, want [B] and none", custom(t, a[0]).MergedWith, custom(t, c[0]).MergedWith)
	}
	if q := b[0].Meta.ExecutedQueryString; !strings.Contains(q, "inverterClipping=true") || !strings.Contains(q, "fields=W_avg,W_m_avg") {
		t.Errorf("B executed %q, want the merged call with inverterClipping=true", q)
	}
	if q := c[0].Meta.ExecutedQueryString; !strings.Contains(q, "inverterClipping=false") {
		t.Errorf("C executed %q, want inverterClipping=false", q)
	}
}

func TestAutoQueriesOfOnePanelChooseAlikeAndShareCalls(t *testing.T) {
	e := newEnv(t, nil, nil)
	from := time.Date(2025, 7, 1, 15, 0, 0, 0, time.UTC)
	to := from.Add(6 * time.Hour)
	s := e.site(t, "", from)
	site := fmt.Sprint(s.ID)
	// Site W_avg offers 5min and coarser, W_m_avg also 1min: alone, B would
	// pick 1min for a 20 s interval; together both take 5min and one call.
	resp := testkit.Run(t, e.eng, nil,
		testkit.Query{Ref: "A", JSON: `{"siteId":"` + site + `","fields":["W_avg"]}`, From: from, To: to, Interval: 20 * time.Second, MaxDP: 1000},
		testkit.Query{Ref: "B", JSON: `{"siteId":"` + site + `","fields":["W_m_avg"]}`, From: from, To: to, Interval: 20 * time.Second, MaxDP: 1000},
	)
	a, b := testkit.Frames(t, resp, "A"), testkit.Frames(t, resp, "B")
	if ga, gb := custom(t, a[0]).Granularity, custom(t, b[0]).Granularity; ga != "5min" || gb != "5min" {
		t.Errorf("granularities A=%s B=%s, want both 5min", ga, gb)
	}
	if n := e.sim.Stats().Count("GET /v3/sites/{id}/data"); n != 1 {
		t.Errorf("%d data calls, want 1", n)
	}
	if !strings.Contains(testkit.Notices(b[0]), "query A also offers") {
		t.Errorf("B notices %q do not explain the shared choice", testkit.Notices(b[0]))
	}
	alone := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "B", JSON: `{"siteId":"` + site + `","fields":["W_m_avg"]}`, From: from, To: to, Interval: 20 * time.Second, MaxDP: 1000})
	if g := custom(t, testkit.Frames(t, alone, "B")[0]).Granularity; g != "1min" {
		t.Errorf("B alone chose %s, want 1min (the finest it offers)", g)
	}
}

func TestComponentsOfANamedSiteComeFromItsComponentList(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 2, 0, 0, 0, 0, time.UTC)
	s := e.sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return len(s.ComponentsOfType("INVERTER")) >= 2 && s.Startup.Before(from)
	})
	invs := s.ComponentsOfType("INVERTER")
	resp := testkit.Run(t, e.eng, nil,
		testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"entityType":"component","siteId":"%d","componentId":"%d","fields":["W_avg"]}`, s.ID, invs[0].ID), From: from, To: to, Interval: time.Minute, MaxDP: 1000},
		testkit.Query{Ref: "B", JSON: fmt.Sprintf(`{"entityType":"component","siteId":"%d","componentId":"%d","fields":["W_avg"]}`, s.ID, invs[1].ID), From: from, To: to, Interval: time.Minute, MaxDP: 1000},
	)
	a, b := testkit.Frames(t, resp, "A"), testkit.Frames(t, resp, "B")
	st := e.sim.Stats()
	if n := st.Count("GET /v3/components/{id}"); n != 0 {
		t.Errorf("%d single-component requests, want 0 (the site's list names both)", n)
	}
	if n := st.Count("GET /v3/sites/{id}/components"); n != 1 {
		t.Errorf("%d component list requests, want 1", n)
	}
	if n := st.Count("GET /v3/partners/{id}/components"); n != 0 {
		t.Errorf("%d partner component list requests, want 0 (the site's list costs no more)", n)
	}
	for i, f := range []*data.Frame{a[0], b[0]} {
		if got := f.Fields[1].Labels["component"]; got != invs[i].Name {
			t.Errorf("frame %d labelled component %q, want %q", i, got, invs[i].Name)
		}
	}
}

// Locus ignores the deprecated field parameters: a query that sets none sends
// none and adds no notice about them.
func TestUnsetFieldParametersAreNotSentNorNoted(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 2, 0, 0, 0, 0, time.UTC)
	s := e.site(t, "", from, "INVERTER")
	inv := fmt.Sprint(s.ComponentsOfType("INVERTER")[0].ID)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: `{"componentId":"` + inv + `","fields":["W_m_avg"]}`, From: from, To: to, Interval: time.Minute, MaxDP: 1000})
	a := testkit.Frames(t, resp, "A")
	q := a[0].Meta.ExecutedQueryString
	for _, p := range []string{"modelType", "irradianceSource", "inverterClipping"} {
		if strings.Contains(q, p) {
			t.Errorf("executed %q sends %s, which the query left empty", q, p)
		}
		if n := testkit.Notices(a[0]); strings.Contains(n, p) {
			t.Errorf("notices mention %s: %s", p, n)
		}
	}
}
