package locussim

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
)

// harness is a simulator behind httptest on 127.0.0.1 with a logged-in
// raw client.
type harness struct {
	*testkit.RawClient
	t   *testing.T
	sim *Server
	srv *httptest.Server
	clk *testkit.Clock
}

func newHarness(t *testing.T, mutate func(*Config)) *harness {
	t.Helper()
	clk := testkit.NewClock(fixedNow)
	cfg := DefaultConfig()
	cfg.Now = clk.Now
	if mutate != nil {
		mutate(&cfg)
	}
	sim := New(cfg)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	h := &harness{t: t, sim: sim, srv: srv, clk: clk}
	h.RawClient = testkit.Login(t, srv.Client(), srv.URL, h.credentials(cfg.Username, cfg.Password))
	return h
}

// credentials are the simulator's client credentials with user and pass.
func (h *harness) credentials(user, pass string) testkit.Credentials {
	cfg := h.sim.Config()
	return testkit.Credentials{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Username: user, Password: pass}
}

// login logs user in and returns the access token.
func (h *harness) login(user, pass string) string {
	h.t.Helper()
	return testkit.Login(h.t, h.HC, h.srv.URL, h.credentials(user, pass)).Token
}

// getJSON GETs path, expects status want and decodes the body.
func (h *harness) getJSON(path string, want int) map[string]any {
	h.t.Helper()
	var m map[string]any
	h.GetJSON(path, want, &m)
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
