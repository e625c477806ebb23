package locus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// testNow is the fixed instant the shared fake clock starts at.
var testNow = time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)

// clock is a manual clock shared by the simulator and the client, so token
// lifetimes and cache lifetimes can pass without sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

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

// env is a simulator on a loopback HTTP server plus the recording wire.
type env struct {
	sim   *locussim.Server
	srv   *httptest.Server
	wire  *wire
	clock *clock
}

// newEnv starts a simulator. mod adjusts its config; wrap, if not nil,
// wraps its handler (to inject behaviour the simulator has no knob for).
func newEnv(t *testing.T, mod func(*locussim.Config), wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	c := &clock{t: testNow}
	cfg := locussim.DefaultConfig()
	cfg.Now = c.Now
	cfg.Sites = 6
	if mod != nil {
		mod(&cfg)
	}
	sim := locussim.New(cfg)
	var h http.Handler = sim
	if wrap != nil {
		h = wrap(sim)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return &env{sim: sim, srv: srv, wire: &wire{next: tr}, clock: c}
}

// config is a client config for the simulator's main account, with fast
// retries and the shared clock.
func (e *env) config() Config {
	return Config{
		BaseURL:        e.srv.URL,
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

// site returns the n-th site of the main partner.
func (e *env) site(t *testing.T, n int) *locussim.Site {
	t.Helper()
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	if n >= len(sites) {
		t.Fatalf("the fleet has %d sites, need %d", len(sites), n+1)
	}
	return sites[n]
}

// logRecorder captures every log line, for secret checks.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) add(level, msg string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, level+" "+msg+" "+fmt.Sprint(args...))
	l.mu.Unlock()
}
func (l *logRecorder) Debug(msg string, args ...any) { l.add("debug", msg, args...) }
func (l *logRecorder) Info(msg string, args ...any)  { l.add("info", msg, args...) }
func (l *logRecorder) Warn(msg string, args ...any)  { l.add("warn", msg, args...) }
func (l *logRecorder) Error(msg string, args ...any) { l.add("error", msg, args...) }

func (l *logRecorder) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func bg() context.Context { return context.Background() }

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(bg()) }

func asError(err error, target **Error) bool { return errors.As(err, target) }

// gate holds requests for one path in the handler until opened, so tests
// can line callers up deterministically however slow the machine is.
type gate struct {
	path    string
	open    chan struct{}
	arrived chan struct{}
}

func newGate(path string) *gate {
	return &gate{path: path, open: make(chan struct{}), arrived: make(chan struct{}, 100)}
}

func (g *gate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == g.path {
			g.arrived <- struct{}{}
			select {
			case <-g.open:
			case <-r.Context().Done():
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// flightWaiters is the number of callers waiting for the flight of key.
func (a *API) flightWaiters(key string) int {
	a.flight.mu.Lock()
	defer a.flight.mu.Unlock()
	if f := a.flight.m[key]; f != nil {
		return f.waiters
	}
	return 0
}
