package query

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

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

// BadInput is bad input from outside the engine (a resource route's
// parameter): the same error as a bad query, 400 with its message (which
// names the parameter and what is valid) by HTTPStatus.
func BadInput(format string, args ...any) error { return badInput(format, args...) }

// errorResponse is the ONE place that turns an error into a DataResponse:
// status and error source.
//
//   - bad input -> 400, source downstream: the query is wrong, not the plugin
//     (Grafana's convention is that plugin-source errors are plugin bugs);
//   - Locus errors the client marks Downstream() -> the HTTP-like status of
//     the failure, source downstream, with the client's message (which never
//     holds a secret);
//   - context cancellation -> 499, deadline -> 504, downstream (the caller went away);
//   - a Locus error that is not downstream (an undecodable response, which
//     may be a decoder bug) -> 502, source plugin;
//   - anything else (an engine failure) -> 500, source plugin.
func errorResponse(err error) backend.DataResponse {
	status, source := classify(err)
	var le *locus.Error
	if !errors.As(err, &le) && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		err = humanContextError(err)
	}
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
		return backend.Status(locus.StatusClientClosed), backend.ErrorSourceDownstream
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return backend.StatusTimeout, backend.ErrorSourceDownstream
	}
	return backend.StatusInternal, backend.ErrorSourcePlugin
}

// locusStatus is the status Grafana shows for a Locus error (the client's
// one mapping, shared with the resource routes).
func locusStatus(le *locus.Error) backend.Status {
	return backend.Status(le.GatewayStatus())
}

// contextError is a context error whose Go wording ("context canceled",
// "context deadline exceeded") was replaced by the client's message for
// people; errors.Is still finds the context error.
type contextError struct {
	msg string
	err error
}

func (e *contextError) Error() string { return e.msg }
func (e *contextError) Unwrap() error { return e.err }

// humanContextError rewrites the Go wording at the end of err's message
// (keeping what wrapped it, e.g. the failing period) as locus.Canceled's.
func humanContextError(err error) error {
	msg := err.Error()
	for _, c := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, c) && strings.HasSuffix(msg, c.Error()) {
			return &contextError{msg: strings.TrimSuffix(msg, c.Error()) + locus.Canceled(c).Error(), err: err}
		}
	}
	return err
}

// HTTPStatus maps an error of an engine function to the status and message
// of an HTTP answer (the resource routes), with the same mapping as queries:
// a Locus error its gateway status (locus.Error.GatewayStatus) and the
// client's message (free of secrets), bad input 400; known is false for any
// other error (an engine failure).
func HTTPStatus(err error) (status int, msg string, known bool) {
	var in *inputError
	if errors.As(err, &in) {
		return http.StatusBadRequest, in.msg, true
	}
	var le *locus.Error
	if errors.As(err, &le) {
		return le.GatewayStatus(), le.Message, true
	}
	return 0, "", false
}

// RetryAfter is how long Locus asked to wait before trying again, when err
// is, or wraps, a Locus error that said so (a rate limit); else 0.
func RetryAfter(err error) time.Duration {
	var le *locus.Error
	if errors.As(err, &le) {
		return le.RetryAfter
	}
	return 0
}
