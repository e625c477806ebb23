package locus

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// request is one logical upstream call; do turns it into attempts.
type request struct {
	method    string
	pathQuery string
	form      []byte // form body of a token grant
	grant     string // grant type of a token request, "" for /v3 calls
}

func (r request) call() string { return r.method + " " + r.pathQuery }

func (r request) isToken() bool { return r.grant != "" }

// do performs r with authentication, one re-authentication on 401, and
// bounded retries of 429, 5xx and network failures. The queue slot is held
// only during each attempt, never while backing off.
func (a *API) do(ctx context.Context, r request) ([]byte, error) {
	stats := callStatsFrom(ctx)
	var retries, fiveHundreds, timeouts int
	reauthed := false
	for {
		if err := a.checkOpen(); err != nil {
			return nil, err
		}
		bearer, sent := "", &stats.Auth
		if !r.isToken() {
			tok, err := a.tokens.get(ctx)
			if err != nil {
				return nil, err
			}
			bearer, sent = tok, &stats.Upstream
		}
		began := time.Now()
		at := a.send(ctx, r.method, r.pathQuery, r.form, bearer, r.call(), sent)
		a.log.Debug("Locus call", "call", r.call(), "status", at.status, "bytes", len(at.body),
			"duration", time.Since(began).Round(time.Microsecond).String(), "error", errKind(at.err))
		if at.err == nil && at.status >= 200 && at.status < 300 {
			return at.body, nil
		}
		if !r.isToken() && at.err == nil && at.status == http.StatusUnauthorized && !reauthed {
			reauthed = true
			a.tokens.invalidate(bearer)
			a.log.Debug("Locus answered 401; re-authenticating once", "call", r.call())
			continue
		}
		canRetry := retryable(at, fiveHundreds) && retries < a.cfg.MaxRetries &&
			!(at.err != nil && at.err.Kind == KindTimeout && timeouts >= 1)
		if !canRetry {
			return nil, a.finalError(r, at, retries)
		}
		wait := a.backoff(retries, at.retryAfter)
		if deadline, ok := deadlineOf(ctx); ok && time.Until(deadline) < wait {
			e := a.finalError(r, at, retries)
			e.Message += fmt.Sprintf(" (the next retry, due in %s, would pass the query's deadline)", wait.Round(time.Millisecond))
			return nil, e
		} else if !ok && wait > maxWaitWithoutDeadline {
			e := a.finalError(r, at, retries)
			e.Message += fmt.Sprintf(" (Locus asked to wait %s before retrying, longer than a query may take)", wait.Round(time.Second))
			return nil, e
		}
		retries++
		if at.status == http.StatusInternalServerError {
			fiveHundreds++
		}
		if at.err != nil && at.err.Kind == KindTimeout {
			timeouts++
		}
		stats.Retries.Add(1)
		a.log.Debug("Locus call failed; retrying", "call", r.call(), "status", at.status, "retry", retries, "wait", wait.String())
		if err := sleep(ctx, wait); err != nil {
			return nil, canceledError(r.call(), err)
		}
	}
}

func errKind(e *Error) string {
	if e == nil {
		return ""
	}
	return string(e.Kind)
}

// finalError turns a failed attempt into the caller's error.
func (a *API) finalError(r request, at attempt, retries int) *Error {
	if at.err != nil {
		e := *at.err
		if retries > 0 && (e.Kind == KindNetwork || e.Kind == KindTimeout) {
			e.Message += fmt.Sprintf(" (after %s)", plural(retries, "retry", "retries"))
		}
		return &e
	}
	call := r.call()
	detail := a.upstreamMessage(at.body)
	e := &Error{Status: at.status, Path: call, RetryAfter: at.retryAfter}
	if r.isToken() {
		switch {
		case at.status == http.StatusBadRequest || at.status == http.StatusUnauthorized || at.status == http.StatusForbidden:
			e.Kind = KindAuth
			what := "client ID/secret and username/password"
			if a.cfg.AuthType == AuthClientCredentials {
				what = "client ID and client secret (client credentials grant)"
			}
			e.Message = fmt.Sprintf("Locus rejected the credentials (%d): check %s%s", at.status, what, detail)
			return e
		case at.status == http.StatusNotFound:
			e.Kind = KindConfig
			e.Message = fmt.Sprintf("Locus has no token endpoint at %s%s (404): check the base URL", a.cfg.BaseURL, tokenPath)
			return e
		}
	}
	switch {
	case at.status == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
		e.Message = fmt.Sprintf("Locus rate limit: still 429 after %s (%s); another client may be using this account, or lower the max concurrent requests setting; try again later", plural(retries, "retry", "retries"), call)
	case at.status >= 500:
		e.Kind = KindServer
		e.Message = fmt.Sprintf("Locus server error %d after %s (%s)%s; try again later or contact Locus support", at.status, plural(retries, "retry", "retries"), call, detail)
	case at.status == http.StatusUnauthorized:
		e.Kind = KindAuth
		e.Message = fmt.Sprintf("Locus rejected the access token (401) for %s even after re-authenticating: check that the API client may use the v3 API%s", call, detail)
	case at.status == http.StatusForbidden:
		e.Kind = KindForbidden
		e.Message = fmt.Sprintf("Locus denied access (403) to %s: this account cannot see that entity; check the partner ID and the ids%s", call, detail)
	case at.status == http.StatusNotFound:
		e.Kind = KindNotFound
		e.Message = fmt.Sprintf("Locus has no such entity (404): %s; check the id%s", call, detail)
	case at.status >= 300 && at.status < 400:
		e.Kind = KindConfig
		e.Message = fmt.Sprintf("Locus redirected %s (%d) to %s; the plugin follows redirects only within %s (same scheme, host and port) and never on the token endpoint, so that no credential is sent elsewhere or in clear: set the base URL to the API's https address",
			call, at.status, a.redact(at.location), a.cfg.BaseURL)
	case at.status >= 400:
		e.Kind = KindBadRequest
		e.Message = fmt.Sprintf("Locus rejected the request (%d) %s%s", at.status, call, detail)
	default:
		e.Kind = KindServer
		e.Message = fmt.Sprintf("Locus answered an unexpected status %d to %s", at.status, call)
	}
	return e
}

// upstreamMessage extracts a short, redacted explanation from an error body.
func (a *API) upstreamMessage(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	var m struct {
		Message          string `json:"message"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	text := ""
	if json.Unmarshal(body, &m) == nil {
		parts := []string{}
		for _, p := range []string{m.Message, m.Error, m.ErrorDescription} {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		text = strings.Join(parts, ": ")
	} else if utf8.Valid(body) && !strings.ContainsAny(string(body[:min(len(body), 300)]), "<{") {
		text = strings.TrimSpace(string(body))
	}
	if text == "" {
		return ""
	}
	text = a.redact(text)
	if r := []rune(text); len(r) > 200 {
		text = string(r[:200]) + "…"
	}
	return ": Locus says " + fmt.Sprintf("%q", text)
}

// plural is "1 retry", "2 retries".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
