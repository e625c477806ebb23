package faults

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// Credentials of the simulator's main account in every scenario: distinctive
// strings, so that finding one anywhere is a leak, not a coincidence.
const (
	testPassword     = "pw-Hx8#q2Lm9v"
	testClientSecret = "cs-Tz4!k7Wd3r"
)

// origin is a simulator served over HTTP on 127.0.0.1 behind a wire that
// observes every request (tokens, data calls) and can inject faults the
// simulator has no knob for.
type origin struct {
	sim  *locussim.Server
	url  string
	wire *wire
}

// wire wraps the simulator's handler.
type wire struct {
	next http.Handler
	// onRequest, if set, runs before each /v3 request is served.
	onRequest atomic.Pointer[func(r *http.Request)]
	// aim, if set, applies a fault mode to the requests it matches.
	aim      atomic.Pointer[target]
	injected atomic.Int64
	// aborted counts /v3 requests whose context ended before the simulator
	// finished them (the client hung up: cancellation or timeout).
	aborted atomic.Int64
	mu      sync.Mutex
	data    []string // request URIs of data calls, in arrival order
}

func (w *wire) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		secrets.add(tok)
	}
	if strings.HasPrefix(r.URL.Path, "/v3/") {
		defer func() {
			if r.Context().Err() != nil {
				w.aborted.Add(1)
			}
		}()
		if f := w.onRequest.Load(); f != nil {
			(*f)(r)
		}
		if strings.HasSuffix(r.URL.Path, "/data") {
			w.mu.Lock()
			w.data = append(w.data, r.URL.RequestURI())
			w.mu.Unlock()
		}
	}
	if a := w.aim.Load(); a != nil && a.match(r) {
		w.serveFault(rw, r, a.mode)
		return
	}
	if r.URL.Path == "/oauth/token" {
		rec := &teeWriter{ResponseWriter: rw}
		w.next.ServeHTTP(rec, r)
		var tr struct {
			Access  string `json:"access_token"`
			Refresh string `json:"refresh_token"`
		}
		if json.Unmarshal(rec.body.Bytes(), &tr) == nil {
			secrets.add(tr.Access)
			secrets.add(tr.Refresh)
		}
		return
	}
	w.next.ServeHTTP(rw, r)
}

// dataCalls returns the request URIs of the data calls served so far.
func (w *wire) dataCalls() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.data...)
}

// setOnRequest installs (or, with nil, removes) a request observer.
func (w *wire) setOnRequest(f func(r *http.Request)) {
	if f == nil {
		w.onRequest.Store(nil)
		return
	}
	w.onRequest.Store(&f)
}

// teeWriter keeps a copy of the body it writes.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.body.Write(p)
	return t.ResponseWriter.Write(p)
}

// newOrigin starts a simulator with the test credentials; mod adjusts its config.
func newOrigin(t testing.TB, mod func(*locussim.Config)) *origin {
	t.Helper()
	cfg := locussim.DefaultConfig()
	cfg.Password = testPassword
	cfg.ClientSecret = testClientSecret
	if mod != nil {
		mod(&cfg)
	}
	secrets.add(cfg.Password)
	secrets.add(cfg.ClientSecret)
	sim := locussim.New(cfg)
	w := &wire{next: sim}
	srv := httptest.NewServer(w)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		figures.faults.Add(int64(sumFaults(sim.Stats().Faults)))
	})
	return &origin{sim: sim, url: srv.URL, wire: w}
}

func sumFaults(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// waitFor polls cond every few milliseconds until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
	return cond()
}
