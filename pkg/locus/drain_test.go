package locus

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestClosedInstanceLetsRunningWorkFinishWhileTheNewOneServes(t *testing.T) {
	var g *testkit.Gate
	e := newEnv(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { g.Wrap(next).ServeHTTP(w, r) })
	})
	s0, s1 := e.site(t, 0), e.site(t, 1)
	g = testkit.NewGate(fmt.Sprintf("/v3/sites/%d", s0.ID))
	old := e.api(t, nil)
	done, err := old.Begin() // a query running on the old instance
	if err != nil {
		t.Fatal(err)
	}
	running := make(chan error, 1)
	go func() { _, err := old.Site(bg(), s0.ID); running <- err }()
	<-g.Arrived // its request is at Locus

	old.Close() // the settings were saved
	if _, err := old.Begin(); !IsKind(err, KindConfig) {
		t.Fatalf("Begin on a closed instance = %v, want the closed error", err)
	}
	if !old.Draining() {
		t.Fatal("the old instance should be draining")
	}
	g.Open()
	if err := <-running; err != nil {
		t.Fatalf("the running query failed after Close: %v", err)
	}
	// The running query's next call still works while it drains.
	if _, err := old.Site(bg(), s1.ID); err != nil {
		t.Fatalf("a later call of the running query failed: %v", err)
	}
	fresh := e.api(t, nil)
	if _, err := fresh.Clients(bg()); err != nil {
		t.Fatalf("the new instance: %v", err)
	}
	done()
	if old.Draining() {
		t.Fatal("the old instance still drains after its last work ended")
	}
	if _, err := old.Clients(bg()); !IsKind(err, KindConfig) {
		t.Fatalf("after the drain: %v, want the closed error", err)
	}
}

func TestDrainIsBoundedByDrainTimeout(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, func(c *Config) { c.DrainTimeout = 10 * time.Millisecond })
	if _, err := a.Begin(); err != nil { // work that never ends
		t.Fatal(err)
	}
	a.Close()
	waitFor(t, func() bool { return a.closed.Load() })
	if _, err := a.Clients(bg()); !IsKind(err, KindConfig) {
		t.Fatalf("after the drain timeout: %v, want the closed error", err)
	}
}

func TestCloseClosesTheIdleConnectionsOfItsOwnTransport(t *testing.T) {
	cfg := locussim.DefaultConfig()
	cfg.Sites = 2
	sim := locussim.New(cfg)
	srv := httptest.NewUnstartedServer(sim)
	var opened, closed atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			opened.Add(1)
		case http.StateClosed:
			closed.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	a, err := New(Config{BaseURL: srv.URL, PartnerID: locussim.DefaultPartnerID,
		Username: locussim.DefaultUsername, Password: locussim.DefaultPassword,
		ClientID: locussim.DefaultClientID, ClientSecret: locussim.DefaultClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Clients(bg()); err != nil {
		t.Fatal(err)
	}
	if closed.Load() != 0 || opened.Load() == 0 {
		t.Fatalf("before Close: %d opened, %d closed; want a kept-alive connection", opened.Load(), closed.Load())
	}
	a.Close()
	waitFor(t, func() bool { return closed.Load() == opened.Load() })
}
