package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/gtime"
)

// dsQueryRequest is the body of Grafana's POST /api/ds/query.
type dsQueryRequest struct {
	Queries []json.RawMessage `json:"queries"`
	From    string            `json:"from"`
	To      string            `json:"to"`
}

// queryHeader is the part of each query Grafana itself reads; the rest of the
// JSON goes to the plugin untouched.
type queryHeader struct {
	RefID      string `json:"refId"`
	QueryType  string `json:"queryType"`
	Datasource *struct {
		UID  string `json:"uid"`
		Type string `json:"type"`
	} `json:"datasource"`
	IntervalMs    *float64 `json:"intervalMs"`
	MaxDataPoints *int64   `json:"maxDataPoints"`
}

// query answers /api/ds/query the way Grafana does: it parses the range
// (epoch ms or relative like now-6h), applies Grafana's defaults (100 points,
// 1 s interval), calls QueryData and returns 400 when any query failed.
func (a *grafanaAPI) query(w http.ResponseWriter, r *http.Request) {
	req, err := a.parseQueryRequest(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	res, err := a.plugin.QueryData(r.Context(), req)
	if err != nil {
		log.Printf("query: plugin error: %v", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Query data error"})
		return
	}
	body, err := res.MarshalJSON()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "cannot encode frames: " + err.Error()})
		return
	}
	status := http.StatusOK
	for _, dr := range res.Responses {
		if dr.Error != nil {
			status = http.StatusBadRequest
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (a *grafanaAPI) parseQueryRequest(r *http.Request) (*backend.QueryDataRequest, error) {
	var body dsQueryRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&body); err != nil {
		return nil, fmt.Errorf("bad query request body: %w", err)
	}
	if len(body.Queries) == 0 {
		return nil, fmt.Errorf("no queries found")
	}
	tr := gtime.NewTimeRange(body.From, body.To)
	from, err := tr.ParseFrom()
	if err != nil {
		return nil, fmt.Errorf("bad 'from' %q: %w", body.From, err)
	}
	to, err := tr.ParseTo()
	if err != nil {
		return nil, fmt.Errorf("bad 'to' %q: %w", body.To, err)
	}
	uid := a.settings.get().UID
	req := &backend.QueryDataRequest{
		PluginContext: a.settings.pluginContext(),
		Headers:       map[string]string{},
	}
	for i, raw := range body.Queries {
		var h queryHeader
		if err := json.Unmarshal(raw, &h); err != nil {
			return nil, fmt.Errorf("query %d is not a JSON object: %w", i, err)
		}
		if h.Datasource != nil && h.Datasource.UID != "" && h.Datasource.UID != uid {
			return nil, fmt.Errorf("query %s targets data source %q; this host serves only %q", h.RefID, h.Datasource.UID, uid)
		}
		if h.RefID == "" {
			h.RefID = "A"
		}
		q := backend.DataQuery{
			RefID: h.RefID, QueryType: h.QueryType, MaxDataPoints: 100, Interval: time.Second,
			TimeRange: backend.TimeRange{From: from, To: to}, JSON: raw,
		}
		if h.MaxDataPoints != nil {
			q.MaxDataPoints = *h.MaxDataPoints
		}
		if h.IntervalMs != nil {
			q.Interval = time.Duration(*h.IntervalMs * float64(time.Millisecond))
		}
		req.Queries = append(req.Queries, q)
	}
	return req, nil
}
