package locus

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

const userAgent = "sunfleet-locus-datasource"

// attempt is the outcome of one upstream request.
type attempt struct {
	status     int
	body       []byte
	retryAfter time.Duration
	err        *Error // transport-level failure (no usable status), or nil
}

// send performs one request while holding an account-queue slot for its
// whole duration, body read included. form != nil makes it a form POST.
// call is "METHOD /path?query" (never containing secrets). sent is counted
// once the request leaves the queue.
func (a *API) send(ctx context.Context, method, pathQuery string, form []byte, bearer, call string, sent *atomic.Int64) attempt {
	if err := a.queue.acquire(ctx); err != nil {
		return attempt{err: canceledError(call, err)}
	}
	defer a.queue.release()
	sent.Add(1)

	actx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	defer cancel()
	var body io.Reader
	if form != nil {
		body = bytes.NewReader(form)
	}
	req, err := http.NewRequestWithContext(actx, method, a.cfg.BaseURL+pathQuery, body)
	if err != nil {
		return attempt{err: &Error{Kind: KindConfig, Path: call, Message: fmt.Sprintf("cannot build the Locus request %s: %v", call, err)}}
	}
	req.Header.Set("Accept", "application/json")
	// Set explicitly so the transport does not decompress: we decode gzip
	// ourselves to enforce MaxResponseBytes on the decoded size.
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("User-Agent", userAgent)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}

	resp, err := a.http.Do(req)
	if err != nil {
		return attempt{err: a.transportError(ctx, actx, call, err)}
	}
	defer resp.Body.Close()
	out := attempt{status: resp.StatusCode, retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), a.cfg.Now())}
	data, rerr := a.readBody(resp)
	if rerr != nil {
		var le *Error
		if errors.As(rerr, &le) {
			le.Path = call
			le.Status = resp.StatusCode
			out.err = le
		} else {
			out.err = a.transportError(ctx, actx, call, rerr)
		}
		return out
	}
	out.body = data
	return out
}

// readBody reads the body, gunzipping if needed, up to MaxResponseBytes.
func (a *API) readBody(resp *http.Response) ([]byte, error) {
	var r io.Reader = resp.Body
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			if err == io.EOF {
				return nil, nil // empty body
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, err // truncated: a network failure, retried
			}
			return nil, &Error{Kind: KindDecode, Message: fmt.Sprintf("Locus sent a corrupt gzip body: %v", err), cause: err}
		}
		defer zr.Close()
		r = zr
	}
	limit := a.cfg.MaxResponseBytes
	// Size the buffer from Content-Length (JSON gzips about 5-10x) to avoid
	// repeated growth of large bodies.
	initial := int64(64 << 10)
	if resp.ContentLength > 0 {
		if r == resp.Body {
			initial = resp.ContentLength + 1
		} else {
			initial = max(initial, resp.ContentLength*6)
		}
	}
	initial = min(initial, limit+1)
	buf := bytes.NewBuffer(make([]byte, 0, initial))
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
			return nil, &Error{Kind: KindDecode, Message: fmt.Sprintf("Locus sent a corrupt gzip body: %v", err), cause: err}
		}
		return nil, err
	}
	if n > limit {
		return nil, &Error{Kind: KindTooLarge, Message: fmt.Sprintf(
			"Locus response is larger than the %s cap (max response size): request a shorter time range, fewer fields or a coarser granularity", formatBytes(limit))}
	}
	return buf.Bytes(), nil
}

// transportError classifies a failure without an HTTP status.
func (a *API) transportError(ctx, actx context.Context, call string, err error) *Error {
	if ctx.Err() != nil {
		return canceledError(call, ctx.Err())
	}
	if actx.Err() != nil || isTimeout(err) {
		return &Error{Kind: KindTimeout, Path: call, cause: err, Message: fmt.Sprintf(
			"Locus did not answer %s within %s: try again later or raise the timeout", call, a.cfg.Timeout)}
	}
	return &Error{Kind: KindNetwork, Path: call, cause: err, Message: fmt.Sprintf(
		"cannot reach Locus at %s (%s): %s; check the base URL and the network", a.cfg.BaseURL, call, a.redact(rootCause(err)))}
}

func canceledError(call string, err error) *Error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: KindCanceled, Path: call, cause: err, Message: fmt.Sprintf(
			"the query's time limit ran out before Locus answered %s: narrow the time range or try again", call)}
	}
	return &Error{Kind: KindCanceled, Path: call, cause: err, Message: fmt.Sprintf("request %s canceled: %v", call, err)}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// rootCause strips url.Error's repetition of the method and URL.
func rootCause(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
