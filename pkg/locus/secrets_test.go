package locus

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// tokenSniffer records every access and refresh token the token endpoint
// hands out, so the test can look for them everywhere afterwards.
type tokenSniffer struct {
	next   http.RoundTripper
	mu     sync.Mutex
	tokens []string
}

func (s *tokenSniffer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if err != nil || r.URL.Path != tokenPath {
		return resp, err
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	plain := raw
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if zr, zerr := gzip.NewReader(bytes.NewReader(raw)); zerr == nil {
			plain, _ = io.ReadAll(zr)
		}
	}
	var tr tokenResponse
	if json.Unmarshal(plain, &tr) == nil {
		s.mu.Lock()
		for _, tok := range []string{tr.AccessToken, tr.RefreshToken} {
			if tok != "" {
				s.tokens = append(s.tokens, tok)
			}
		}
		s.mu.Unlock()
	}
	return resp, nil
}

func TestSecretsNeverLeak(t *testing.T) {
	const password, secret = "pw Sup3r&s3cret!", "cs-T0p-s3cret"
	e := newEnv(t, func(c *locussim.Config) {
		c.Password, c.ClientSecret = password, secret
		c.Faults = locussim.Faults{Rate429: 0.2, Rate5xx: 0.1, RateReset: 0.05, RateTruncate: 0.05, RateMalformed: 0.05}
		c.Seed = 11
	}, nil)
	sniff := &tokenSniffer{next: e.wire}
	logs := testkit.NewLogs()
	a := e.api(t, func(c *Config) {
		c.Password, c.ClientSecret, c.Transport, c.Logger = password, secret, sniff, logs
		c.MaxRetries = 2
	})
	var texts []string
	ctx, cs := WithCallStats(bg())
	record := func(err error) {
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	s := e.site(t, 0)
	for round := 0; round < 4; round++ {
		_, err := a.Sites(ctx)
		record(err)
		_, err = a.Components(ctx, s.ID)
		record(err)
		_, err = a.Data(ctx, DataRequest{Kind: KindSite, ID: s.ID, Fields: []string{"Wh_sum"}, Start: "2026-06-01T00:00:00", End: "2026-06-02T00:00:00", TZ: "UTC", Gran: "hourly"})
		record(err)
		_, err = a.Site(ctx, 1)
		record(err)
		e.sim.ExpireTokens()
		if round == 1 {
			e.sim.RevokeRefreshTokens()
		}
		e.clock.Advance(20 * time.Minute)
	}
	// Bad credentials, echoed by a server that repeats the form it got.
	echo := newEnv(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = fmt.Fprintf(w, `{"message":"bad login: %s"}`, b)
		})
	})
	bad := echo.api(t, func(c *Config) { c.Password, c.ClientSecret, c.Logger = password, secret, logs })
	err := bad.Authenticate(bg())
	if !IsKind(err, KindAuth) {
		t.Fatalf("err = %v, want auth", err)
	}
	record(err)

	texts = append(texts, logs.String(), strings.Join(cs.Executed(), "\n"))
	sniff.mu.Lock()
	secrets := append([]string{password, secret}, sniff.tokens...)
	sniff.mu.Unlock()
	if len(secrets) < 4 {
		t.Fatalf("only %d secrets collected; the run did not authenticate enough", len(secrets))
	}
	all := strings.Join(texts, "\n")
	for _, sec := range secrets {
		if strings.Contains(all, sec) || strings.Contains(all, url.QueryEscape(sec)) {
			t.Fatalf("secret %q leaked into errors, logs or Executed", sec[:4]+"…")
		}
	}
	if !strings.Contains(all, "[redacted]") {
		t.Fatal("the echoed credentials were not redacted (or not echoed)")
	}
	t.Logf("checked %d secrets against %d texts (%d bytes)", len(secrets), len(texts), len(all))
}
