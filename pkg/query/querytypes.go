package query

import (
	"context"
	"slices"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// queryType is everything the engine knows about one query type. The
// engine decodes, plans and answers queries only through queryTypes, so a
// new query type is one entry there (with its model, resolver and handler
// in their own file).
type queryType struct {
	name QueryType
	// model is the zero value of the JSON model (the keys the frontend
	// sends), described by ModelSchema.
	model any
	// points says the query reads intervalMs and maxDataPoints (checked
	// and defaulted in request.Interval and request.MaxDataPoints); other
	// types ignore them.
	points bool
	// anyRange says the query ignores the time range, so it is not checked.
	anyRange bool
	// decode unmarshals the model JSON (integer ids already made strings)
	// and resolves it: checked, defaults filled, ids, granularity and zone
	// parsed once. Its result is request.query, the typed query handle
	// takes; an error is bad input naming the key and what is valid.
	decode func(raw []byte) (any, error)
	// plan, when not nil, plans the type's queries of a request without
	// fetching data (Engine.PlanTimeSeries, the /plan resource).
	plan func(ctx context.Context, e *Engine, reqs []*request) map[string]QueryPlan
	// handle answers every query of the type in a request (so queries can
	// share upstream calls), one response per refId. eachQuery adapts a
	// handler of one typed query.
	handle handler
}

// handler serves every query of one type in a request, so that a handler can
// merge what its queries share; it returns one response per query.
type handler func(ctx context.Context, e *Engine, reqs []*request) map[string]backend.DataResponse

// queryTypes is the table of query types, in the order editors show them.
var queryTypes = []queryType{
	{name: TypeTimeSeries, model: TimeSeriesQuery{}, points: true,
		decode: decodeAs(resolveTimeSeries), plan: planTimeSeries, handle: handleTimeSeries},
	{name: TypeLatest, model: LatestQuery{}, anyRange: true,
		decode: decodeLatest, handle: eachQuery(handleLatest)},
	{name: TypeBulk, model: BulkQuery{},
		decode: decodeAs(resolveBulk), handle: eachQuery(handleBulk)},
	{name: TypeAlerts, model: AlertsQuery{},
		decode: decodeAs(resolveAlerts), handle: eachQuery(handleAlerts)},
	{name: TypeMetadata, model: MetadataQuery{}, anyRange: true,
		decode: decodeAs(resolveMetadata), handle: eachQuery(handleMetadata)},
	{name: TypeRanking, model: RankingQuery{},
		decode: decodeAs(resolveRanking), handle: eachQuery(handleRanking)},
}

// AllTypes lists every query type, in the order editors show them (the
// names of queryTypes).
var AllTypes = typeNames()

// typeNames lists the names of queryTypes in order.
func typeNames() []QueryType {
	var out []QueryType
	for _, qt := range queryTypes {
		out = append(out, qt.name)
	}
	return out
}

// lookupType returns the entry of query type t, or nil.
func lookupType(t QueryType) *queryType {
	if i := slices.IndexFunc(queryTypes, func(qt queryType) bool { return qt.name == t }); i >= 0 {
		return &queryTypes[i]
	}
	return nil
}
