package testkit

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Query is one Grafana data query: the JSON model plus the request-level
// values Grafana sends with it.
type Query struct {
	Ref      string
	JSON     string
	From, To time.Time
	Interval time.Duration
	MaxDP    int64
}

// DataQuery is q as Grafana sends it.
func (q Query) DataQuery() backend.DataQuery {
	return backend.DataQuery{
		RefID: q.Ref, JSON: json.RawMessage(q.JSON), Interval: q.Interval, MaxDataPoints: q.MaxDP,
		TimeRange: backend.TimeRange{From: q.From, To: q.To},
	}
}

// Request is one Grafana request of the queries (headers may be nil).
func Request(headers map[string]string, qs ...Query) *backend.QueryDataRequest {
	req := &backend.QueryDataRequest{Headers: headers}
	for _, q := range qs {
		req.Queries = append(req.Queries, q.DataQuery())
	}
	return req
}

// Run sends the queries to h (an engine or a data source) in one request;
// headers may be nil. A returned error fails the test.
func Run(t testing.TB, h backend.QueryDataHandler, headers map[string]string, qs ...Query) *backend.QueryDataResponse {
	t.Helper()
	resp, err := h.QueryData(context.Background(), Request(headers, qs...))
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	return resp
}

// RunConcurrently sends each query set to h as its own request, all at once
// (as Grafana sends one request per panel), and returns the responses in order.
func RunConcurrently(t testing.TB, h backend.QueryDataHandler, sets ...[]Query) []*backend.QueryDataResponse {
	t.Helper()
	out := make([]*backend.QueryDataResponse, len(sets))
	errs := make([]error, len(sets))
	var wg sync.WaitGroup
	for i, qs := range sets {
		wg.Go(func() { out[i], errs[i] = h.QueryData(context.Background(), Request(nil, qs...)) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("QueryData: %v", err)
		}
	}
	return out
}

// Frames returns the frames of refID, failing the test on an error response.
func Frames(t testing.TB, resp *backend.QueryDataResponse, refID string) data.Frames {
	t.Helper()
	r, found := resp.Responses[refID]
	if !found {
		t.Fatalf("no response for %s", refID)
	}
	if r.Error != nil {
		t.Fatalf("query %s failed: %v (status %d)", refID, r.Error, r.Status)
	}
	return r.Frames
}

// Failed returns the error response of refID, failing the test if it succeeded.
func Failed(t testing.TB, resp *backend.QueryDataResponse, refID string) backend.DataResponse {
	t.Helper()
	r, found := resp.Responses[refID]
	if !found {
		t.Fatalf("no response for %s", refID)
	}
	if r.Error == nil {
		t.Fatalf("query %s succeeded with %d frames, want an error", refID, len(r.Frames))
	}
	return r
}

// AssertEveryQueryHasData fails unless each query of qs has an error-free
// response with at least one row.
func AssertEveryQueryHasData(t testing.TB, resp *backend.QueryDataResponse, qs []backend.DataQuery) {
	t.Helper()
	for _, q := range qs {
		r, found := resp.Responses[q.RefID]
		switch {
		case !found:
			t.Errorf("%s: no response", q.RefID)
		case r.Error != nil:
			t.Errorf("%s: error %v", q.RefID, r.Error)
		case Rows(r) == 0:
			t.Errorf("%s: %d frames, no rows; want data", q.RefID, len(r.Frames))
		}
	}
}

// Concurrently runs f(0) … f(n-1) all at once, waits for every call and
// returns their errors in order (nil where a call succeeded).
func Concurrently(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = f(i) })
	}
	wg.Wait()
	return errs
}

// NoErrors fails the test with the first non-nil error of errs.
func NoErrors(t testing.TB, errs []error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// CallResource calls h as Grafana's resource API does and returns its
// response, the body's chunks joined; a handler that sends nothing is an
// error.
func CallResource(ctx context.Context, h backend.CallResourceHandler, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error) {
	var resp *backend.CallResourceResponse
	err := h.CallResource(ctx, req, backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
		if resp == nil {
			resp = r
			return nil
		}
		resp.Body = append(resp.Body, r.Body...)
		return nil
	}))
	if err == nil && resp == nil {
		err = errors.New("the resource handler sent no response")
	}
	return resp, err
}

// ResourceRequest is the request Grafana's resource API sends for method
// and pathQuery ("/sites?query=x": Path without the leading slash, URL with
// the query).
func ResourceRequest(method, pathQuery string) *backend.CallResourceRequest {
	path, _, _ := strings.Cut(pathQuery, "?")
	return &backend.CallResourceRequest{Method: method, Path: strings.TrimPrefix(path, "/"), URL: pathQuery}
}
