package faults

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// stallTimeout is the client timeout of the stall scenario.
const stallTimeout = 2 * time.Second

// Each failure aimed at one panel's data calls (the daily energy panel)
// gives that panel a clear error and no frames; every other panel of the
// same request succeeds with the fault-free values; the host keeps serving.
func TestFailureOfOnePanelLeavesTheOthersRight(t *testing.T) {
	cases := []struct {
		mode   string
		status backend.Status
		says   []string // the error names what happened
	}{
		{modeServerError, backend.Status(http.StatusServiceUnavailable), []string{"Locus server error 503"}},
		{modeReset, backend.StatusBadGateway, []string{"cannot reach Locus", "connection reset"}},
		{modeStall, backend.StatusTimeout, []string{"did not answer", "within " + stallTimeout.String()}},
		{modeTruncate, backend.StatusBadGateway, []string{"unexpected response", "truncated"}},
		{modeMalformed, backend.StatusBadGateway, []string{"unexpected response", "malformed JSON"}},
		{modeMissingKey, backend.StatusBadGateway, []string{`no "data" list`}},
		{modeOversize, backend.StatusBadGateway, []string{"larger than the 2 MiB cap"}},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			scenario(t)
			o := newOrigin(t, nil)
			o.wire.aim.Store(&target{match: dataWithGran("daily"), mode: c.mode})
			d := newHost(t, settingsFor(o, nil, nil), func(cfg *locus.Config) {
				fastRetries(2)(cfg)
				if c.mode == modeStall {
					// Short enough to keep the scenario quick, long enough for
					// every unstalled call even on a loaded machine.
					cfg.Timeout = stallTimeout
				}
				cfg.MaxResponseBytes = 2 << 20
			})
			panels := dashboard(t, o)
			resp := run(context.Background(), t, d, panels...)
			want := cleanDashboard(t)
			for _, p := range panels {
				if p.Ref == "energyDaily" {
					r := testkit.Failed(t, resp, p.Ref)
					if len(r.Frames) != 0 {
						t.Errorf("the failed panel also returned %d frames (a partial result)", len(r.Frames))
					}
					if r.Status != c.status {
						t.Errorf("status %d, want %d (error %q)", r.Status, c.status, r.Error)
					}
					for _, s := range c.says {
						if !strings.Contains(r.Error.Error(), s) {
							t.Errorf("error %q does not mention %q", r.Error, s)
						}
					}
					if !strings.Contains(r.Error.Error(), "failed for the period 2025-06-01T00:00:00 to 2025-09-01T00:00:00") {
						t.Errorf("error %q does not name the failing period", r.Error)
					}
					continue
				}
				sameFrames(t, c.mode+" "+p.Ref, want[p.Ref], testkit.Frames(t, resp, p.Ref))
			}
			if o.wire.injected.Load() == 0 {
				t.Fatal("no fault was injected")
			}
			// The host survived: lift the fault and the same instance serves the whole dashboard right.
			o.wire.aim.Store(nil)
			assertDashboard(t, o, runDashboard(t, o, d))
		})
	}
}

// The simulator's own fault knobs at a rate, over the whole dashboard: every
// panel either equals the fault-free panel value by value or fails with a
// clear error; transient faults (5xx, resets, short stalls) are absorbed by
// retries and never change a value.
func TestRandomFaultsNeverChangeAValue(t *testing.T) {
	cases := []struct {
		name      string
		faults    locussim.Faults
		allPass   bool // retries must absorb every fault
		mentioned []string
	}{
		{"5xx burst", locussim.Faults{Rate5xx: 0.3}, true, nil},
		{"connection resets", locussim.Faults{RateReset: 0.3}, true, nil},
		{"short stalls mid-body", locussim.Faults{StallMidBody: 30 * time.Millisecond}, true, nil},
		{"mixed transient", locussim.Faults{Rate429: 0.2, Rate5xx: 0.2, RateReset: 0.1}, true, nil},
		{"truncated bodies", locussim.Faults{RateTruncate: 0.1}, false, []string{"unexpected response"}},
		{"malformed bodies", locussim.Faults{RateMalformed: 0.1}, false, []string{"unexpected response"}},
		{"200 without the key", locussim.Faults{RateMissingKey: 0.1}, false, []string{"unexpected response"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scenario(t)
			o := newOrigin(t, func(cfg *locussim.Config) { cfg.Faults = c.faults })
			d := newHost(t, settingsFor(o, nil, nil), fastRetries(10))
			panels := dashboard(t, o)
			resp := run(context.Background(), t, d, panels...)
			want := cleanDashboard(t)
			okPanels, failedPanels := 0, 0
			for _, p := range panels {
				r := resp.Responses[p.Ref]
				if r.Error != nil {
					failedPanels++
					if c.allPass {
						t.Errorf("%s failed under a transient fault the retries should absorb: %v", p.Ref, r.Error)
					}
					if len(r.Frames) != 0 {
						t.Errorf("%s failed but returned %d frames", p.Ref, len(r.Frames))
					}
					for _, s := range c.mentioned {
						if !strings.Contains(r.Error.Error(), s) {
							t.Errorf("%s error %q does not mention %q", p.Ref, r.Error, s)
						}
					}
					continue
				}
				okPanels++
				sameFrames(t, c.name+" "+p.Ref, want[p.Ref], r.Frames)
			}
			st := o.sim.Stats()
			if sumFaults(st.Faults) == 0 {
				t.Fatalf("no fault was injected (%v)", st.Faults)
			}
			t.Logf("%s: faults %v, %d panels right, %d failed clearly", c.name, st.Faults, okPanels, failedPanels)
		})
	}
}

// A 200 lacking its key on a single-entity call (the component the 5-minute
// panel plots) is a clear "unexpected response" for that panel, never an
// entity with id 0 passed on. The engine looks components up in the
// partner's component list and calls GET /components/{id} only when the
// list cannot serve it, so the list lacks its key too.
func TestEntityWithoutItsKey(t *testing.T) {
	scenario(t)
	o := newOrigin(t, nil)
	o.wire.aim.Store(&target{mode: modeMissingKey, match: func(r *http.Request) bool {
		single := strings.HasPrefix(r.URL.Path, "/v3/components/") && strings.Count(r.URL.Path, "/") == 3
		list := strings.HasPrefix(r.URL.Path, "/v3/partners/") && strings.HasSuffix(r.URL.Path, "/components")
		return single || list
	}})
	d := newHost(t, settingsFor(o, nil, nil), nil)
	panels := dashboard(t, o)
	resp := run(context.Background(), t, d, panels[0], panels[1])
	r := testkit.Failed(t, resp, panels[0].Ref)
	for _, s := range []string{"unexpected response", `no "id"`, "/v3/components/"} {
		if !strings.Contains(r.Error.Error(), s) {
			t.Errorf("error %q does not mention %q", r.Error, s)
		}
	}
	if o.wire.injected.Load() == 0 {
		t.Fatal("the component call was never made: the scenario proves nothing")
	}
	sameFrames(t, panels[1].Ref, cleanDashboard(t)[panels[1].Ref], testkit.Frames(t, resp, panels[1].Ref))
}
