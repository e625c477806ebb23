package query

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// requestLog records the requests the simulator receives, in the order it
// receives them ("GET /v3/...?...").
type requestLog struct {
	mu   sync.Mutex
	reqs []string
}

func (l *requestLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.reqs = append(l.reqs, r.Method+" "+r.URL.RequestURI())
		l.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// take returns the requests logged so far and empties the log.
func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	return out
}

// isData reports a data request; isMetadata one of entities, lists or
// field catalogues (not data, alerts or tokens).
func isData(r string) bool { return strings.Contains(r, "/data?") }
func isMetadata(r string) bool {
	return strings.HasPrefix(r, "GET /v3/") && !isData(r) && !strings.Contains(r, "/alerts")
}

// TestExpiredMetadataNeverPrecedesData loads a dashboard (component series
// of a site's inverters, named by component id only, and the site's own
// series), lets the metadata lifetime pass, and loads it again: the second
// load's data requests reach the simulator before any metadata request, its
// metadata is refreshed afterwards in the background, and no component is
// ever fetched one by one (the partner's component list covers them).
func TestExpiredMetadataNeverPrecedesData(t *testing.T) {
	var log requestLog
	var now atomic.Int64
	now.Store(testNow.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	e := newEnvWith(t, nil, log.wrap, func(c *locus.Config) { c.Now = clock })
	s := e.sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return len(s.ComponentsOfType(locussim.NodeInverter)) >= 2 && s.Startup.Before(testNow.AddDate(0, -1, 0))
	})
	if s == nil {
		t.Fatal("no site with 2 inverters")
	}
	invs := s.ComponentsOfType(locussim.NodeInverter)
	ids := make([]string, len(invs))
	for i, c := range invs {
		ids[i] = fmt.Sprint(c.ID)
	}
	from := testNow.Add(-24 * time.Hour)
	dashboard := []testkit.Query{
		{Ref: "A", JSON: fmt.Sprintf(`{"queryType":"timeseries","entityType":"component","componentId":"%s","fields":["W_avg"],"granularity":"15min"}`, strings.Join(ids, ",")),
			From: from, To: testNow, Interval: time.Minute, MaxDP: 2000},
		{Ref: "B", JSON: fmt.Sprintf(`{"queryType":"timeseries","entityType":"site","siteId":"%d","fields":["Wh_sum"],"granularity":"hourly"}`, s.ID),
			From: from, To: testNow, Interval: time.Minute, MaxDP: 2000},
	}
	load := func(what string) []string {
		resp := testkit.Run(t, e.eng, nil, dashboard...)
		for _, q := range dashboard {
			if fs := testkit.Frames(t, resp, q.Ref); len(fs) == 0 {
				t.Fatalf("%s: query %s gave no frames", what, q.Ref)
			}
		}
		return log.take()
	}
	oneByOne := func(reqs []string) {
		t.Helper()
		for _, r := range reqs {
			for _, c := range invs {
				if strings.HasPrefix(r, fmt.Sprintf("GET /v3/components/%d?", c.ID)) || r == fmt.Sprintf("GET /v3/components/%d", c.ID) {
					t.Errorf("component %d fetched one by one: %s", c.ID, r)
				}
			}
		}
	}

	cold := load("cold load")
	oneByOne(cold)
	partnerLists := 0
	for _, r := range cold {
		if strings.HasPrefix(r, fmt.Sprintf("GET /v3/partners/%d/components", locussim.DefaultPartnerID)) {
			partnerLists++
		}
	}
	if partnerLists != 1 {
		t.Fatalf("cold load made %d partner component list requests, want 1 for %d components:\n%s", partnerLists, len(invs), strings.Join(cold, "\n"))
	}
	if err := e.api.WaitBackground(t.Context()); err != nil {
		t.Fatal(err)
	}
	log.take()

	// The metadata lifetime passes; the data touching now expires too.
	now.Add(int64(locus.DefaultMetadataTTL + time.Minute))
	during := load("load after metadata expiry")
	if err := e.api.WaitBackground(t.Context()); err != nil {
		t.Fatal(err)
	}
	after := log.take()
	oneByOne(append(during, after...))
	// A metadata request delays the dashboard only if it reaches Locus
	// before the load's last data request: the background refresh may start
	// the moment the last query is answered, before log.take() runs.
	data, lastData := 0, -1
	for i, r := range during {
		if isData(r) {
			data++
			lastData = i
		}
	}
	for _, r := range during[:lastData+1] {
		if isMetadata(r) {
			t.Errorf("metadata request while the dashboard waited for its data: %s\nrequests of the load:\n%s", r, strings.Join(during, "\n"))
		}
	}
	if data == 0 {
		t.Fatalf("the load after expiry made no data request (its data should have expired too):\n%s", strings.Join(during, "\n"))
	}
	refreshed := 0
	for _, r := range after {
		if isData(r) {
			t.Errorf("data request after the load: %s", r)
		}
		if isMetadata(r) {
			refreshed++
		}
	}
	if refreshed == 0 {
		t.Fatal("the expired metadata was never refreshed in the background")
	}
}
