package locus

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestRateLimitBurstRecovers(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Faults.Rate429 = 0.4; c.Seed = 7 }, nil)
	a := e.api(t, func(c *Config) { c.MaxRetries = 10 })
	ctx, cs := WithCallStats(bg())
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	for _, s := range sites {
		got, err := a.Site(ctx, s.ID)
		if err != nil {
			t.Fatalf("Site(%d) during a 429 burst: %v", s.ID, err)
		}
		if got.ID != s.ID || got.Name != s.Name {
			t.Fatalf("Site(%d) = %+v, want %q", s.ID, got, s.Name)
		}
	}
	st := e.sim.Stats()
	if st.Faults["429"] == 0 || cs.Retries.Load() != int64(st.Faults["429"]) {
		t.Fatalf("429s injected %d, retries %d: every 429 must be retried", st.Faults["429"], cs.Retries.Load())
	}
	if got := cs.Upstream.Load(); got != int64(len(sites)+st.Faults["429"]) {
		t.Fatalf("upstream = %d, want %d calls + %d retries", got, len(sites), st.Faults["429"])
	}
}

func TestRetryBudgetExhausted(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Faults.Rate429 = 1 }, nil)
	a := e.api(t, nil)
	ctx, cs := WithCallStats(bg())
	_, err := a.Sites(ctx)
	if !IsKind(err, KindRateLimited) || !strings.Contains(err.Error(), "Locus rate limit: still 429 after 4 retries") {
		t.Fatalf("err = %v, want the rate-limit error after 4 retries", err)
	}
	var le *Error
	if !asError(err, &le) || le.Status != 429 || !le.Downstream() || !strings.Contains(le.Path, "/v3/partners/4242/sites") {
		t.Fatalf("error fields = %+v", le)
	}
	if got := e.sim.Stats().Count("GET /v3/partners/{id}/sites"); got != 5 {
		t.Fatalf("attempts = %d, want 1 + 4 retries", got)
	}
	if cs.Retries.Load() != 4 {
		t.Fatalf("retries = %d, want 4", cs.Retries.Load())
	}
	// The queue recovers once Locus does.
	e.sim.SetFaults(locussim.Faults{})
	if _, err := a.Sites(bg()); err != nil {
		t.Fatalf("after the storm: %v", err)
	}
}

func TestServerErrorsRetriedThenReported(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Faults.Rate5xx = 1 }, nil)
	a := e.api(t, func(c *Config) { c.MaxRetries = 3 })
	_, err := a.Clients(bg())
	if !IsKind(err, KindServer) || !strings.Contains(err.Error(), "Locus server error") || !strings.Contains(err.Error(), "retries") {
		t.Fatalf("err = %v, want a server error naming the retries", err)
	}
	n := e.sim.Stats().Count("GET /v3/partners/{id}/clients")
	if n < 2 || n > 4 {
		t.Fatalf("attempts = %d, want between 2 (500 retried twice at most) and 4", n)
	}
}

func TestConnectionResetsRetried(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Faults.RateReset = 0.5; c.Seed = 3 }, nil)
	a := e.api(t, func(c *Config) { c.MaxRetries = 10 })
	for _, s := range e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		if _, err := a.Components(bg(), s.ID); err != nil {
			t.Fatalf("Components(%d) with resets: %v", s.ID, err)
		}
	}
	if e.sim.Stats().Faults["reset"] == 0 {
		t.Fatal("no reset was injected; the test proves nothing")
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	if _, err := a.Site(bg(), 1); !IsKind(err, KindNotFound) || !strings.Contains(err.Error(), "404") {
		t.Fatalf("unknown site: err = %v, want not found", err)
	}
	other := e.sim.Fleet().SitesOfPartner(locussim.OtherPartnerID)[0]
	if _, err := a.Site(bg(), other.ID); !IsKind(err, KindForbidden) || !strings.Contains(err.Error(), "check the partner ID") {
		t.Fatalf("other partner's site: err = %v, want forbidden", err)
	}
	s := e.site(t, 0)
	_, err := a.Data(bg(), DataRequest{Kind: KindSite, ID: s.ID, Fields: []string{"NoSuchField_avg"}, Start: "2026-06-01T00:00:00", End: "2026-06-02T00:00:00", TZ: "UTC", Gran: "hourly"})
	if !IsKind(err, KindBadRequest) || !strings.Contains(err.Error(), "NoSuchField_avg") {
		t.Fatalf("unknown field: err = %v, want Locus's 400 message", err)
	}
	if n := e.sim.Stats().API; n != 3 {
		t.Fatalf("/v3 requests = %d, want 3: 4xx other than 401/429 are never retried", n)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	var refused atomic.Int32
	e := newEnv(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v3/") && refused.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(`{"message":"Too many requests","statusCode":429}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	a := e.authedAPI(t, nil) // backoff alone would wait at most 5ms
	start := time.Now()
	if _, err := a.Clients(bg()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 950*time.Millisecond {
		t.Fatalf("retried after %s, want the 1s Retry-After honoured", d)
	}
}

func TestBackoffDoesNotHoldTheQueue(t *testing.T) {
	// One caller keeps meeting 429s (with a long Retry-After) while another
	// caller's requests must still go through in the meantime.
	var mu sync.Mutex
	e := newEnv(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			if r.URL.Path == "/v3/partners/4242/clients" {
				w.Header().Set("Retry-After", "2")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	a := e.authedAPI(t, func(c *Config) { c.MaxRetries = 1 })
	blocked := make(chan error, 1)
	go func() { _, err := a.Clients(bg()); blocked <- err }()
	waitFor(t, func() bool { return len(e.wire.v3()) >= 1 })
	if _, err := a.Site(bg(), e.site(t, 0).ID); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-blocked:
		t.Fatalf("the rate-limited call ended (%v) before the other caller got through: the backoff held the queue slot", err)
	default:
	}
	if err := <-blocked; !IsKind(err, KindRateLimited) {
		t.Fatalf("err = %v, want rate limited", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		" 0.5 ":                         500 * time.Millisecond,
		"-1":                            0,
		"soon":                          0,
		"100000":                        maxRetryAfter,
		"Thu, 01 Jan 2026 00:00:07 GMT": 7 * time.Second,
		"Wed, 31 Dec 2025 23:00:00 GMT": 0,
	}
	for in, want := range cases {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestBackoffIsBoundedAndJittered(t *testing.T) {
	a := &API{cfg: Config{RetryBaseDelay: 100 * time.Millisecond, RetryMaxDelay: time.Second}}
	seen := map[time.Duration]bool{}
	for n := 0; n < 10; n++ {
		for i := 0; i < 50; i++ {
			d := a.backoff(n, 0)
			ceiling := min(100*time.Millisecond<<n, time.Second)
			if d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %s outside [0, %s]", n, d, ceiling)
			}
			seen[d] = true
		}
	}
	if len(seen) < 100 {
		t.Fatalf("only %d distinct waits in 500 draws: no jitter", len(seen))
	}
	if d := a.backoff(0, 3*time.Second); d != 3*time.Second {
		t.Fatalf("backoff with Retry-After 3s = %s", d)
	}
}

func TestResultsUnderFaultsEqualFaultFree(t *testing.T) {
	clean := newEnv(t, nil, nil)
	faulty := newEnv(t, func(c *locussim.Config) {
		c.Faults = locussim.Faults{Rate429: 0.25, Rate5xx: 0.15, RateReset: 0.1}
		c.Seed = 1 // same fleet as clean (seed 1), faults drawn from it too
	}, nil)
	ca, fa := clean.api(t, nil), faulty.api(t, func(c *Config) { c.MaxRetries = 12 })
	s := clean.site(t, 1)
	var compared int
	for day := 1; day <= 6; day++ {
		r := DataRequest{Kind: KindSite, ID: s.ID, Fields: []string{"W_avg", "Wh_sum"}, TZ: s.Timezone, Gran: "15min",
			Start: fmt.Sprintf("2026-06-%02dT00:00:00", day), End: fmt.Sprintf("2026-06-%02dT00:00:00", day+1)}
		want, err := ca.Data(bg(), r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fa.Data(bg(), r)
		if err != nil {
			t.Fatalf("day %d under faults: %v", day, err)
		}
		if len(got.Times) != len(want.Times) {
			t.Fatalf("day %d: %d points, want %d", day, len(got.Times), len(want.Times))
		}
		for i := range want.Times {
			if !got.Times[i].Equal(want.Times[i]) {
				t.Fatalf("day %d point %d: time %v, want %v", day, i, got.Times[i], want.Times[i])
			}
			for _, f := range r.Fields {
				g, w := got.Values[f].Pointers()[i], want.Values[f].Pointers()[i]
				if (g == nil) != (w == nil) || (g != nil && *g != *w) {
					t.Fatalf("day %d %s[%d] = %s, want %s", day, f, i, val(g), val(w))
				}
				compared++
			}
		}
	}
	st := faulty.sim.Stats()
	if st.Faults["429"]+st.Faults["5xx"]+st.Faults["reset"] == 0 {
		t.Fatal("no fault was injected")
	}
	t.Logf("compared %d values; faults injected: %v", compared, st.Faults)
}

func TestRetryAfterLongerThanTheTimeLeftAnswersThe429AtOnce(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter string
		deadline   time.Duration // 0: none
	}{
		{"past the query's deadline", "20", 3 * time.Second},
		{"longer than any query without a deadline", "120", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.HasPrefix(r.URL.Path, "/v3/") {
						w.Header().Set("Retry-After", tc.retryAfter)
						w.WriteHeader(http.StatusTooManyRequests)
						_, _ = w.Write([]byte(`{"message":"Too many requests","statusCode":429}`))
						return
					}
					next.ServeHTTP(w, r)
				})
			})
			a := e.api(t, nil)
			ctx := bg()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			// Clients goes through the shared-flight path, whose request
			// runs on a detached context: the deadline must still count.
			_, err := a.Clients(ctx)
			if !IsKind(err, KindRateLimited) || !strings.Contains(err.Error(), "429") {
				t.Fatalf("err = %v, want the 429's rate-limit message at once", err)
			}
		})
	}
}

func TestHTMLPageWithStatus200IsBlamedOnTheOriginNotThePlugin(t *testing.T) {
	e := newEnv(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v3/") {
				w.Header().Set("Content-Type", "text/html")
				_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>portal</body></html>"))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	a := e.api(t, nil)
	_, err := a.Clients(bg())
	var le *Error
	if !asError(err, &le) || !le.Downstream() || le.GatewayStatus() != http.StatusBadGateway || !strings.Contains(err.Error(), "HTML page") {
		t.Fatalf("err = %v, want a downstream 502 naming the HTML page", err)
	}
	// A body that is broken JSON is still the decoder's (the plugin's) to explain.
	if !looksLikeHTML([]byte("  <html>")) || looksLikeHTML([]byte(`{"clients":[`)) {
		t.Fatal("looksLikeHTML misclassifies")
	}
}
