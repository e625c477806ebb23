package plugin

import (
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestSiteIndexServesStaleWhenLocusIsDown(t *testing.T) {
	sim, base := simOrigin(t, locussim.DefaultConfig())
	now := time.Now()
	clock := func() time.Time { return now }
	d := newDatasource(simSettings(base, map[string]any{"metadataCacheSeconds": 60}, nil), Options{Now: clock, Logger: newCaptureLogger(),
		Tune: func(c *locus.Config) { c.MaxRetries = -1 }})
	t.Cleanup(d.Dispose)
	if status, body, _ := callResource(t, d, "GET", "/sites"); status != 200 {
		t.Fatalf("warm-up: %d %s", status, errorText(body))
	}
	now = now.Add(2 * time.Minute) // both the index and the client cache are stale now
	sim.SetFaults(locussim.Faults{Rate5xx: 1})
	status, body, _ := callResource(t, d, "GET", "/sites?query=a")
	if status != 200 {
		t.Fatalf("with Locus failing, a stale site list should still be served: %d %s", status, errorText(body))
	}
	// The client serves its stale list at once and refreshes it in the
	// background (which fails here).
	if err := d.api.WaitBackground(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := sim.Stats().Faults["5xx"]; got == 0 {
		t.Fatalf("the stale list was not refreshed in the background (no upstream attempt)")
	}
	// A client-side error (here: the instance is closed) is not ridden out
	// (once the index, rebuilt from the client's stale list, is stale too).
	now = now.Add(2 * time.Minute)
	d.api.Close()
	if status, _, _ := callResource(t, d, "GET", "/sites"); status == 200 {
		t.Fatalf("a non-transient error must not be hidden by stale data")
	}
}
