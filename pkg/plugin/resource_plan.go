package plugin

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Bounds of the plan parameters.
const (
	maxPlanMaxDataPoints = 1_000_000
	maxPlanFields        = 50
	// maxPlanQueries and maxPlanQueriesLen bound the panel's queries a
	// /plan call may carry (a panel has a handful).
	maxPlanQueries    = 100
	maxPlanQueriesLen = 64 << 10
)

// handlePlan answers what a time series query will do when it runs (the
// editor's hint and offered granularities): it parses the parameters into a
// Grafana query request and asks the query engine, which plans it with the
// code the query path runs (query.Engine.PlanTimeSeries); this handler holds
// no planning of its own. The answer is the query's query.QueryPlan as JSON,
// 200 even when the query would be refused (its error and status say why);
// bad /plan parameters are a 400.
//
// Parameters: from, to (epoch ms, required), intervalMs, maxDataPoints, and
// either queries (a JSON array of the panel's query models, interpolated,
// each with its refId; refId names the one to answer, default the first) so
// the panel's queries are planned together as when they run, or the
// one-query shorthand entityType, id, fields, granularity and timeZone.
func (d *Datasource) handlePlan(w http.ResponseWriter, r *http.Request) error {
	req, refID, err := parsePlanRequest(r)
	if err != nil {
		return err
	}
	p, ok := d.engine.PlanTimeSeries(r.Context(), req)[refID]
	if !ok {
		return badParam("refId %s names none of the queries: give the refId of one of them", quoteParam(refID))
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// parsePlanRequest builds the Grafana query request a /plan call describes
// and returns the refId to answer.
func parsePlanRequest(r *http.Request) (*backend.QueryDataRequest, string, error) {
	q := r.URL.Query()
	from, err := msParam(q.Get("from"), "from")
	if err != nil {
		return nil, "", err
	}
	to, err := msParam(q.Get("to"), "to")
	if err != nil {
		return nil, "", err
	}
	if !from.Before(to) {
		return nil, "", badParam("from (%s) must be before to (%s)", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	intervalMs, err := msNumber(q.Get("intervalMs"), "intervalMs", 0, 10*365*24*3600*1000)
	if err != nil {
		return nil, "", err
	}
	maxDataPoints, err := intParam(q, "maxDataPoints", 0, 1, maxPlanMaxDataPoints)
	if err != nil {
		return nil, "", err
	}
	var models []json.RawMessage
	var refIDs []string
	if raw := strings.TrimSpace(q.Get("queries")); raw != "" {
		if models, refIDs, err = panelQueries(raw); err != nil {
			return nil, "", err
		}
	} else {
		model, err := shorthandQuery(r)
		if err != nil {
			return nil, "", err
		}
		models, refIDs = []json.RawMessage{model}, []string{"A"}
	}
	refID := strings.TrimSpace(q.Get("refId"))
	if refID == "" {
		refID = refIDs[0]
	}
	req := &backend.QueryDataRequest{}
	for i, m := range models {
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: refIDs[i], JSON: m, Interval: time.Duration(intervalMs) * time.Millisecond, MaxDataPoints: maxDataPoints,
			TimeRange: backend.TimeRange{From: from, To: to},
		})
	}
	return req, refID, nil
}

// panelQueries parses the queries parameter: a JSON array of query models,
// each an object with a refId.
func panelQueries(raw string) ([]json.RawMessage, []string, error) {
	if len(raw) > maxPlanQueriesLen {
		return nil, nil, badParam("queries is %d bytes: use at most %d", len(raw), maxPlanQueriesLen)
	}
	var models []json.RawMessage
	if err := json.Unmarshal([]byte(raw), &models); err != nil {
		return nil, nil, badParam("queries must be a JSON array of the panel's query models: %s", err.Error())
	}
	if len(models) == 0 || len(models) > maxPlanQueries {
		return nil, nil, badParam("queries lists %d queries: give 1 to %d", len(models), maxPlanQueries)
	}
	refIDs := make([]string, len(models))
	for i, m := range models {
		var head struct {
			RefID string `json:"refId"`
		}
		if err := json.Unmarshal(m, &head); err != nil || strings.TrimSpace(head.RefID) == "" {
			return nil, nil, badParam("queries[%d] must be a query model object with a refId", i)
		}
		refIDs[i] = head.RefID
	}
	return models, refIDs, nil
}

// shorthandQuery builds the model of a one-query /plan call: entityType and
// id, fields (comma list), granularity (default auto) and timeZone (absent:
// the site's zone; "utc"; "browser", which the server cannot know, means
// the site's zone as in queries; else a named IANA zone).
func shorthandQuery(r *http.Request) (json.RawMessage, error) {
	q := r.URL.Query()
	entityType, id, err := entityParam(r)
	if err != nil {
		return nil, err
	}
	var fields []string
	for _, f := range strings.Split(q.Get("fields"), ",") {
		if f = strings.TrimSpace(f); f != "" {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return nil, badParam("fields is required: a comma-separated list of dataavailable shortNames such as W_avg,Wh_sum")
	}
	if len(fields) > maxPlanFields {
		return nil, badParam("fields lists %d fields: use at most %d", len(fields), maxPlanFields)
	}
	zone, err := textParam(q, "timeZone")
	if err != nil {
		return nil, err
	}
	model := map[string]any{"refId": "A", "queryType": "timeseries", "entityType": entityType, "fields": fields,
		"granularity": strings.ToLower(strings.TrimSpace(q.Get("granularity")))}
	if model["granularity"] == "" {
		model["granularity"] = "auto"
	}
	if entityType == "component" {
		model["componentId"] = strconv.FormatInt(id, 10)
	} else {
		model["siteId"] = strconv.FormatInt(id, 10)
	}
	switch {
	case zone == "":
		model["timeZoneMode"] = "site"
	case strings.EqualFold(zone, "utc"):
		model["timeZoneMode"] = "utc"
	case strings.EqualFold(zone, "browser"):
		model["timeZoneMode"] = "dashboard"
		model["timeZone"] = "browser"
	default:
		model["timeZoneMode"] = "named"
		model["timeZone"] = zone
	}
	return json.Marshal(model)
}

// msParam parses epoch milliseconds (Grafana's range.from.valueOf()).
func msParam(raw, name string) (time.Time, error) {
	if strings.TrimSpace(raw) == "" {
		return time.Time{}, badParam("%s is required: epoch milliseconds", name)
	}
	// Years 1970 to 2200 cover every plausible panel range.
	ms, err := msNumber(raw, name, 0, 7_258_118_400_000)
	if err != nil {
		return time.Time{}, badParam("%s must be epoch milliseconds between 1970 and 2200, got %s", name, quoteParam(raw))
	}
	return time.UnixMilli(ms), nil
}

// msNumber parses a millisecond count within [lo, hi], rounding a fraction
// (browsers may send 1666.6666); empty means 0.
func msNumber(raw, name string, lo, hi int64) (int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(f) || f < float64(lo) || f > float64(hi) {
		return 0, badParam("%s must be a number of milliseconds from %d to %d, got %s", name, lo, hi, quoteParam(raw))
	}
	return int64(math.Round(f)), nil
}
