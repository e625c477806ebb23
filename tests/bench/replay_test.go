package main

import (
	"bytes"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// replayTransport records the simulator's data responses on first use and
// replays the recorded bytes afterwards, so a benchmark measures the
// client's decoding and the engine, not the simulator generating data.
type replayTransport struct {
	next http.RoundTripper
	// gzip keeps the Accept-Encoding the client sends (compressed bodies);
	// false strips it (identity bodies).
	gzip bool

	mu       sync.Mutex
	recorded map[string]recorded
}

type recorded struct {
	status int
	header http.Header
	body   []byte
}

// RoundTrip implements http.RoundTripper.
func (t *replayTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	key := r.URL.RequestURI()
	if !strings.Contains(r.URL.Path, "/data") {
		return t.next.RoundTrip(r)
	}
	t.mu.Lock()
	rec, ok := t.recorded[key]
	t.mu.Unlock()
	if !ok {
		if !t.gzip {
			r = r.Clone(r.Context())
			r.Header.Del("Accept-Encoding")
		}
		resp, err := t.next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		rec = recorded{status: resp.StatusCode, header: resp.Header.Clone(), body: body}
		t.mu.Lock()
		t.recorded[key] = rec
		t.mu.Unlock()
	}
	return &http.Response{
		StatusCode: rec.status, Status: http.StatusText(rec.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: rec.header.Clone(), Body: io.NopCloser(bytes.NewReader(rec.body)), ContentLength: int64(len(rec.body)), Request: r,
	}, nil
}

// dataBodies returns the recorded data (not dataavailable) response bodies (as sent: gzip or
// identity), in URL order.
func (t *replayTransport) dataBodies() [][]byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out [][]byte
	for _, k := range slices.Sorted(maps.Keys(t.recorded)) {
		if strings.Contains(k, "/data?") { // not dataavailable
			out = append(out, t.recorded[k].body)
		}
	}
	return out
}
