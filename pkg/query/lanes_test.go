package query

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/locuskit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// waitUntil polls cond (an event the test waits for, never a duration it
// assumes), failing after a generous bound so a broken build cannot hang.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// dataTracker holds the n-th data request of the big query at the
// simulator and records the order in which data requests arrive.
type dataTracker struct {
	mu       sync.Mutex
	isSmall  func(r *http.Request) bool
	holdAt   int
	held     chan struct{} // closed when the holdAt-th big request arrived
	release  chan struct{} // closed by the test to let it go on
	big      int           // big data requests arrived
	bigAtFor map[string]int
}

func newDataTracker(holdAt int, isSmall func(r *http.Request) bool) *dataTracker {
	return &dataTracker{isSmall: isSmall, holdAt: holdAt, held: make(chan struct{}), release: make(chan struct{}), bigAtFor: map[string]int{}}
}

// lastBigAtSmall is how many big data requests had arrived when the last
// small one did, or -1 when no small data request has arrived.
func (d *dataTracker) lastBigAtSmall() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	last := -1
	for _, n := range d.bigAtFor {
		last = max(last, n)
	}
	return last
}

func (d *dataTracker) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/data") {
			d.mu.Lock()
			hold := false
			if d.isSmall(r) {
				d.bigAtFor[r.URL.RawQuery] = d.big
			} else {
				d.big++
				hold = d.big == d.holdAt
			}
			d.mu.Unlock()
			if hold {
				close(d.held)
				<-d.release
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (d *dataTracker) bigCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.big
}

func TestAlertRuleIsAnsweredAfterAtMostTwoRequestsOfABigDashboard(t *testing.T) {
	alertStart := testNow.Add(-time.Hour).Format("2006-01-02T15:04:05")
	tr := newDataTracker(3, func(r *http.Request) bool {
		return r.URL.Query().Get("start") == alertStart && r.URL.Query().Get("tz") == "UTC"
	})
	e := newEnv(t, func(c *locussim.Config) { c.Sites = 31 }, tr.wrap)
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[:30]
	ids := make([]string, len(sites))
	for i, s := range sites {
		ids[i] = fmt.Sprint(s.ID)
	}
	bigDone := make(chan error, 1)
	go func() {
		resp, err := e.eng.QueryData(context.Background(), testkit.Request(nil, testkit.Query{Ref: "BIG",
			JSON: `{"siteId":"` + strings.Join(ids, ",") + `","fields":["W_avg"],"granularity":"5min"}`,
			From: testNow.Add(-90 * 24 * time.Hour), To: testNow}))
		if err == nil && resp.Responses["BIG"].Error != nil {
			err = resp.Responses["BIG"].Error
		}
		if err == nil && len(resp.Responses["BIG"].Frames) < len(sites)/2 {
			err = fmt.Errorf("%d frames for %d sites", len(resp.Responses["BIG"].Frames), len(sites))
		}
		bigDone <- err
	}()
	var releaseOnce sync.Once
	letGo := func() { releaseOnce.Do(func() { close(tr.release) }) }
	t.Cleanup(letGo) // a failing test must not leave the request held
	<-tr.held        // the big query is fetching its chunks; one is in flight, held
	bigBefore := tr.bigCount()

	// The big query's chunks enter the engine lazily: only a few wait.
	if w := e.eng.co.gate.Stats().Waiting[locus.LaneBulk]; w > e.eng.fanOut() {
		t.Errorf("%d chunks of the big query wait at the gate at once, want at most the fan-out %d", w, e.eng.fanOut())
	}

	alertDone := make(chan struct{})
	var alertErr error
	var alertCustom Custom
	go func() {
		defer close(alertDone)
		resp, err := e.eng.QueryData(context.Background(), testkit.Request(fromAlert, testkit.Query{Ref: "A",
			JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"timeZoneMode":"utc"}`, sites[7].ID),
			From: testNow.Add(-time.Hour), To: testNow}))
		switch {
		case err != nil:
			alertErr = err
		case resp.Responses["A"].Error != nil:
			alertErr = resp.Responses["A"].Error
		case len(resp.Responses["A"].Frames) == 0:
			alertErr = fmt.Errorf("no frames")
		default:
			alertCustom = resp.Responses["A"].Frames[0].Meta.Custom.(Custom)
		}
	}()
	waitUntil(t, "the alert query waits for its turn", func() bool {
		return e.eng.co.gate.Stats().Waiting[locus.LaneAlert] > 0 || e.api.QueueStats().Waiting[locus.LaneAlert] > 0
	})
	letGo()
	<-alertDone
	if alertErr != nil {
		t.Fatalf("alert query: %v", alertErr)
	}
	bigAtAlert := tr.lastBigAtSmall()
	if bigAtAlert < 0 {
		t.Fatal("the alert query's data request never reached the simulator")
	}
	// The held request was in flight when the alert arrived: it counts.
	if served := bigAtAlert - bigBefore + 1; served > 2 {
		t.Fatalf("the alert query was answered after %d requests of the big query, want at most 2", served)
	}
	if alertCustom.Queue == nil || alertCustom.Queue.Lanes[0] != "alert" {
		t.Fatalf("alert query meta queue = %+v, want the alert lane", alertCustom.Queue)
	}
	if err := <-bigDone; err != nil {
		t.Fatalf("big query: %v", err)
	}
	if n := tr.bigCount(); n < 60 {
		t.Fatalf("the big query made %d data requests; the scenario needs a large one", n)
	}
}

func TestAlertRuleOnAnotherDataSourceOfTheAccountGoesFirstToo(t *testing.T) {
	alertStart := testNow.Add(-time.Hour).Format("2006-01-02T15:04:05")
	tr := newDataTracker(3, func(r *http.Request) bool {
		return r.URL.Query().Get("start") == alertStart && r.URL.Query().Get("tz") == "UTC"
	})
	e := newEnv(t, func(c *locussim.Config) { c.Sites = 31 }, tr.wrap)
	// A second data source of the same account (its own instance, cache and gate).
	other := locuskit.NewAPI(t, e.url, fixedNow, nil)
	alertEngine := NewEngine(other, Options{Now: fixedNow})
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[:30]
	alertQuery := func(to time.Time) error {
		resp, err := alertEngine.QueryData(context.Background(), testkit.Request(fromAlert, testkit.Query{Ref: "A",
			JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"timeZoneMode":"utc"}`, sites[7].ID),
			From: to.Add(-time.Hour), To: to}))
		if err != nil {
			return err
		}
		return resp.Responses["A"].Error
	}
	// The rule evaluated once before (its metadata is cached on its instance).
	if err := alertQuery(testNow.Add(-24 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(sites))
	for i, s := range sites {
		ids[i] = fmt.Sprint(s.ID)
	}
	var releaseOnce sync.Once
	letGo := func() { releaseOnce.Do(func() { close(tr.release) }) }
	t.Cleanup(letGo)
	bigDone := make(chan error, 1)
	go func() {
		resp, err := e.eng.QueryData(context.Background(), testkit.Request(nil, testkit.Query{Ref: "BIG",
			JSON: `{"siteId":"` + strings.Join(ids, ",") + `","fields":["W_avg"],"granularity":"5min"}`,
			From: testNow.Add(-90 * 24 * time.Hour), To: testNow}))
		if err == nil {
			err = resp.Responses["BIG"].Error
		}
		bigDone <- err
	}()
	<-tr.held
	bigBefore := tr.bigCount()
	alertDone := make(chan error, 1)
	go func() { alertDone <- alertQuery(testNow) }()
	waitUntil(t, "the alert query waits in the account queue", func() bool {
		return other.QueueStats().Waiting[locus.LaneAlert] > 0
	})
	if w := other.QueueStats().Waiting; w[locus.LaneBulk] > e.eng.fanOut() {
		t.Errorf("%d bulk requests wait in the account queue, want at most the fan-out %d", w[locus.LaneBulk], e.eng.fanOut())
	}
	letGo()
	if err := <-alertDone; err != nil {
		t.Fatalf("alert query: %v", err)
	}
	bigAtAlert := tr.lastBigAtSmall()
	if served := bigAtAlert - bigBefore + 1; bigAtAlert < 0 || served > 2 {
		t.Fatalf("the alert query on the other data source was answered after %d requests of the big query, want at most 2", served)
	}
	if err := <-bigDone; err != nil {
		t.Fatalf("big query: %v", err)
	}
}
