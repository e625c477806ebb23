package locus

import (
	"compress/gzip"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestGzipRequestedAndDecoded(t *testing.T) {
	var encodings []string
	e := newEnv(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := &encodingRecorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			encodings = append(encodings, rec.Header().Get("Content-Encoding"))
		})
	})
	a := e.api(t, nil)
	sites, err := a.Sites(bg())
	if err != nil || len(sites) != 6 {
		t.Fatalf("Sites = %d, %v", len(sites), err)
	}
	for _, r := range e.wire.requests() {
		if r.AcceptEncoding != "gzip" {
			t.Fatalf("%s %s sent Accept-Encoding %q", r.Method, r.URI, r.AcceptEncoding)
		}
	}
	if len(encodings) == 0 || encodings[len(encodings)-1] != "gzip" {
		t.Fatalf("responses were not gzip-encoded: %q", encodings)
	}
}

type encodingRecorder struct{ http.ResponseWriter }

func TestResponseSizeCap(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Faults.OversizeBytes = 64 << 10 }, nil)
	a := e.api(t, func(c *Config) { c.MaxResponseBytes = 32 << 10 })
	_, err := a.Clients(bg())
	if !IsKind(err, KindTooLarge) || !strings.Contains(err.Error(), "32 KiB cap") || !strings.Contains(err.Error(), "shorter time range") {
		t.Fatalf("err = %v, want a size-cap error naming the cap and the fix", err)
	}
	if got := e.sim.Stats().Count("GET /v3/partners/{id}/clients"); got != 1 {
		t.Fatalf("attempts = %d, want 1 (too large is not retried)", got)
	}
	e.sim.SetFaults(locussim.Faults{})
	if _, err := a.Clients(bg()); err != nil {
		t.Fatalf("normal response after an oversize one: %v", err)
	}
}

func TestGzipBombIsCappedAfterDecompression(t *testing.T) {
	e := newEnv(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, "/v3/") {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			_, _ = zw.Write([]byte(`{"clients":["`))
			_, _ = zw.Write(make([]byte, 4<<20)) // compresses to a few KiB
			_ = zw.Close()
		})
	})
	a := e.api(t, func(c *Config) { c.MaxResponseBytes = 1 << 20 })
	if _, err := a.Clients(bg()); !IsKind(err, KindTooLarge) || !strings.Contains(err.Error(), "1 MiB") {
		t.Fatalf("err = %v, want the decoded size capped at 1 MiB", err)
	}
}

func TestBrokenBodiesGiveDecodeErrors(t *testing.T) {
	cases := map[string]struct {
		faults locussim.Faults
		want   string
	}{
		"truncated":   {locussim.Faults{RateTruncate: 1}, "truncated"},
		"malformed":   {locussim.Faults{RateMalformed: 1}, "malformed JSON"},
		"missing key": {locussim.Faults{RateMissingKey: 1}, `no "sites" list`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, func(cfg *locussim.Config) { cfg.Faults = c.faults }, nil)
			a := e.api(t, nil)
			_, err := a.Sites(bg())
			if !IsKind(err, KindDecode) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "/v3/partners/4242/sites") {
				t.Fatalf("err = %v, want a decode error containing %q and the path", err, c.want)
			}
			// Data bodies go through the hand-written decoder.
			s := e.site(t, 0)
			_, err = a.Data(bg(), DataRequest{Kind: KindSite, ID: s.ID, Fields: []string{"Wh_sum"}, Start: "2026-06-01T00:00:00", End: "2026-06-02T00:00:00", TZ: "UTC", Gran: "hourly"})
			if !IsKind(err, KindDecode) {
				t.Fatalf("data: err = %v, want a decode error", err)
			}
			e.sim.SetFaults(locussim.Faults{})
			if _, err := a.Sites(bg()); err != nil {
				t.Fatalf("a failed response must not be cached: %v", err)
			}
		})
	}
}

func TestStallMidBodyTimesOut(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Faults.StallMidBody = 5 * time.Second }, nil)
	a := e.api(t, func(c *Config) { c.Timeout = 150 * time.Millisecond })
	start := time.Now()
	_, err := a.Sites(bg())
	if !IsKind(err, KindTimeout) || !strings.Contains(err.Error(), "did not answer") || !strings.Contains(err.Error(), "150ms") {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %s; a timeout is retried once at most", d)
	}
}

func TestCancelInFlightStopsAtOnce(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Faults.StallMidBody = 5 * time.Second }, nil)
	a := e.authedAPI(t, nil)
	ctx, cancel := contextWithCancel()
	done := make(chan error, 1)
	go func() { _, err := a.Sites(ctx); done <- err }()
	waitFor(t, func() bool { n, _, _ := a.queue.stats(); return n == 1 })
	time.Sleep(20 * time.Millisecond)
	start := time.Now()
	cancel()
	if err := <-done; !IsKind(err, KindCanceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("cancellation took %s; the stalled body would have taken 5s", d)
	}
	waitFor(t, func() bool { n, w, _ := a.queue.stats(); return n == 0 && w == 0 })
}

func TestUnreachableHost(t *testing.T) {
	e := newEnv(t, nil, nil)
	cfg := e.config()
	cfg.BaseURL = "http://127.0.0.1:1" // nothing listens on port 1
	cfg.Transport = nil
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	err = a.Authenticate(bg())
	if !IsKind(err, KindNetwork) || !strings.Contains(err.Error(), "cannot reach Locus at http://127.0.0.1:1") || !strings.Contains(err.Error(), "check the base URL") {
		t.Fatalf("err = %v, want a network error naming the base URL", err)
	}
}
