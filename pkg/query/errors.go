package query

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// inputError is a problem with the query itself: the user (or the dashboard
// or alert rule that sent it) must change something. Its message names the
// field and what is valid.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// badInput returns an inputError with a formatted message.
func badInput(format string, args ...any) error {
	return &inputError{msg: fmt.Sprintf(format, args...)}
}

// errorResponse is the ONE place that turns an error into a DataResponse:
// status and error source.
//
//   - bad input -> 400, source downstream: the query is wrong, not the plugin
//     (Grafana's convention is that plugin-source errors are plugin bugs);
//   - Locus errors the client marks Downstream() -> the HTTP-like status of
//     the failure, source downstream, with the client's message (which never
//     holds a secret);
//   - context cancellation/deadline -> downstream (the caller went away);
//   - a Locus error that is not downstream (an undecodable response, which
//     may be a decoder bug) -> 502, source plugin;
//   - anything else (an engine failure) -> 500, source plugin.
func errorResponse(err error) backend.DataResponse {
	status, source := classify(err)
	return backend.DataResponse{Error: err, Status: status, ErrorSource: source}
}

// classify returns the status and error source of err (see errorResponse).
func classify(err error) (backend.Status, backend.ErrorSource) {
	var in *inputError
	if errors.As(err, &in) {
		return backend.StatusBadRequest, backend.ErrorSourceDownstream
	}
	var le *locus.Error
	if errors.As(err, &le) {
		if !le.Downstream() {
			return locusStatus(le), backend.ErrorSourcePlugin
		}
		return locusStatus(le), backend.ErrorSourceDownstream
	}
	if errors.Is(err, context.Canceled) {
		return backend.StatusBadRequest, backend.ErrorSourceDownstream
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return backend.StatusTimeout, backend.ErrorSourceDownstream
	}
	return backend.StatusInternal, backend.ErrorSourcePlugin
}

// locusStatus maps a downstream Locus error to the status Grafana shows.
func locusStatus(le *locus.Error) backend.Status {
	switch le.Kind {
	case locus.KindAuth:
		return backend.StatusUnauthorized
	case locus.KindForbidden:
		return backend.StatusForbidden
	case locus.KindNotFound:
		return backend.StatusNotFound
	case locus.KindBadRequest:
		return backend.StatusBadRequest
	case locus.KindRateLimited:
		return backend.StatusTooManyRequests
	case locus.KindTimeout:
		return backend.StatusTimeout
	case locus.KindCanceled, locus.KindConfig:
		return backend.StatusBadRequest
	}
	if le.Status >= 400 && le.Status < 600 && le.Status != http.StatusInternalServerError {
		return backend.Status(le.Status)
	}
	// Server, Network, TooLarge, Decode: Locus (the gateway's upstream) failed.
	return backend.StatusBadGateway
}
