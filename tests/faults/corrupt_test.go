package faults

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// Fault modes the wire applies to the requests a target matches, for
// faults that must hit one query only (the simulator's knobs hit every
// request at a rate).
const (
	modeServerError = "5xx"       // 503 with a JSON error body, every time
	modeReset       = "reset"     // the connection dropped without a response
	modeStall       = "stall"     // half the body, then silence until the client gives up
	modeTruncate    = "truncate"  // the body cut in the middle of its JSON
	modeMalformed   = "malformed" // the body made invalid JSON
	modeMissingKey  = "missingKey"
	modeOversize    = "oversize" // the body padded far beyond the client's cap
)

// target is a fault aimed at the requests match selects.
type target struct {
	match func(*http.Request) bool
	mode  string
}

// oversizePad is how far modeOversize pads a body; the scenarios cap
// responses well below it.
const oversizePad = 3 << 20

// serveFault answers r with the fault mode, built from the simulator's real answer.
func (w *wire) serveFault(rw http.ResponseWriter, r *http.Request, mode string) {
	w.injected.Add(1)
	figures.faults.Add(1)
	switch mode {
	case modeServerError:
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusServiceUnavailable)
		_, _ = rw.Write([]byte(`{"statusCode":503,"message":"Service temporarily unavailable"}`))
		return
	case modeReset:
		if hj, ok := rw.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0)
				}
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	// The other modes alter the simulator's real (uncompressed) answer.
	r.Header.Del("Accept-Encoding")
	rec := httptest.NewRecorder()
	w.next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	switch mode {
	case modeTruncate:
		body = body[:len(body)/2]
	case modeMalformed:
		body = append([]byte(`{"statusCode":200,"data":[{"ts":`), body...)
	case modeMissingKey:
		body = []byte(`{"statusCode":200,"message":"ok"}`)
	case modeOversize:
		pad := bytes.Repeat([]byte("x"), oversizePad)
		body = append(append([]byte(`{"_padding":"`), pad...), append([]byte(`",`), body[1:]...)...)
	}
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(rec.Code)
	if mode == modeStall {
		_, _ = rw.Write(body[:len(body)/2])
		if f, ok := rw.(http.Flusher); ok {
			f.Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
		return
	}
	_, _ = rw.Write(body)
}

// dataWithGran matches the data calls of one granularity.
func dataWithGran(gran string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return strings.HasSuffix(r.URL.Path, "/data") && r.URL.Query().Get("gran") == gran
	}
}
