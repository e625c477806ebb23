package testkit

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Serve serves h on 127.0.0.1 (a port chosen by the system) until the test
// ends and returns its base URL. wrap, if not nil, wraps h first (to inject
// a fault h has no knob for).
func Serve(t testing.TB, h http.Handler, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Gate holds the requests for one path until Open, so a test can line
// callers up by events however slow the machine is. Arrived receives one
// value per held request (buffered for 100).
type Gate struct {
	path    string
	open    chan struct{}
	Arrived chan struct{}
}

// NewGate returns a closed gate for requests to path.
func NewGate(path string) *Gate {
	return &Gate{path: path, open: make(chan struct{}), Arrived: make(chan struct{}, 100)}
}

// Open lets every held and later request through; call it once.
func (g *Gate) Open() { close(g.open) }

// Wrap returns next behind the gate.
func (g *Gate) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == g.path {
			g.Arrived <- struct{}{}
			select {
			case <-g.open:
			case <-r.Context().Done():
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Answer returns a wrap that answers the requests match accepts with
// status and the JSON body (as Locus answers an error, or a reply the
// simulator has no knob for) and passes the others on.
func Answer(match func(*http.Request) bool, status int, body string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !match(r) {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		})
	}
}
