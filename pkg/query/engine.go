package query

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/fanout"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// Logger is the logging the engine needs; the SDK's log.Logger satisfies it.
// Never pass a secret to it (the engine has none to pass).
type Logger interface {
	Debug(msg string, args ...any)
	Info(msg string, args ...any)
	Warn(msg string, args ...any)
	Error(msg string, args ...any)
}

// Options configures an Engine.
type Options struct {
	// Now is the clock (open alerts run to Now, ranges are clamped to it);
	// nil means time.Now.
	Now func() time.Time
	// Logger receives debug and error lines; nil discards them.
	Logger Logger
	// MaxConcurrent is how many data requests the engine hands the client
	// at once: the account's in-flight limit (default 1, the API's). Data
	// requests waiting for their turn can still be merged across panels.
	MaxConcurrent int
	// MaxEntities is the most sites or components one time series or latest
	// query fetches (one request each); 0 means DefaultMaxEntities.
	MaxEntities int
	// MetadataTTL is how long the search-ready site and component lists of
	// the editors' pickers are kept before they are rebuilt (the data
	// source's metadata lifetime); 0 means locus.DefaultMetadataTTL.
	MetadataTTL time.Duration
}

// Engine answers Grafana data queries from the Locus API: it decodes each
// query, plans it, fetches through the client (queue, cache, retries) and
// builds data frames.
type Engine struct {
	api *locus.API
	now func() time.Time
	log Logger
	co  *coalescer
	// maxConcurrent is the account's in-flight limit (Options.MaxConcurrent).
	maxConcurrent int
	// maxEntities is Options.MaxEntities (see checkEntities).
	maxEntities int
	// sites and components are the partner's lists prepared for the
	// pickers' searches (resource_search_sites.go, resource_search_components.go).
	sites      *siteIndex
	components *componentIndex
}

// NewEngine returns an engine reading from api.
func NewEngine(api *locus.API, opts Options) *Engine {
	e := &Engine{api: api, now: opts.Now, log: opts.Logger, maxEntities: opts.MaxEntities}
	if e.maxEntities <= 0 {
		e.maxEntities = DefaultMaxEntities
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = nopLogger{}
	}
	e.maxConcurrent = max(opts.MaxConcurrent, 1)
	e.co = newCoalescer(api, e.maxConcurrent, e.now)
	ttl := opts.MetadataTTL
	if ttl <= 0 {
		ttl = locus.DefaultMetadataTTL
	}
	e.sites = newSiteIndex(ttl, e.now)
	e.components = newComponentIndex(ttl, e.now)
	return e
}

// Begin marks the start of work on the engine (a query, a resource call)
// that Close lets finish; call done when it ends. It fails once the engine
// is closed (locus.API.Begin).
func (e *Engine) Begin() (done func(), err error) { return e.api.Begin() }

// Close closes the engine's client, which lets begun work finish and then
// releases the account queue, cache and token (locus.API.Close), and drops
// the search-ready site and component lists: the data source instance is
// being replaced.
func (e *Engine) Close() {
	e.api.Close()
	e.sites.clear()
	e.components.clear()
}

// WaitBackground returns once the client's background work (refreshes of
// stale metadata, the warm-up of a new instance) is done, or when ctx ends
// (locus.API.WaitBackground).
func (e *Engine) WaitBackground(ctx context.Context) error { return e.api.WaitBackground(ctx) }

// QueryData answers every query of req. Errors are reported per query in the
// response; the returned error is always nil.
func (e *Engine) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	if req == nil {
		return resp, nil
	}
	fromAlert := isFromAlert(req.Headers)
	if fromAlert {
		// Alert-rule evaluations go first in every queue (locus.LaneAlert).
		ctx = locus.WithLane(ctx, locus.LaneAlert)
	}
	// Stale metadata the queries use is refreshed once they are answered,
	// in the background lane: never ahead of their own data requests.
	ctx, refresh := e.api.DeferRefreshes(ctx)
	defer refresh()
	byType := map[QueryType][]*request{}
	for _, dq := range req.Queries {
		r, err := decodeQuery(dq, fromAlert)
		if err != nil {
			resp.Responses[dq.RefID] = errorResponse(err)
			continue
		}
		byType[r.Type] = append(byType[r.Type], r)
	}
	types := make([]QueryType, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	// Each type's handler answers its queries; a panic in one answers its
	// queries with an internal error, so one bad query can never take the
	// process down.
	outs := make([]map[string]backend.DataResponse, len(types))
	errs, _ := e.each(ctx, len(types), fanout.Options{KeepGoing: true},
		func(i int) string { return "running the " + string(types[i]) + " queries" },
		func(ctx context.Context, i int) error {
			outs[i] = lookupType(types[i]).handle(ctx, e, byType[types[i]])
			return nil
		})
	for i, t := range types {
		for ref, r := range outs[i] {
			resp.Responses[ref] = r
		}
		if errs[i] != nil {
			for _, r := range byType[t] {
				resp.Responses[r.RefID] = errorResponse(errs[i])
			}
		}
	}
	return resp, nil
}

// each is fanout.Each logging every panic with its stack: the engine's one
// way to run work concurrently (bounded by opt.Limit; Engine.fanOut for a
// query's upstream requests).
func (e *Engine) each(ctx context.Context, n int, opt fanout.Options, name func(i int) string, fn func(ctx context.Context, i int) error) ([]error, error) {
	opt.OnPanic = e.logPanic
	return fanout.Each(ctx, n, opt, name, fn)
}

// logPanic logs a recovered panic with its value and stack.
func (e *Engine) logPanic(p *fanout.PanicError) {
	e.log.Error("query engine panic", "while", p.Item, "panic", fmt.Sprint(p.Value), "stack", string(p.Stack))
}

// eachQuery adapts a handler of one typed query (Q is what the type's
// decode returns): the request's queries of the type run concurrently
// (each bounds its own upstream requests), a panic in one is its internal
// error.
func eachQuery[Q any](one func(ctx context.Context, e *Engine, r *request, q Q) (backend.DataResponse, error)) handler {
	return func(ctx context.Context, e *Engine, reqs []*request) map[string]backend.DataResponse {
		resps := make([]backend.DataResponse, len(reqs))
		errs, _ := e.each(ctx, len(reqs), fanout.Options{KeepGoing: true},
			func(i int) string { return "answering query " + reqs[i].RefID },
			func(ctx context.Context, i int) (err error) {
				resps[i], err = one(ctx, e, reqs[i], reqs[i].query.(Q))
				return err
			})
		out := make(map[string]backend.DataResponse, len(reqs))
		for i, r := range reqs {
			if err := errs[i]; err != nil {
				e.log.Debug("query failed", "refId", r.RefID, "queryType", string(r.Type), "error", err.Error())
				resps[i] = errorResponse(err)
			}
			out[r.RefID] = resps[i]
		}
		return out
	}
}

// isFromAlert reports whether Grafana's alerting sent the request.
func isFromAlert(h map[string]string) bool {
	for k, v := range h {
		if strings.EqualFold(k, "FromAlert") || strings.EqualFold(k, "http_FromAlert") {
			return strings.EqualFold(strings.TrimSpace(v), "true")
		}
	}
	return false
}

// nopLogger discards everything.
type nopLogger struct{}

func (nopLogger) Debug(string, ...any) {}
func (nopLogger) Info(string, ...any)  {}
func (nopLogger) Warn(string, ...any)  {}
func (nopLogger) Error(string, ...any) {}
