package faults

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// A panel refreshed (its query cancelled) while its first data chunk is in
// flight and the other two wait in the account queue: the in-flight request
// is abandoned upstream, the queued ones are not sent (see below for the one
// exception), and the queue moves on to the next query.
func TestCancelWhileQueuedAndInFlight(t *testing.T) {
	scenario(t)
	o := newOrigin(t, func(c *locussim.Config) { c.Latency = 60 * time.Millisecond })
	d := newHost(t, settingsFor(o, nil, nil), nil)
	panels := dashboard(t, o)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o.wire.setOnRequest(func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/data") {
			cancel()
		}
	})
	resp := run(ctx, t, d, panels[0]) // power5m: 3 chunks of 5-minute data
	o.wire.setOnRequest(nil)
	r := testkit.Failed(t, resp, panels[0].Ref)
	if r.ErrorSource != backend.ErrorSourceDownstream || len(r.Frames) != 0 {
		t.Errorf("cancelled query: source %q, %d frames; want downstream and none", r.ErrorSource, len(r.Frames))
	}
	// The in-flight chunk is abandoned upstream. The queued chunks are not
	// sent, except that one may win the freed slot in the instant before the
	// cancellation reaches its shared flight (pkg/locus cancels a flight when
	// its last waiter notices, asynchronously): then it too is abandoned.
	time.Sleep(300 * time.Millisecond) // time for a wrongly released chunk to arrive
	calls := o.wire.dataCalls()
	if len(calls) == 0 || len(calls) > 2 {
		t.Errorf("%d data requests reached Locus, want 1 (at most 2): the queued chunks must not be sent: %v", len(calls), calls)
	}
	if !waitFor(2*time.Second, func() bool { return o.wire.aborted.Load() >= int64(len(calls)) }) {
		t.Errorf("%d of the %d data requests that reached Locus were abandoned upstream, want all", o.wire.aborted.Load(), len(calls))
	}
	// The queue moves on: the whole dashboard loads, with the right values.
	next, stop := context.WithTimeout(context.Background(), 20*time.Second)
	defer stop()
	resp = run(next, t, d, panels...)
	for _, p := range panels {
		sameFrames(t, "after cancel "+p.Ref, cleanDashboard(t)[p.Ref], testkit.Frames(t, resp, p.Ref))
	}
}

// A panel whose response stalls mid-body is cancelled (dashboard closed):
// the stalled request ends upstream at once, and a panel of another
// instance on the same account, waiting behind it, then gets its turn.
func TestCancelStalledRequestFreesTheAccountQueue(t *testing.T) {
	scenario(t)
	o := newOrigin(t, nil)
	o.wire.aim.Store(&target{match: dataWithGran("daily"), mode: modeStall})
	d := newHost(t, settingsFor(o, nil, nil), nil)
	other := newHost(t, settingsFor(o, nil, nil), nil) // same account: shares the queue
	panels := dashboard(t, o)
	ctx, cancel := context.WithCancel(context.Background())
	arrived := make(chan struct{}, 1)
	o.wire.setOnRequest(func(r *http.Request) {
		if dataWithGran("daily")(r) {
			select {
			case arrived <- struct{}{}:
			default:
			}
		}
	})
	done := make(chan *backend.QueryDataResponse, 1)
	go func() { done <- run(ctx, t, d, panels[1]) }()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the daily data request never reached Locus")
	}
	otherDone := make(chan *backend.QueryDataResponse, 1)
	go func() { otherDone <- run(context.Background(), t, other, panels[2]) }()
	time.Sleep(100 * time.Millisecond)
	select {
	case <-otherDone:
		t.Fatal("the other instance's query ran beside the stalled request: the account allows one request in flight")
	default:
	}
	cancel()
	select {
	case resp := <-done:
		testkit.Failed(t, resp, panels[1].Ref)
	case <-time.After(3 * time.Second):
		t.Fatal("the cancelled query did not return within 3 s of the cancellation")
	}
	if !waitFor(2*time.Second, func() bool { return o.wire.aborted.Load() >= 1 }) {
		t.Error("the stalled request was not abandoned upstream")
	}
	select {
	case resp := <-otherDone:
		sameFrames(t, "queued behind the stall", cleanDashboard(t)[panels[2].Ref], testkit.Frames(t, resp, panels[2].Ref))
	case <-time.After(10 * time.Second):
		t.Fatal("the other instance's query never got the account's slot after the cancellation")
	}
}
