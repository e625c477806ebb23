package locus

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"
)

const userAgent = "sunfleet-locus-datasource"

// attempt is the outcome of one upstream request.
type attempt struct {
	status     int
	body       []byte
	retryAfter time.Duration
	location   string // Location of a redirect that was not followed
	err        *Error // transport-level failure (no usable status), or nil
}

// send performs one request while holding an account-queue slot for its
// whole duration, body read included. form != nil makes it a form POST.
// call is "METHOD /path?query" (never containing secrets). sent is counted
// once the request leaves the queue.
func (a *API) send(ctx context.Context, method, pathQuery string, form []byte, bearer, call string, sent *atomic.Int64) (out attempt) {
	lane := LaneFrom(ctx)
	before := a.limiter.Stats()
	queued := time.Now()
	release, err := a.limiter.Acquire(ctx, lane)
	if err != nil {
		return attempt{err: canceledError(call, err)}
	}
	defer func() {
		release()
		if out.err == nil && out.status >= 200 && out.status < 300 {
			if fn, ok := ctx.Value(answeredKey{}).(func()); ok {
				fn()
			}
		}
	}()
	if wait := time.Since(queued); before.InFlight >= before.Capacity || before.TotalWaiting() > 0 {
		callStatsFrom(ctx).noteQueue(QueueWait{Lane: lane, Wait: wait, Stats: before})
		a.log.Debug("Locus queue", "call", call, "lane", lane.String(), "wait", wait.Round(time.Microsecond).String(),
			"inFlight", before.InFlight, "capacity", before.Capacity, "waiting", before.Depth())
	} else {
		callStatsFrom(ctx).noteQueue(QueueWait{Lane: lane, Stats: before})
	}
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
	out = attempt{status: resp.StatusCode, retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), a.cfg.Now())}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		out.location = redirectTarget(req.URL, resp.Header.Get("Location"))
	}
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
// Buffers are sized once: from Content-Length for an identity body, and for
// gzip from the compressed body's trailer (ISIZE, the uncompressed length),
// so a large data body costs one allocation of its own size rather than a
// series of doublings (bytes.Buffer grows whenever fewer than
// bytes.MinRead bytes are free, even at the very end of the body).
func (a *API) readBody(resp *http.Response) ([]byte, error) {
	limit := a.cfg.MaxResponseBytes
	if !strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		return readCapped(resp.Body, resp.ContentLength, limit)
	}
	// The compressed body is smaller than the decoded one, so the same cap bounds it.
	comp, err := readCapped(resp.Body, resp.ContentLength, limit)
	if err != nil {
		return nil, err
	}
	if len(comp) == 0 {
		return nil, nil // empty body
	}
	zr, err := gunzipReader(bytes.NewReader(comp))
	if err != nil {
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, io.ErrUnexpectedEOF // truncated: a network failure, retried
		}
		return nil, &Error{Kind: KindDecode, Message: fmt.Sprintf("Locus sent a corrupt gzip body: %v", err), cause: err}
	}
	defer gunzipPool.Put(zr)
	defer zr.Close()
	size := int64(-1)
	if len(comp) >= 18 { // the smallest gzip member: 10-byte header, empty deflate block, 8-byte trailer
		size = int64(binary.LittleEndian.Uint32(comp[len(comp)-4:]))
	}
	body, err := readCapped(zr, size, limit)
	recycleBody(comp)
	if err != nil {
		if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
			return nil, &Error{Kind: KindDecode, Message: fmt.Sprintf("Locus sent a corrupt gzip body: %v", err), cause: err}
		}
		return nil, err
	}
	return body, nil
}

// readCapped reads r to its end into a buffer sized for sizeHint bytes (a
// hint: a wrong one costs growth, never correctness; negative when unknown)
// and fails with KindTooLarge past limit bytes.
func readCapped(r io.Reader, sizeHint, limit int64) ([]byte, error) {
	initial := int64(64 << 10)
	if sizeHint >= 0 {
		// MinRead spare bytes: ReadFrom needs them free to detect the end
		// without growing.
		initial = sizeHint + bytes.MinRead
	}
	initial = min(initial, limit+bytes.MinRead)
	buf := bytes.NewBuffer(takeBody(initial))
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
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
	if call == "" {
		return &Error{Kind: KindCanceled, cause: err, Message: "the query was cancelled before Locus answered (the panel was refreshed or closed, or Grafana gave up on it)"}
	}
	return &Error{Kind: KindCanceled, Path: call, cause: err, Message: fmt.Sprintf(
		"the query was cancelled before Locus answered %s (the panel was refreshed or closed, or Grafana gave up on it)", call)}
}

// Canceled is the client's error for a query whose context ended (err is
// ctx.Err()) outside any one call: Kind KindCanceled, a message for people
// instead of Go's "context canceled", and errors.Is(err, context.Canceled)
// (or DeadlineExceeded) still true. A nil err gives nil.
func Canceled(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: KindCanceled, cause: err, Message: "the query's time limit ran out before Locus answered: narrow the time range or try again"}
	}
	return canceledError("", err)
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

// redirectTarget names where a redirect points (scheme, host and path; no
// query, which might carry anything), for the error message.
func redirectTarget(from *url.URL, location string) string {
	u, err := from.Parse(location)
	if err != nil || location == "" {
		return "an unusable location"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

type answeredKey struct{}

// WithAnswered returns ctx whose successful upstream answers call fn once
// the body is read and the queue slot is free, before the body is decoded.
// The query engine frees its own gate there, so a large chunk's decoding
// never holds up the next request (fn may be called more than once).
func WithAnswered(ctx context.Context, fn func()) context.Context {
	return context.WithValue(ctx, answeredKey{}, fn)
}

// gunzipPool recycles gzip readers: each holds a 32 KB window and its
// Huffman tables, which a dashboard's many bodies would otherwise allocate
// again and again.
var gunzipPool sync.Pool

// gunzipReader returns a pooled gzip reader reading r (put it back into
// gunzipPool once done; a reader whose header failed is not returned).
func gunzipReader(r io.Reader) (*gzip.Reader, error) {
	if zr, ok := gunzipPool.Get().(*gzip.Reader); ok {
		if err := zr.Reset(r); err != nil {
			return nil, err
		}
		return zr, nil
	}
	return gzip.NewReader(r)
}
