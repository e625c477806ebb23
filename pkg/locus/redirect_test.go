package locus

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// sink is a plain-http server recording what reaches it.
type sink struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen []string // "METHOD path auth=... body=..."
}

func newSink(t *testing.T) *sink {
	s := &sink{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.seen = append(s.seen, r.Method+" "+r.URL.Path+" auth="+r.Header.Get("Authorization")+" body="+string(b))
		s.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *sink) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// tlsSim serves the simulator over https, redirecting the requests of
// redirect(path) (when it returns a target) with status code.
func tlsSim(t *testing.T, code int, redirect func(r *http.Request) string) (*httptest.Server, *locussim.Server) {
	cfg := locussim.DefaultConfig()
	cfg.Sites = 2
	sim := locussim.New(cfg)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to := redirect(r); to != "" {
			http.Redirect(w, r, to, code)
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, sim
}

func tlsConfig(srv *httptest.Server) Config {
	return Config{
		BaseURL: srv.URL, PartnerID: locussim.DefaultPartnerID,
		Username: locussim.DefaultUsername, Password: "pw-" + locussim.DefaultPassword,
		ClientID: locussim.DefaultClientID, ClientSecret: locussim.DefaultClientSecret,
		Transport: srv.Client().Transport, MaxRetries: -1,
	}
}

func TestHTTPSToHTTPRedirectIsNotFollowedWithTheBearerToken(t *testing.T) {
	plain := newSink(t)
	srv, _ := tlsSim(t, http.StatusFound, func(r *http.Request) string {
		if strings.HasSuffix(r.URL.Path, "/clients") {
			return plain.srv.URL + r.URL.Path // same host (127.0.0.1), http, other port
		}
		return ""
	})
	cfg := tlsConfig(srv)
	cfg.Password = locussim.DefaultPassword
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, err = a.Clients(bg())
	if got := plain.requests(); len(got) != 0 {
		t.Fatalf("the redirect to http was followed: %v", got)
	}
	if !IsKind(err, KindConfig) || !strings.Contains(err.Error(), "redirected") || !strings.Contains(err.Error(), plain.srv.URL) {
		t.Fatalf("error = %v, want a settings error naming the redirect target", err)
	}
	// The instance keeps working for calls that are not redirected.
	if _, err := a.Sites(bg()); err != nil {
		t.Fatalf("same-origin call: %v", err)
	}
}

func TestTokenEndpoint307IsNotRepostedOverHTTP(t *testing.T) {
	plain := newSink(t)
	srv, _ := tlsSim(t, http.StatusTemporaryRedirect, func(r *http.Request) string {
		if r.URL.Path == tokenPath {
			return plain.srv.URL + tokenPath
		}
		return ""
	})
	a, err := New(tlsConfig(srv))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	err = a.Authenticate(bg())
	if got := plain.requests(); len(got) != 0 {
		t.Fatalf("the token request was re-posted over http: %v", got)
	}
	if !IsKind(err, KindConfig) || !strings.Contains(err.Error(), "307") {
		t.Fatalf("error = %v, want a settings error about the 307", err)
	}
	if strings.Contains(err.Error(), "pw-demo") || strings.Contains(err.Error(), locussim.DefaultClientSecret) {
		t.Fatalf("the error reveals a secret: %v", err)
	}
}

func TestSameOriginComparesSchemeHostAndPort(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{"https://api.locusenergy.com/v3/x", "https://API.locusenergy.com:443/v3/y", true},
		{"http://h/x", "http://h:80/y", true},
		{"https://h/x", "http://h/x", false},
		{"https://h/x", "https://h:8443/x", false},
		{"https://h/x", "https://evil.example/x", false},
	}
	for _, c := range cases {
		a, _ := http.NewRequest("GET", c.a, nil)
		b, _ := http.NewRequest("GET", c.b, nil)
		if got := sameOrigin(a.URL, b.URL); got != c.same {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}
