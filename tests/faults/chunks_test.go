package faults

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sunfleet/locus-datasource/internal/testkit"
)

// One chunk of a chunked query fails for good: the error names the failing
// period; the query returns no frames at all (no partial series shown as
// complete); the other panel of the request is unaffected.
func TestOneFailingChunk(t *testing.T) {
	scenario(t)
	o := newOrigin(t, nil)
	panels := dashboard(t, o)
	chunked, other := panels[0], panels[1]
	// Learn the chunks from a clean instance.
	run(context.Background(), t, newHost(t, settingsFor(o, nil, nil), nil), chunked)
	var starts []string
	for _, uri := range o.wire.dataCalls() {
		u, _ := url.Parse(uri)
		starts = append(starts, u.Query().Get("start"))
	}
	if len(starts) < 3 {
		t.Fatalf("the chunked panel made %d data calls, want at least 3: %v", len(starts), starts)
	}
	bad := starts[1]
	o.wire.aim.Store(&target{mode: modeServerError, match: func(r *http.Request) bool {
		return dataWithGran("5min")(r) && r.URL.Query().Get("start") == bad
	}})
	d := newHost(t, settingsFor(o, nil, nil), fastRetries(2))
	resp := run(context.Background(), t, d, chunked, other)
	r := testkit.Failed(t, resp, chunked.Ref)
	if len(r.Frames) != 0 {
		t.Errorf("the query with a failed chunk returned %d frames (partial series)", len(r.Frames))
	}
	if msg := r.Error.Error(); !strings.Contains(msg, "the period "+bad+" to ") {
		t.Errorf("error %q does not name the failing period starting %s", msg, bad)
	}
	sameFrames(t, other.Ref, cleanDashboard(t)[other.Ref], testkit.Frames(t, resp, other.Ref))
}
