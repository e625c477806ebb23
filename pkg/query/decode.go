package query

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Limits on the request-level numbers Grafana sends with each query.
const (
	// maxDataPointsLimit is the largest maxDataPoints accepted; Grafana's
	// alerting default is 43200, panels ask for their pixel width.
	maxDataPointsLimit = 1_000_000
	// defaultMaxDataPoints applies when a query (typically an alert rule or
	// an API caller) sends none.
	defaultMaxDataPoints = 1000
)

// request is one decoded, validated query with the request-level context.
type request struct {
	RefID     string
	Type      QueryType
	TimeRange backend.TimeRange
	// Interval is Grafana's suggested bucket width; 0 when none was sent
	// (then the planner uses only MaxDataPoints).
	Interval      time.Duration
	MaxDataPoints int64
	// FromAlert is true for alert-rule evaluations (no dashboard, no browser).
	FromAlert bool

	// query is the resolved query its type's decode returned
	// (*timeSeriesQuery, *latestQuery, ...; see queryTypes).
	query any
}

// grafanaKeys holds the request-level keys Grafana puts in the query JSON;
// they are read only to tell "absent" from "explicitly zero".
type grafanaKeys struct {
	QueryType     *string          `json:"queryType"`
	IntervalMs    *json.RawMessage `json:"intervalMs"`
	MaxDataPoints *json.RawMessage `json:"maxDataPoints"`
}

// idKeys are the model keys holding entity ids; a JSON integer is accepted
// there as well as a string (hand-written provisioning files use numbers).
var idKeys = []string{"siteId", "componentId", "clientId"}

// decodeQuery decodes and validates one Grafana query. Unknown keys are
// ignored (Grafana adds datasource, hide, key, ...); known keys with the
// wrong JSON type, unknown enum values, bad ids, empty field lists and bad
// time ranges are errors naming the key and what is valid.
func decodeQuery(dq backend.DataQuery, fromAlert bool) (*request, error) {
	raw := bytes.TrimSpace(dq.JSON)
	if len(raw) == 0 {
		raw = []byte("{}")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, badInput("query is not a JSON object: %s", jsonProblem(err))
	}
	var gk grafanaKeys
	if err := json.Unmarshal(raw, &gk); err != nil {
		return nil, typeError(err)
	}
	raw, err := normalizeIDs(obj, raw)
	if err != nil {
		return nil, err
	}

	r := &request{RefID: dq.RefID, TimeRange: dq.TimeRange, FromAlert: fromAlert}
	qt, err := queryTypeOf(dq.QueryType, gk.QueryType)
	if err != nil {
		return nil, err
	}
	r.Type = qt.name
	if qt.points {
		// Only time series use the interval and point budget; other types
		// ignore them (variable and annotation requests may send anything).
		if err := r.setLimits(dq, gk); err != nil {
			return nil, err
		}
	}
	if r.query, err = qt.decode(raw); err != nil {
		return nil, err
	}
	if !qt.anyRange {
		if err := checkRange(dq.TimeRange); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// queryTypeOf resolves the query type: the request's field wins over the
// JSON key; neither means timeseries.
func queryTypeOf(fromRequest string, fromJSON *string) (*queryType, error) {
	t := strings.TrimSpace(fromRequest)
	if t == "" && fromJSON != nil {
		t = strings.TrimSpace(*fromJSON)
	}
	if t == "" {
		t = string(TypeTimeSeries)
	}
	if qt := lookupType(QueryType(t)); qt != nil {
		return qt, nil
	}
	return nil, badInput("queryType %q is unknown: valid values are %s", truncate(t, 40), quoteList(typeNames()))
}

// setLimits validates Interval and MaxDataPoints. Absent values take
// server-side defaults (alert rules and API callers may omit them); values
// that are present must be sensible.
func (r *request) setLimits(dq backend.DataQuery, gk grafanaKeys) error {
	switch {
	case dq.Interval < 0:
		return badInput("intervalMs is %d: it must be a positive number of milliseconds", dq.Interval.Milliseconds())
	case dq.Interval == 0 && gk.IntervalMs != nil && !isJSONNull(*gk.IntervalMs):
		return badInput("intervalMs is 0: it must be a positive number of milliseconds (or omitted)")
	}
	r.Interval = dq.Interval
	switch {
	case dq.MaxDataPoints < 0:
		return badInput("maxDataPoints is %d: it must be between 1 and %d", dq.MaxDataPoints, maxDataPointsLimit)
	case dq.MaxDataPoints > maxDataPointsLimit:
		return badInput("maxDataPoints is %d: it must be between 1 and %d (a panel asks for about its width in pixels)", dq.MaxDataPoints, maxDataPointsLimit)
	case dq.MaxDataPoints == 0 && gk.MaxDataPoints != nil && !isJSONNull(*gk.MaxDataPoints):
		return badInput("maxDataPoints is 0: it must be between 1 and %d (or omitted)", maxDataPointsLimit)
	case dq.MaxDataPoints == 0:
		r.MaxDataPoints = defaultMaxDataPoints
	default:
		r.MaxDataPoints = dq.MaxDataPoints
	}
	return nil
}

// checkRange validates the panel's time range.
func checkRange(tr backend.TimeRange) error {
	switch {
	case tr.From.IsZero() || tr.To.IsZero():
		return badInput("time range is missing: from and to are both required")
	case tr.From.After(tr.To):
		return badInput("time range is reversed: from (%s) is after to (%s)", tr.From.UTC().Format(time.RFC3339), tr.To.UTC().Format(time.RFC3339))
	case tr.From.Equal(tr.To):
		return badInput("time range is empty: from and to are both %s", tr.From.UTC().Format(time.RFC3339))
	}
	return nil
}

// decodeAs returns a query type's decode: raw is unmarshalled into the
// model M and resolve checks it, fills its defaults and parses what its
// keys mean into the typed query Q the type's handler takes.
func decodeAs[M, Q any](resolve func(*M) (Q, error)) func(raw []byte) (any, error) {
	return func(raw []byte) (any, error) {
		m := new(M)
		if err := json.Unmarshal(raw, m); err != nil {
			return nil, typeError(err)
		}
		q, err := resolve(m)
		if err != nil {
			return nil, err
		}
		return q, nil
	}
}

// normalizeIDs rewrites integer JSON numbers under the id keys as strings.
func normalizeIDs(obj map[string]json.RawMessage, raw []byte) ([]byte, error) {
	changed := false
	for _, k := range idKeys {
		v, ok := obj[k]
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		if len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
			continue
		}
		var f float64
		if err := json.Unmarshal(v, &f); err != nil || f != math.Trunc(f) || f <= 0 || f > 1<<53 {
			return nil, badInput("%s is %s: ids are positive integers, e.g. \"3458\"", k, truncate(string(v), 40))
		}
		obj[k] = json.RawMessage(fmt.Sprintf("%q", fmt.Sprintf("%d", int64(f))))
		changed = true
	}
	if !changed {
		return raw, nil
	}
	return json.Marshal(obj)
}

// typeError turns a JSON decoding error into a message naming the key.
func typeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		// encoding/json prefixes the names of embedded Go structs
		// ("Entity.entityType"); JSON keys are lower-case, so drop those.
		for head, rest, ok := strings.Cut(field, "."); ok && head != "" && head[0] >= 'A' && head[0] <= 'Z'; head, rest, ok = strings.Cut(field, ".") {
			field = rest
		}
		if field == "" {
			field = "query"
		}
		return badInput("%s must be %s, not %s", field, describeType(te.Type), describeJSON(te.Value))
	}
	return badInput("query is not valid JSON: %s", jsonProblem(err))
}

// jsonProblem describes a syntax error briefly.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "got " + describeJSON(te.Value)
	}
	return err.Error()
}

// describeType names a Go type the way a dashboard author thinks of JSON.
func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "an array of " + strings.TrimPrefix(strings.TrimPrefix(describeType(t.Elem()), "a "), "an ") + "s"
	case reflect.Map:
		return "an object whose values are " + strings.TrimPrefix(describeType(t.Elem()), "a ") + "s"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		return "a number"
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

// describeJSON names the JSON kind json.UnmarshalTypeError reports.
func describeJSON(v string) string {
	switch {
	case v == "array" || v == "object":
		return "an " + v
	case v == "":
		return "that value"
	case strings.HasPrefix(v, "number"):
		return "a number"
	}
	return "a " + v
}

// isJSONNull reports whether v is the JSON literal null.
func isJSONNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// quoteList formats valid values for an error message.
func quoteList[T ~string](vs []T) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", string(v))
	}
	return strings.Join(q, ", ")
}

// decodeLatest is the latest query type's decode: a query aimed at a site
// is refused before its model is decoded.
func decodeLatest(raw []byte) (any, error) {
	if err := latestIsComponentLevel(raw); err != nil {
		return nil, err
	}
	return decodeAs(resolveLatest)(raw)
}

// latestIsComponentLevel rejects a latest query aimed at a site (an editor
// switching query types may leave entityType/siteId behind): Locus serves
// gran=latest for components only.
func latestIsComponentLevel(raw []byte) error {
	var obj map[string]json.RawMessage
	_ = json.Unmarshal(raw, &obj)
	var et, site, comp string
	_ = json.Unmarshal(obj["entityType"], &et)
	_ = json.Unmarshal(obj["siteId"], &site)
	_ = json.Unmarshal(obj["componentId"], &comp)
	if et == string(EntitySite) || (strings.TrimSpace(comp) == "" && strings.TrimSpace(site) != "") {
		return badInput("latest values exist only for components (Locus serves gran=latest at component level): set componentId, e.g. the site's meter for its production, or use a timeseries query for the site")
	}
	return nil
}
