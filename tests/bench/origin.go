package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// origin is a simulator served over real HTTP on 127.0.0.1, with a log of
// every request line it received (to find duplicate upstream requests).
type origin struct {
	sim *locussim.Server
	srv *httptest.Server

	mu    sync.Mutex
	calls map[string]int
	order []string
	busyT time.Duration
}

// newOrigin starts a simulator with cfg on a loopback port.
func newOrigin(cfg locussim.Config) *origin {
	o := &origin{sim: locussim.New(cfg), calls: map[string]int{}}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		line := r.Method + " " + r.URL.RequestURI()
		o.mu.Lock()
		o.calls[line]++
		o.order = append(o.order, line)
		o.mu.Unlock()
		start := time.Now()
		o.sim.ServeHTTP(w, r)
		o.mu.Lock()
		o.busyT += time.Since(start)
		o.mu.Unlock()
	}))
	return o
}

// URL is the origin's base URL.
func (o *origin) URL() string { return o.srv.URL }

// Close stops the server.
func (o *origin) Close() { o.srv.Close() }

// reset zeroes the request log and the simulator's counters.
func (o *origin) reset() {
	o.mu.Lock()
	o.calls = map[string]int{}
	o.order = nil
	o.busyT = 0
	o.mu.Unlock()
	o.sim.ResetStats()
}

// requests returns the number of requests received since the last reset.
func (o *origin) requests() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.order)
}

// duplicates lists the request lines received more than once.
func (o *origin) duplicates() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for line, n := range o.calls {
		if n > 1 {
			out = append(out, line)
		}
	}
	return out
}

// log returns the request lines in arrival order.
func (o *origin) log() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.order...)
}

// busy is the total time the origin spent handling requests since the last
// reset (the simulator's latency included).
func (o *origin) busy() time.Duration {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.busyT
}
