package locus

import (
	"errors"
	"net/http"
	"time"
)

// ErrorKind classifies a failure so callers can choose a message, a status
// and whether to blame Locus, the settings or the query.
type ErrorKind string

// Error kinds.
const (
	// KindAuth: Locus rejected the credentials or the token (401).
	KindAuth ErrorKind = "auth"
	// KindForbidden: the entity is not visible to this account (403).
	KindForbidden ErrorKind = "forbidden"
	// KindNotFound: the entity does not exist (404).
	KindNotFound ErrorKind = "not_found"
	// KindBadRequest: Locus rejected the request's parameters (400), or the
	// client refused to send a request with invalid parameters.
	KindBadRequest ErrorKind = "bad_request"
	// KindRateLimited: still 429 after the retry budget.
	KindRateLimited ErrorKind = "rate_limited"
	// KindServer: a 5xx after the retry budget.
	KindServer ErrorKind = "server"
	// KindNetwork: the host could not be reached or the connection broke.
	KindNetwork ErrorKind = "network"
	// KindTimeout: Locus did not answer within Config.Timeout.
	KindTimeout ErrorKind = "timeout"
	// KindTooLarge: the decoded response exceeded Config.MaxResponseBytes.
	KindTooLarge ErrorKind = "too_large"
	// KindDecode: the response was not the JSON the API documents.
	KindDecode ErrorKind = "decode"
	// KindCanceled: the caller's context was cancelled or its deadline passed.
	KindCanceled ErrorKind = "canceled"
	// KindConfig: the client's settings are invalid, or it was closed.
	KindConfig ErrorKind = "config"
)

// Error is every error the client returns. Message names what went wrong and
// what to change; it never contains a password, client secret or token.
type Error struct {
	Kind ErrorKind
	// Status is the HTTP status Locus answered with, 0 if none.
	Status int
	// Message is the human-readable explanation.
	Message string
	// Path is the method, path and query of the upstream call, if any.
	Path string
	// RetryAfter is the last Retry-After Locus sent, if any.
	RetryAfter time.Duration
	cause      error
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// Unwrap exposes the cause (for example context.Canceled) to errors.Is.
func (e *Error) Unwrap() error { return e.cause }

// Downstream reports whether the failure lies outside the plugin: Locus, the
// network, the settings or the request. Only undecodable 200 responses (which
// may be a decoder bug) count as the plugin's own.
func (e *Error) Downstream() bool { return e.Kind != KindDecode }

// StatusClientClosed is the status of a request whose caller went away
// (nginx's convention): nobody reads it, but it must not look like a 500.
const StatusClientClosed = 499

// GatewayStatus is the HTTP status the plugin answers with for this error,
// the one mapping used by queries and resource calls alike: the status the
// user must act on for auth, permission, unknown entities, bad requests and
// settings, rate limits and timeouts; an upstream 502/503/504 as Locus sent
// it; 502 for other failures of Locus or the network, or an unreadable body.
func (e *Error) GatewayStatus() int {
	switch e.Kind {
	case KindAuth:
		return http.StatusUnauthorized
	case KindForbidden:
		return http.StatusForbidden
	case KindNotFound:
		return http.StatusNotFound
	case KindBadRequest, KindConfig:
		return http.StatusBadRequest
	case KindRateLimited:
		return http.StatusTooManyRequests
	case KindTimeout:
		return http.StatusGatewayTimeout
	case KindCanceled:
		return StatusClientClosed
	}
	if e.Status > http.StatusInternalServerError && e.Status < 600 {
		return e.Status
	}
	return http.StatusBadGateway
}

// IsKind reports whether err is, or wraps, an *Error of the given kind.
func IsKind(err error, kind ErrorKind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == kind
}

// KindOf returns the kind of err if it is, or wraps, an *Error, else "".
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func newError(kind ErrorKind, msg string) *Error {
	return &Error{Kind: kind, Message: msg}
}

func badRequest(msg string) *Error { return newError(KindBadRequest, msg) }
