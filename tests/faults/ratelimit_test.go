package faults

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// competitor is another program using the same Locus account: it lists the
// partner's sites in a loop until stopped, meeting (and causing) 429s.
func competitor(t *testing.T, o *origin) (stop func() (requests, refused int)) {
	t.Helper()
	tok := rawToken(t, o)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	n, refused := 0, 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, o.url+"/v3/partners/4242/sites", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				continue
			}
			mu.Lock()
			n++
			if resp.StatusCode == http.StatusTooManyRequests {
				refused++
			}
			mu.Unlock()
			drain(resp.Body)
		}
	}()
	return func() (int, int) {
		cancel()
		wg.Wait()
		return n, refused
	}
}

// A 429 storm (a quarter of all requests refused) while a second client
// competes for the account's single request slot: within the retry budget
// no panel errors and every value equals the fault-free one.
func TestRateLimitStormWithACompetingClient(t *testing.T) {
	scenario(t)
	o := newOrigin(t, func(c *locussim.Config) { c.Faults.Rate429 = 0.25 })
	stop := competitor(t, o)
	d := newHost(t, settingsFor(o, nil, nil), fastRetries(20)) // the most the client allows: the competitor holds the slot often
	got := runDashboard(t, o, d)
	requests, refused := stop()
	assertDashboard(t, o, got)
	st := o.sim.Stats()
	if st.Faults["429"] == 0 {
		t.Fatal("no 429 was injected")
	}
	if requests == 0 {
		t.Fatal("the competing client sent no request")
	}
	t.Logf("429 injected %d, competitor %d requests (%d refused), 429s in all %d", st.Faults["429"], requests, refused, st.ByStatus[429])
}

// Past the retry budget the panel gets a clear "Locus rate limit" error
// (status 429), other queries of the request are unaffected once the storm
// ends, and the queue recovers: the next refresh succeeds with the right values.
func TestRateLimitPastTheBudgetThenRecovery(t *testing.T) {
	scenario(t)
	o := newOrigin(t, nil)
	d := newHost(t, settingsFor(o, nil, nil), fastRetries(2))
	panels := dashboard(t, o)
	o.sim.SetFaults(locussim.Faults{Rate429: 1})
	resp := run(context.Background(), t, d, panels[1])
	r := testkit.Failed(t, resp, panels[1].Ref)
	if !strings.Contains(r.Error.Error(), "Locus rate limit") {
		t.Errorf("error %q does not say \"Locus rate limit\"", r.Error)
	}
	if r.Status != backend.StatusTooManyRequests {
		t.Errorf("status %d, want 429", r.Status)
	}
	o.sim.SetFaults(locussim.Faults{})
	got := runDashboard(t, o, d)
	assertDashboard(t, o, got)
}
