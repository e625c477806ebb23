package locussim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// harness is a simulator behind httptest with a logged-in client.
type harness struct {
	t     *testing.T
	sim   *Server
	srv   *httptest.Server
	clk   *clock
	token string
	hc    *http.Client
}

func newHarness(t *testing.T, mutate func(*Config)) *harness {
	t.Helper()
	clk := &clock{t: fixedNow}
	cfg := DefaultConfig()
	cfg.Now = clk.Now
	if mutate != nil {
		mutate(&cfg)
	}
	sim := New(cfg)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	h := &harness{t: t, sim: sim, srv: srv, clk: clk, hc: srv.Client()}
	h.token = h.login(cfg.Username, cfg.Password)
	return h
}

func (h *harness) postToken(form url.Values) (int, map[string]any) {
	h.t.Helper()
	resp, err := h.hc.PostForm(h.srv.URL+"/oauth/token", form)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		h.t.Fatalf("token response is not JSON: %v", err)
	}
	return resp.StatusCode, body
}

func (h *harness) login(user, pass string) string {
	h.t.Helper()
	cfg := h.sim.Config()
	code, body := h.postToken(url.Values{"grant_type": {"password"}, "client_id": {cfg.ClientID},
		"client_secret": {cfg.ClientSecret}, "username": {user}, "password": {pass}})
	if code != 200 {
		h.t.Fatalf("login: %d %v", code, body)
	}
	return body["access_token"].(string)
}

// get performs an authenticated GET and returns status and raw body.
func (h *harness) get(path string) (int, []byte) {
	h.t.Helper()
	return h.getWith(path, h.token, nil)
}

func (h *harness) getWith(path, token string, hdr map[string]string) (int, []byte) {
	h.t.Helper()
	req, err := http.NewRequest("GET", h.srv.URL+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// getJSON GETs path, expects status want and decodes the body.
func (h *harness) getJSON(path string, want int) map[string]any {
	h.t.Helper()
	code, b := h.get(path)
	if code != want {
		h.t.Fatalf("GET %s: status %d, want %d: %s", path, code, want, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		h.t.Fatalf("GET %s: body is not a JSON object: %v: %s", path, err, b)
	}
	return m
}

// errorMessage GETs path, expects an error status and the API's error body.
func (h *harness) errorMessage(path string, want int) string {
	h.t.Helper()
	m := h.getJSON(path, want)
	if sc, _ := m["statusCode"].(float64); int(sc) != want {
		h.t.Fatalf("GET %s: body statusCode %v, want %d", path, m["statusCode"], want)
	}
	msg, _ := m["message"].(string)
	if msg == "" {
		h.t.Fatalf("GET %s: error body without message: %v", path, m)
	}
	return msg
}

// dataRow is one decoded data object.
type dataRow map[string]any

func (r dataRow) ts(t *testing.T) time.Time {
	t.Helper()
	v, err := time.Parse(TSLayout, r["ts"].(string))
	if err != nil {
		t.Fatalf("bad ts %v: %v", r["ts"], err)
	}
	return v
}

func (r dataRow) num(field string) (float64, bool) {
	v, ok := r[field].(float64)
	return v, ok
}

// data fetches a data endpoint and returns its rows.
func (h *harness) data(path string) []dataRow {
	h.t.Helper()
	m := h.getJSON(path, 200)
	raw, ok := m["data"].([]any)
	if !ok {
		h.t.Fatalf("GET %s: no data array: %v", path, m)
	}
	rows := make([]dataRow, len(raw))
	for i, r := range raw {
		rows[i] = dataRow(r.(map[string]any))
	}
	return rows
}

func dataPath(kind string, id int64, fields, start, end, tz, gran string) string {
	return fmt.Sprintf("/v3/%s/%d/data?fields=%s&start=%s&end=%s&tz=%s&gran=%s", kind, id, fields, start, end, url.QueryEscape(tz), gran)
}

// siteWith returns the first main-partner site having the node types.
func (h *harness) siteWith(types ...string) *Site {
	h.t.Helper()
	s := h.sim.Fleet().FindSite(h.sim.Config().PartnerID, func(s *Site) bool { return s.HasTypes(types...) })
	if s == nil {
		h.t.Fatalf("no site with %s", strings.Join(types, ", "))
	}
	return s
}
