package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// pluginBackend is the part of the plugin client the host needs; the real
// implementation talks to the built binary over gRPC.
type pluginBackend interface {
	CheckHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error)
	QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error)
	CallResource(ctx context.Context, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error)
}

// grafanaAPI answers the Grafana HTTP routes the plugin's frontend uses.
type grafanaAPI struct {
	plugin   pluginBackend
	settings *settingsStore
	pluginID string
	meta     pluginMeta
}

// maxBody caps request bodies the host accepts from the page.
const maxBody = 4 << 20

func (a *grafanaAPI) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/datasources/uid/{uid}", a.withUID(a.getDataSource))
	mux.HandleFunc("PUT /api/datasources/uid/{uid}", a.withUID(a.putDataSource))
	mux.HandleFunc("GET /api/datasources/uid/{uid}/health", a.withUID(a.health))
	mux.HandleFunc("/api/datasources/uid/{uid}/resources/{path...}", a.withUID(a.resource))
	mux.HandleFunc("POST /api/ds/query", a.query)
	mux.HandleFunc("GET /api/plugins/{id}/settings", a.pluginSettings)
}

// withUID answers 404 for any data source but the one the host serves.
func (a *grafanaAPI) withUID(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if uid := r.PathValue("uid"); uid != a.settings.get().UID {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Data source not found: " + uid})
			return
		}
		next(w, r)
	}
}

func (a *grafanaAPI) getDataSource(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, a.settings.get())
}

func (a *grafanaAPI) putDataSource(w http.ResponseWriter, r *http.Request) {
	var cmd updateCommand
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&cmd); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "bad data source body: " + err.Error()})
		return
	}
	dto, err := a.settings.update(cmd)
	if errors.Is(err, errVersionConflict) {
		writeJSON(w, http.StatusConflict, map[string]string{"message": err.Error()})
		return
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"datasource": dto, "id": dto.ID, "name": dto.Name, "message": "Datasource updated"})
}

// health mirrors Grafana: 200 with status OK, otherwise 400 with the
// plugin's status and message.
func (a *grafanaAPI) health(w http.ResponseWriter, r *http.Request) {
	res, err := a.plugin.CheckHealth(r.Context(), &backend.CheckHealthRequest{PluginContext: a.settings.pluginContext()})
	if err != nil {
		log.Printf("health: plugin error: %v", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Plugin health check failed", "status": "ERROR"})
		return
	}
	body := map[string]any{"status": res.Status.String(), "message": res.Message}
	if len(res.JSONDetails) > 0 {
		var details any
		if json.Unmarshal(res.JSONDetails, &details) == nil {
			body["details"] = details
		}
	}
	status := http.StatusOK
	if res.Status != backend.HealthStatusOk {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, body)
}

// resource forwards a resource call as Grafana does: Path and URL relative to
// .../resources/, the page's headers minus credentials.
func (a *grafanaAPI) resource(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "cannot read body: " + err.Error()})
		return
	}
	path := r.PathValue("path")
	rawURL := path
	if r.URL.RawQuery != "" {
		rawURL += "?" + r.URL.RawQuery
	}
	headers := map[string][]string{}
	for k, v := range r.Header {
		switch strings.ToLower(k) {
		case "cookie", "authorization":
			continue
		}
		headers[k] = v
	}
	res, err := a.plugin.CallResource(r.Context(), &backend.CallResourceRequest{
		PluginContext: a.settings.pluginContext(), Path: path, Method: r.Method, URL: rawURL, Headers: headers, Body: body,
	})
	if err != nil {
		log.Printf("resource %s: plugin error: %v", path, err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Failed to call resource"})
		return
	}
	for k, vs := range res.Headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if res.Status == 0 {
		res.Status = http.StatusOK
	}
	w.WriteHeader(res.Status)
	_, _ = w.Write(res.Body)
}

func (a *grafanaAPI) pluginSettings(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != a.pluginID {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Plugin not found"})
		return
	}
	writeJSON(w, http.StatusOK, a.meta)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}
