package query

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

func TestErrorClassification(t *testing.T) {
	locusErr := func(k locus.ErrorKind, status int) error {
		return &locus.Error{Kind: k, Status: status, Message: "Locus says " + string(k)}
	}
	cases := []struct {
		name   string
		err    error
		status backend.Status
		source backend.ErrorSource
	}{
		{"bad input", badInput("siteId is empty"), backend.StatusBadRequest, backend.ErrorSourceDownstream},
		{"wrapped bad input", fmt.Errorf("site 3: %w", badInput("field x")), backend.StatusBadRequest, backend.ErrorSourceDownstream},
		{"locus 401", locusErr(locus.KindAuth, 401), backend.StatusUnauthorized, backend.ErrorSourceDownstream},
		{"locus 403", locusErr(locus.KindForbidden, 403), backend.StatusForbidden, backend.ErrorSourceDownstream},
		{"locus 404", locusErr(locus.KindNotFound, 404), backend.StatusNotFound, backend.ErrorSourceDownstream},
		{"locus 400", locusErr(locus.KindBadRequest, 400), backend.StatusBadRequest, backend.ErrorSourceDownstream},
		{"locus 429 exhausted", locusErr(locus.KindRateLimited, 429), backend.StatusTooManyRequests, backend.ErrorSourceDownstream},
		{"locus 503 exhausted", locusErr(locus.KindServer, 503), backend.Status(503), backend.ErrorSourceDownstream},
		{"locus 500 exhausted", locusErr(locus.KindServer, 500), backend.StatusBadGateway, backend.ErrorSourceDownstream},
		{"network", locusErr(locus.KindNetwork, 0), backend.StatusBadGateway, backend.ErrorSourceDownstream},
		{"timeout", locusErr(locus.KindTimeout, 0), backend.StatusTimeout, backend.ErrorSourceDownstream},
		{"too large", locusErr(locus.KindTooLarge, 200), backend.StatusBadGateway, backend.ErrorSourceDownstream},
		{"canceled", locusErr(locus.KindCanceled, 0), backend.Status(locus.StatusClientClosed), backend.ErrorSourceDownstream},
		{"config", locusErr(locus.KindConfig, 0), backend.StatusBadRequest, backend.ErrorSourceDownstream},
		{"undecodable 200 is the plugin's", locusErr(locus.KindDecode, 200), backend.StatusBadGateway, backend.ErrorSourcePlugin},
		{"chunk error wraps locus", fmt.Errorf("period x: %w", locusErr(locus.KindRateLimited, 429)), backend.StatusTooManyRequests, backend.ErrorSourceDownstream},
		{"context canceled", context.Canceled, backend.Status(locus.StatusClientClosed), backend.ErrorSourceDownstream},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), backend.StatusTimeout, backend.ErrorSourceDownstream},
		{"engine bug", errors.New("no frames"), backend.StatusInternal, backend.ErrorSourcePlugin},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := errorResponse(tc.err)
			if r.Status != tc.status || r.ErrorSource != tc.source {
				t.Errorf("got status %d source %q, want %d %q", r.Status, r.ErrorSource, tc.status, tc.source)
			}
			if errors.Is(tc.err, context.Canceled) || errors.Is(tc.err, context.DeadlineExceeded) {
				// Go's wording is replaced by one for people; what wrapped it stays.
				if r.Error == nil || strings.Contains(r.Error.Error(), "context") || !errors.Is(r.Error, tc.err) ||
					!strings.Contains(r.Error.Error(), "before Locus answered") {
					t.Errorf("error message %v, want a message for people that still wraps %q", r.Error, tc.err.Error())
				}
				if strings.HasPrefix(tc.err.Error(), "x: ") && !strings.HasPrefix(r.Error.Error(), "x: ") {
					t.Errorf("error message %v lost what wrapped the context error", r.Error)
				}
				return
			}
			if r.Error == nil || r.Error.Error() != tc.err.Error() {
				t.Errorf("error message %v, want the original %q", r.Error, tc.err.Error())
			}
		})
	}
}
