package query

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func TestAlertsOfAThousandSitesOverYearsKeepGoroutinesAndHeapBounded(t *testing.T) {
	const holdAt = 20
	var arrived atomic.Int64
	held := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	letGo := func() { once.Do(func() { close(release) }) }
	t.Cleanup(letGo)
	e := newEnv(t, func(c *locussim.Config) { c.Sites = 1000 }, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/alerts") && arrived.Add(1) == holdAt {
				close(held)
				<-release
			}
			next.ServeHTTP(w, r)
		})
	})
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	ids := make([]string, 0, 1000)
	for _, s := range sites[:1000] {
		ids = append(ids, fmt.Sprint(s.ID))
	}
	baseGoroutines := runtime.NumGoroutine()
	baseHeap := heapInUse()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan string, 1)
	go func() {
		// 8 years: under the per-entity request cap however the windows are cut.
		resp, _ := e.eng.QueryData(ctx, testkit.Request(nil, testkit.Query{Ref: "A",
			JSON: `{"queryType":"alerts","scope":"site","siteId":"` + strings.Join(ids, ",") + `"}`,
			From: testNow.AddDate(-8, 0, 0), To: testNow}))
		r := resp.Responses["A"]
		if r.Error == nil {
			done <- ""
			return
		}
		done <- r.Error.Error()
	}()
	select {
	case <-held:
	case msg := <-done:
		t.Fatalf("the query ended (%q) before its %d-th request", msg, holdAt)
	}
	goroutines := runtime.NumGoroutine() - baseGoroutines
	heap := int64(heapInUse()) - int64(baseHeap)
	t.Logf("while running: %d goroutines, %.1f MiB heap above the baseline", goroutines, float64(heap)/(1<<20))
	if limit := 4*e.eng.fanOut() + 40; goroutines > limit {
		t.Errorf("%d goroutines above the baseline while running, want at most %d (the query's requests must enter lazily)", goroutines, limit)
	}
	if heap > 64<<20 {
		t.Errorf("heap grew by %.1f MiB while running, want at most 64 MiB", float64(heap)/(1<<20))
	}
	cancel()
	letGo()
	msg := <-done
	if !strings.Contains(msg, "cancelled") || strings.Contains(msg, "context canceled") {
		t.Errorf("cancelled query answered %q, want the cancellation explained for people", msg)
	}
	if n := arrived.Load(); n > holdAt+int64(e.eng.fanOut()) {
		t.Errorf("%d alerts requests reached the simulator after the cancel, want at most the %d already queued", n-holdAt, e.eng.fanOut())
	}
}

func TestEveryQueryTypeRefusesMoreThanTheRequestCapWithOneMessage(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	cases := []struct {
		name string
		js   string
		from time.Time
	}{
		{"time series at 5min over 10 years", fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"granularity":"5min"}`, s.ID), testNow.AddDate(-10, 0, 0)},
		{"partner alerts over 10 years", `{"queryType":"alerts"}`, testNow.AddDate(-10, 0, 0)},
		{"bulk over 150 years", `{"queryType":"bulk","fields":["Wh_sum"]}`, testNow.AddDate(-150, 0, 0)},
	}
	before := e.sim.Stats()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: c.js, From: c.from, To: testNow, Interval: time.Hour, MaxDP: 1000})
			r := testkit.Failed(t, resp, "A")
			msg := r.Error.Error()
			if !strings.Contains(msg, "the range needs") || !strings.Contains(msg, fmt.Sprintf("(at most %d allowed per entity in one query)", maxChunks)) {
				t.Fatalf("error %q, want the one request-cap refusal", msg)
			}
			if r.Status != 400 {
				t.Fatalf("status %d, want 400", r.Status)
			}
		})
	}
	after := e.sim.Stats()
	for _, route := range []string{"GET /v3/sites/{id}/data", "GET /v3/partners/{id}/alerts", "GET /v3/partners/{id}/sites/data"} {
		if n := after.Count(route) - before.Count(route); n != 0 {
			t.Errorf("%d %s requests were sent for refused queries", n, route)
		}
	}
}
