package plugin

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

func TestStatusForEveryErrorKind(t *testing.T) {
	cases := []struct {
		kind locus.ErrorKind
		want int
	}{
		{locus.KindAuth, http.StatusUnauthorized},
		{locus.KindForbidden, http.StatusForbidden},
		{locus.KindNotFound, http.StatusNotFound},
		{locus.KindBadRequest, http.StatusBadRequest},
		{locus.KindConfig, http.StatusBadRequest},
		{locus.KindRateLimited, http.StatusTooManyRequests},
		{locus.KindServer, http.StatusBadGateway},
		{locus.KindNetwork, http.StatusBadGateway},
		{locus.KindTooLarge, http.StatusBadGateway},
		{locus.KindDecode, http.StatusBadGateway},
		{locus.KindTimeout, http.StatusGatewayTimeout},
		{locus.KindCanceled, locus.StatusClientClosed},
	}
	d := &Datasource{logger: newRedactingLogger(log.NewNullLogger(), "hunter22")}
	for _, tc := range cases {
		t.Run(string(tc.kind), func(t *testing.T) {
			err := fmt.Errorf("wrapped: %w", &locus.Error{Kind: tc.kind, Message: "Locus said no (hunter22)"})
			status, msg := d.errorStatus(err)
			if status != tc.want {
				t.Errorf("status = %d, want %d", status, tc.want)
			}
			if status == http.StatusInternalServerError {
				t.Errorf("a Locus error must never be a blanket 500")
			}
			if strings.Contains(msg, "hunter22") || !strings.Contains(msg, "Locus said no") {
				t.Errorf("message %q must keep the reason and mask the secret", msg)
			}
		})
	}
	if s, _ := d.errorStatus(badParam("limit must be an integer")); s != http.StatusBadRequest {
		t.Errorf("param error status = %d, want 400", s)
	}
	if s, _ := d.errorStatus(errors.New("boom")); s != http.StatusInternalServerError {
		t.Errorf("unexpected error status = %d, want 500", s)
	}
}

func TestRateLimitedSetsRetryAfter(t *testing.T) {
	rec := httptest.NewRecorder()
	err := &locus.Error{Kind: locus.KindRateLimited, Message: "Locus rate limit: still 429 after 4 retries", RetryAfter: 1500 * time.Millisecond}
	writeErrorFor(rec, http.StatusTooManyRequests, err.Message, err)
	if got := rec.Header().Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After = %q, want 2 (rounded up)", got)
	}
	if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), `"error":"Locus rate limit`) {
		t.Errorf("got %d %s", rec.Code, rec.Body.String())
	}
}

func TestRedactingLogger(t *testing.T) {
	l := newRedactingLogger(log.NewNullLogger(), "pw-secret-1", "ab", "")
	if got := l.redact("login with pw-secret-1 failed"); got != "login with [redacted] failed" {
		t.Errorf("redact = %q", got)
	}
	if got := l.redact("ab stays: too short to mask"); got != "ab stays: too short to mask" {
		t.Errorf("short secrets must not garble logs, got %q", got)
	}
	args := l.redactArgs([]any{"k", "x pw-secret-1", "e", errors.New("pw-secret-1"), "n", 3})
	if args[1] != "x [redacted]" || args[3] != "[redacted]" || args[5] != 3 {
		t.Errorf("redactArgs = %v", args)
	}
}

func TestRoutePanicBecomesJSON500(t *testing.T) {
	d := &Datasource{logger: newRedactingLogger(log.NewNullLogger())}
	h := d.route(func(http.ResponseWriter, *http.Request) error { panic("bug") })
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/sites", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"error":"internal error`) {
		t.Fatalf("got %d %s", rec.Code, rec.Body.String())
	}
}
