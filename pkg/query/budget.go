package query

import (
	"context"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// The engine bounds the work of every query, whatever its type:
//
//   - requests: at most maxChunks upstream requests per entity (per site or
//     component of a time series or alerts query; for the whole fleet of a
//     bulk query), refused up front with requestCapError's message;
//   - fan-out: a query's requests enter the queues lazily, at most
//     Engine.fanOut at a time (fanout.Each: an errgroup with SetLimit), so
//     goroutines and buffers in flight stay bounded however many requests
//     a query has;
//   - lanes: an alert-rule evaluation's requests (the FromAlert header) go
//     in locus.LaneAlert; a query needing more than smallQueryRequests data
//     requests sends them in locus.LaneBulk, so small panels and alert rules
//     never wait behind a large dashboard's chunks.

// maxChunks bounds the upstream requests one entity of one query may need,
// so a mistaken explicit granularity over years cannot occupy the account
// queue for an hour.
const maxChunks = 100

// smallQueryRequests is the most data requests a query may need and still
// count as interactive; larger queries send their data requests in the bulk
// lane.
const smallQueryRequests = 8

// requestCapError is the one refusal of a query needing more than maxChunks
// requests for one entity: n requests, what they are for, how to shrink it.
func requestCapError(n int, what, remedy string) error {
	return badInput("the range needs %d requests %s (at most %d allowed per entity in one query): %s", n, what, maxChunks, remedy)
}

// dataLane returns ctx with the lane of a query needing the given number of
// data requests: an alert evaluation stays in the alert lane; a large query
// goes to the bulk lane; a small one keeps its lane (interactive).
func dataLane(ctx context.Context, requests int) context.Context {
	if l := locus.LaneFrom(ctx); l == locus.LaneAlert || requests <= smallQueryRequests {
		return ctx
	}
	return locus.WithLane(ctx, locus.LaneBulk)
}

// fanOut is how many of one query's requests may be waiting in the queues
// or in flight at once: enough to keep every slot of the account busy and
// the next request waiting, and no more.
func (e *Engine) fanOut() int { return 2*e.maxConcurrent + 2 }
