package locussim

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestConcurrencyLimitAnswersDocumented429(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Latency = 300 * time.Millisecond })
	var wg sync.WaitGroup
	codes := make([]int, 3)
	bodies := make([][]byte, 3)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], bodies[i] = h.Get("/v3/partners/4242/clients")
		}()
	}
	wg.Wait()
	ok, limited := 0, 0
	for i, c := range codes {
		switch c {
		case 200:
			ok++
		case 429:
			limited++
			if string(bodies[i]) != `{"message": "Too many requests", "statusCode": 429}` {
				t.Errorf("429 body %q", bodies[i])
			}
		default:
			t.Errorf("status %d", c)
		}
	}
	if ok != 1 || limited != 2 {
		t.Errorf("3 concurrent requests: %d ok, %d limited; want 1 and 2", ok, limited)
	}
	st := h.sim.Stats()
	if st.MaxInFlight < 2 || st.MaxInFlightByAccount["demo"] != st.MaxInFlight {
		t.Errorf("MaxInFlight = %d (%v), want the attempted overlap (>= 2)", st.MaxInFlight, st.MaxInFlightByAccount)
	}
	if st.CountStatus("GET /v3/partners/{id}/clients", 429) != 2 {
		t.Errorf("stats: %v", st.ByEndpointStatus)
	}
	// The other account has its own slot.
	other := h.login(OtherUsername, OtherPassword)
	wg.Add(2)
	var c1, c2 int
	go func() { defer wg.Done(); c1, _ = h.Get("/v3/partners/4242/clients") }()
	go func() { defer wg.Done(); c2, _ = h.GetWith("/v3/partners/9999/clients", other, nil) }()
	wg.Wait()
	if c1 != 200 || c2 != 200 {
		t.Errorf("two accounts in parallel: %d %d", c1, c2)
	}
}

func TestSerialClientNeverMeets429(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	for i := range 200 {
		if c, b := h.Get(fmt.Sprintf("/v3/sites/%d", site.ID)); c != 200 {
			t.Fatalf("request %d: %d %s", i, c, b)
		}
	}
	if st := h.sim.Stats(); st.MaxInFlight != 1 || st.ByStatus[429] != 0 {
		t.Errorf("serial client: MaxInFlight %d, 429s %d", st.MaxInFlight, st.ByStatus[429])
	}
}

func TestUnlimitedConcurrency(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Concurrency = -1; c.Latency = 150 * time.Millisecond })
	var wg sync.WaitGroup
	var mu sync.Mutex
	bad := 0
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c, _ := h.Get("/v3/partners/4242/clients"); c != 200 {
				mu.Lock()
				bad++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if bad != 0 || h.sim.Stats().MaxInFlight < 2 {
		t.Errorf("unlimited: %d failures, MaxInFlight %d", bad, h.sim.Stats().MaxInFlight)
	}
}

func TestGzipWhenAsked(t *testing.T) {
	h := newHarness(t, nil)
	req, _ := http.NewRequest("GET", h.srv.URL+"/v3/partners/4242/sites", nil)
	req.Header.Set("Authorization", "Bearer "+h.Token)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := h.HC.Transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.NewDecoder(zr).Decode(&m); err != nil || len(m["sites"].([]any)) != DefaultSites {
		t.Errorf("gunzipped body: %v %v", err, m)
	}
	// Without the header, plain JSON.
	code, b := h.Get("/v3/partners/4242/sites")
	if code != 200 || b[0] != '{' {
		t.Errorf("plain: %d %q", code, b[:10])
	}
}

func TestStatsCountByEndpointAndStatus(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	h.sim.ResetStats()
	h.Get(dataPath("sites", site.ID, "Wh_sum", "2024-01-01T00:00:00", "2024-01-02T00:00:00", "UTC", "hourly"))
	h.Get(dataPath("sites", site.ID, "Wh_sum", "2024-01-01T00:00:00", "2024-03-02T00:00:00", "UTC", "hourly"))
	h.Get("/v3/sites/1")
	h.GetWith("/v3/sites/1", "", nil)
	st := h.sim.Stats()
	p := "GET /v3/sites/{id}/data"
	if st.Count(p) != 2 || st.CountStatus(p, 200) != 1 || st.CountStatus(p, 400) != 1 {
		t.Errorf("data counts: %v", st.ByEndpointStatus[p])
	}
	if st.CountStatus("GET /v3/sites/{id}", 404) != 1 || st.CountStatus("GET /v3/sites/{id}", 401) != 1 {
		t.Errorf("site counts: %v", st.ByEndpointStatus["GET /v3/sites/{id}"])
	}
	if st.Total != 4 || st.API != 4 {
		t.Errorf("Total %d API %d", st.Total, st.API)
	}
	h.login("demo", "demo")
	if st := h.sim.Stats(); st.Total != 5 || st.API != 4 || st.Count("POST /oauth/token") != 1 {
		t.Errorf("after a login: %+v", st)
	}
}

func faultHarness(t *testing.T, f Faults) *harness {
	return newHarness(t, func(c *Config) { c.Faults = f })
}

func TestInjectedFaults(t *testing.T) {
	path := "/v3/partners/4242/clients"
	t.Run("429", func(t *testing.T) {
		h := faultHarness(t, Faults{Rate429: 1})
		if c, b := h.Get(path); c != 429 || string(b) != tooManyRequests {
			t.Errorf("%d %s", c, b)
		}
	})
	t.Run("5xx", func(t *testing.T) {
		h := faultHarness(t, Faults{Rate5xx: 1})
		c, b := h.Get(path)
		var m map[string]any
		if c < 500 || c > 504 || json.Unmarshal(b, &m) != nil || int(m["statusCode"].(float64)) != c {
			t.Errorf("%d %s", c, b)
		}
	})
	for _, kind := range []string{"truncate", "malformed"} {
		t.Run(kind, func(t *testing.T) {
			f := Faults{RateTruncate: 1}
			if kind == "malformed" {
				f = Faults{RateMalformed: 1}
			}
			h := faultHarness(t, f)
			c, b := h.Get(path)
			var m map[string]any
			if c != 200 || json.Unmarshal(b, &m) == nil {
				t.Errorf("%d, body still valid JSON: %s", c, b)
			}
			if h.sim.Stats().Faults[kind] != 1 {
				t.Errorf("fault not counted: %v", h.sim.Stats().Faults)
			}
		})
	}
	t.Run("missingKey", func(t *testing.T) {
		h := faultHarness(t, Faults{RateMissingKey: 1})
		m := h.getJSON(path, 200)
		if _, has := m["clients"]; has {
			t.Errorf("envelope key present: %v", m)
		}
	})
	t.Run("oversize", func(t *testing.T) {
		h := faultHarness(t, Faults{OversizeBytes: 1 << 20})
		c, b := h.Get(path)
		var m map[string]any
		if c != 200 || len(b) < 1<<20 || json.Unmarshal(b, &m) != nil || m["clients"] == nil {
			t.Errorf("%d, %d bytes", c, len(b))
		}
	})
	t.Run("reset over HTTP", func(t *testing.T) {
		h := faultHarness(t, Faults{RateReset: 1})
		req, _ := http.NewRequest("GET", h.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+h.Token)
		resp, err := h.HC.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("reset answered %d", resp.StatusCode)
		}
		h.sim.SetFaults(Faults{})
		if c, _ := h.Get(path); c != 200 {
			t.Errorf("after the reset the slot is still taken: %d", c)
		}
	})
	t.Run("stall", func(t *testing.T) {
		h := faultHarness(t, Faults{StallMidBody: 150 * time.Millisecond})
		start := time.Now()
		m := h.getJSON(path, 200)
		if time.Since(start) < 150*time.Millisecond || m["clients"] == nil {
			t.Errorf("stalled body: %v after %s", m, time.Since(start))
		}
	})
	t.Run("deterministic", func(t *testing.T) {
		seq := func() []int {
			h := faultHarness(t, Faults{Rate5xx: 0.5})
			var out []int
			for range 20 {
				c, _ := h.Get(path)
				out = append(out, c/100)
			}
			return out
		}
		a, b := seq(), seq()
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("same seed, different faults: %v vs %v", a, b)
		}
	})
}

// rtClient logs in over the in-process RoundTripper.
func rtClient(t *testing.T, s *Server) (*http.Client, string) {
	t.Helper()
	hc := &http.Client{Transport: s.RoundTripper()}
	resp, err := hc.PostForm("http://locus.sim/oauth/token", map[string][]string{"grant_type": {"password"},
		"client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}, "username": {"demo"}, "password": {"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil {
		t.Fatal(err)
	}
	return hc, tok["access_token"].(string)
}

func rtGet(ctx context.Context, hc *http.Client, tok, path string) (*http.Response, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://locus.sim"+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	return hc.Do(req)
}

func TestRoundTripperMatchesHTTP(t *testing.T) {
	h := newHarness(t, nil)
	hc, tok := rtClient(t, h.sim)
	site := h.siteWith(NodeInverter)
	for _, p := range []string{
		"/v3/partners/4242/sites",
		fmt.Sprintf("/v3/sites/%d/components", site.ID),
		dataPath("sites", site.ID, "Wh_sum,W_avg", "2024-03-09T00:00:00", "2024-03-12T00:00:00", "US/Pacific", "hourly"),
		"/v3/sites/1",
	} {
		resp, err := rtGet(context.Background(), hc, tok, p)
		if err != nil {
			t.Fatal(err)
		}
		viaRT, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		code, viaHTTP := h.Get(p)
		if resp.StatusCode != code || !bytes.Equal(viaRT, viaHTTP) {
			t.Errorf("%s: RoundTripper %d (%d bytes) vs HTTP %d (%d bytes)", p, resp.StatusCode, len(viaRT), code, len(viaHTTP))
		}
		if resp.ContentLength != int64(len(viaRT)) {
			t.Errorf("%s: ContentLength %d for %d bytes", p, resp.ContentLength, len(viaRT))
		}
	}
}

func TestRoundTripperFaultsAndCancellation(t *testing.T) {
	s := New(Config{Now: func() time.Time { return fixedNow }, Latency: 5 * time.Second})
	hc, tok := &http.Client{Transport: s.RoundTripper()}, directToken(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := rtGet(ctx, hc, tok, "/v3/partners/4242/sites"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled request: %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("cancellation took %s", time.Since(start))
	}
	// The cancelled request's slot is free again promptly.
	deadline := time.Now().Add(time.Second)
	for {
		s.mu.Lock()
		inFlight := s.accounts[0].inFlight
		s.mu.Unlock()
		if inFlight == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("in-flight slot not released after cancellation")
		}
		time.Sleep(5 * time.Millisecond)
	}

	s2 := New(Config{Now: func() time.Time { return fixedNow }, Faults: Faults{RateReset: 1}})
	hc2, tok2 := rtClient(t, s2)
	if _, err := rtGet(context.Background(), hc2, tok2, "/v3/partners/4242/sites"); !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("reset over RoundTripper: %v", err)
	}

	// A stalled body can be abandoned by cancelling; the read fails.
	s3 := New(Config{Now: func() time.Time { return fixedNow }, Faults: Faults{StallMidBody: 5 * time.Second}})
	hc3, tok3 := rtClient(t, s3)
	ctx3, cancel3 := context.WithCancel(context.Background())
	resp, err := rtGet(ctx3, hc3, tok3, "/v3/partners/4242/sites")
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, cancel3)
	start = time.Now()
	_, err = io.ReadAll(resp.Body)
	if err == nil || time.Since(start) > 2*time.Second {
		t.Errorf("reading a stalled body after cancel: %v after %s", err, time.Since(start))
	}
	resp.Body.Close()

	// gzip over the RoundTripper too.
	s4 := New(Config{Now: func() time.Time { return fixedNow }})
	hc4, tok4 := rtClient(t, s4)
	req, _ := http.NewRequest("GET", "http://locus.sim/v3/partners/4242/clients", nil)
	req.Header.Set("Authorization", "Bearer "+tok4)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err = hc4.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	zr, err := gzip.NewReader(resp.Body)
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip over RoundTripper: %v %v", err, resp.Header)
	}
	if b, _ := io.ReadAll(zr); !bytes.Contains(b, []byte(`"clients"`)) {
		t.Errorf("gunzipped: %s", b)
	}
}

// directToken logs in through the token handler itself, skipping latency.
func directToken(t *testing.T, s *Server) string {
	t.Helper()
	req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader(url.Values{"grant_type": {"password"},
		"client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}, "username": {"demo"}, "password": {"demo"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.handleToken(rec, req)
	var tok map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || rec.Code != 200 {
		t.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	return tok["access_token"].(string)
}
