package locussim

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"syscall"
)

// RoundTripper serves requests in-process, without a network, exactly as
// over HTTP: same handler, latency, in-flight limit, faults and gzip. The
// response body streams from the handler, so stalls and truncation behave
// as on a socket; an injected reset returns an error wrapping
// syscall.ECONNRESET; cancelling the request's context aborts the handler
// (freeing its in-flight slot) and fails pending body reads.
func (s *Server) RoundTripper() http.RoundTripper { return roundTripper{s} }

type roundTripper struct{ s *Server }

// RoundTrip implements http.RoundTripper.
func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sreq := req.Clone(ctx)
	sreq.RequestURI = req.URL.RequestURI()
	sreq.Proto, sreq.ProtoMajor, sreq.ProtoMinor = "HTTP/1.1", 1, 1
	if sreq.Body == nil {
		sreq.Body = http.NoBody
	}
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	pr, pw := io.Pipe()
	w := &pipeWriter{header: http.Header{}, pw: pw, ready: make(chan struct{}), ctx: ctx}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer w.finish()
		rt.s.ServeHTTP(w, sreq)
	}()
	go func() {
		select {
		case <-done:
		case <-ctx.Done():
			_ = pw.CloseWithError(ctx.Err())
		}
	}()
	select {
	case <-w.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the handler gave up because the request was cancelled
	}
	if w.wasReset {
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	}
	resp := &http.Response{
		Status:        strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.sent,
		Body:          pr,
		ContentLength: -1,
		Request:       req,
	}
	if cl, err := strconv.ParseInt(w.sent.Get("Content-Length"), 10, 64); err == nil {
		resp.ContentLength = cl
	}
	return resp, nil
}

// pipeWriter is the handler side of an in-process response.
type pipeWriter struct {
	header   http.Header
	sent     http.Header
	status   int
	pw       *io.PipeWriter
	once     sync.Once
	ready    chan struct{}
	wasReset bool
	ctx      context.Context
}

// Header implements http.ResponseWriter.
func (w *pipeWriter) Header() http.Header { return w.header }

// WriteHeader implements http.ResponseWriter; the first status wins.
func (w *pipeWriter) WriteHeader(status int) {
	w.once.Do(func() {
		w.status = status
		w.sent = w.header.Clone()
		close(w.ready)
	})
}

// Write implements http.ResponseWriter.
func (w *pipeWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.pw.Write(p)
}

// Flush is a no-op: pipe writes reach the reader synchronously.
func (w *pipeWriter) Flush() {}

func (w *pipeWriter) reset() {
	w.once.Do(func() {
		w.wasReset = true
		close(w.ready)
	})
	_ = w.pw.CloseWithError(syscall.ECONNRESET)
}

// finish ends the body once the handler returns; a cancelled request's
// body fails with the context's error rather than ending cleanly.
func (w *pipeWriter) finish() {
	w.WriteHeader(http.StatusOK)
	if err := w.ctx.Err(); err != nil {
		_ = w.pw.CloseWithError(err)
		return
	}
	_ = w.pw.Close()
}
