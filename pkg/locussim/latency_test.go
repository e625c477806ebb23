package locussim

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
	"time"
)

// Latency is the least time a request takes, gzip answers included (the
// body is compressed within it, and still arrives intact).
func TestLatencyIsTheLeastResponseTime(t *testing.T) {
	const latency = 80 * time.Millisecond
	h := newHarness(t, func(c *Config) { c.Latency = latency })
	for _, hdr := range []map[string]string{nil, {"Accept-Encoding": "gzip"}} {
		start := time.Now()
		code, body := h.GetWith("/v3/partners/4242/sites", h.Token, hdr)
		took := time.Since(start)
		if code != 200 {
			t.Fatalf("status %d: %s", code, body)
		}
		if took < latency {
			t.Errorf("headers %v: answered in %s, before the %s latency", hdr, took, latency)
		}
		if hdr != nil {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("gzip answer: %v", err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatalf("gzip answer: %v", err)
			}
		}
		if !bytes.Contains(body, []byte(`"sites"`)) {
			t.Errorf("headers %v: body lacks the sites envelope: %.80s", hdr, body)
		}
	}
}
