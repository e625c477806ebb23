package locus

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// testNow is the fixed instant the shared fake clock starts at.
var testNow = time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)

// wire records every request that reaches the network: what the client
// really sent, for exact-path and header assertions.
type wire struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []wireReq
}

type wireReq struct {
	Method, URI, AcceptEncoding, Authorization, Grant string
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := wireReq{Method: r.Method, URI: r.URL.RequestURI(), AcceptEncoding: r.Header.Get("Accept-Encoding"), Authorization: r.Header.Get("Authorization")}
	if r.Body != nil && r.Method == http.MethodPost {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		if form, err := url.ParseQuery(string(b)); err == nil {
			rec.Grant = form.Get("grant_type")
		}
	}
	w.mu.Lock()
	w.reqs = append(w.reqs, rec)
	w.mu.Unlock()
	return w.next.RoundTrip(r)
}

func (w *wire) requests() []wireReq {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]wireReq(nil), w.reqs...)
}

// v3 returns the /v3 request URIs in order.
func (w *wire) v3() []string {
	var out []string
	for _, r := range w.requests() {
		if strings.HasPrefix(r.URI, "/v3/") {
			out = append(out, r.URI)
		}
	}
	return out
}

// env is a simulator on 127.0.0.1 plus the recording wire and the manual
// clock they share.
type env struct {
	sim   *locussim.Server
	url   string
	wire  *wire
	clock *testkit.Clock
}

// newEnv starts a simulator of 6 sites. mod adjusts its config; wrap, if
// not nil, wraps its handler (to inject behaviour the simulator has no knob for).
func newEnv(t *testing.T, mod func(*locussim.Config), wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	c := testkit.NewClock(testNow)
	sim := simkit.Start(t, c.Now, func(cfg *locussim.Config) {
		cfg.Sites = 6
		if mod != nil {
			mod(cfg)
		}
	}, wrap)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return &env{sim: sim.Server, url: sim.URL, wire: &wire{next: tr}, clock: c}
}

// config is a client config for the simulator's main account, with fast
// retries and the shared clock.
func (e *env) config() Config {
	return Config{
		BaseURL:        e.url,
		PartnerID:      locussim.DefaultPartnerID,
		Username:       locussim.DefaultUsername,
		Password:       locussim.DefaultPassword,
		ClientID:       locussim.DefaultClientID,
		ClientSecret:   locussim.DefaultClientSecret,
		Transport:      e.wire,
		Timeout:        5 * time.Second,
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  5 * time.Millisecond,
		Now:            e.clock.Now,
	}
}

// api returns a client for the environment, closed when the test ends.
func (e *env) api(t *testing.T, mod func(*Config)) *API {
	t.Helper()
	cfg := e.config()
	if mod != nil {
		mod(&cfg)
	}
	a, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(a.Close)
	return a
}

// authedAPI is api's client, already logged in (a test that needs a token
// before its first data call).
func (e *env) authedAPI(t *testing.T, mod func(*Config)) *API {
	t.Helper()
	a := e.api(t, mod)
	if err := a.Authenticate(bg()); err != nil {
		t.Fatal(err)
	}
	return a
}

// site returns the n-th site of the main partner.
func (e *env) site(t *testing.T, n int) *locussim.Site {
	t.Helper()
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	if n >= len(sites) {
		t.Fatalf("the fleet has %d sites, need %d", len(sites), n+1)
	}
	return sites[n]
}

func bg() context.Context { return context.Background() }

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(bg()) }

func asError(err error, target **Error) bool { return errors.As(err, target) }

// flightWaiters is the number of callers waiting for the flight of key.
func (a *API) flightWaiters(key string) int {
	a.flight.mu.Lock()
	defer a.flight.mu.Unlock()
	if f := a.flight.m[key]; f != nil {
		return f.waiters
	}
	return 0
}
