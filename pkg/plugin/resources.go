package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/sunfleet/locus-datasource/pkg/fanout"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

var _ backend.CallResourceHandler = (*Datasource)(nil)

// CallResource serves the editors' read-only routes (see newResourceMux)
// through httpadapter; nothing else is reachable (no open proxy).
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	if d.engine != nil {
		// Like a query, a resource call begun before a settings save finishes.
		if done, err := d.engine.Begin(); err == nil {
			defer done()
		}
	}
	sent := false
	err := d.resources.CallResource(ctx, req, backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
		sent = true
		return sender.Send(r)
	}))
	if err == nil || sent {
		return err
	}
	// httpadapter refused the request before any route saw it (a URL or
	// path it cannot parse, such as "///}"): answer it rather than fail
	// the call with a bare error.
	reason := err
	var ue *url.Error
	if errors.As(err, &ue) {
		reason = ue.Err
	}
	msg := fmt.Sprintf("the resource URL %s cannot be read: %v; call a resource such as /sites?query=name", quoteParam(req.URL), reason)
	return httpadapter.New(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusBadRequest, msg)
	})).CallResource(ctx, &backend.CallResourceRequest{Method: http.MethodGet, URL: "/"}, sender)
}

// newResourceHandler adapts the resource routes to the SDK's CallResource.
func (d *Datasource) newResourceHandler() backend.CallResourceHandler {
	return httpadapter.New(d.newResourceMux())
}

// newResourceMux routes the resource contract: GET only, JSON only; any
// other method is 405 and any other path 404, both with a JSON error body.
func (d *Datasource) newResourceMux() http.Handler {
	mux := http.NewServeMux()
	routes := map[string]func(http.ResponseWriter, *http.Request) error{
		"/clients":               whole(d, "clients", (*query.Engine).Clients),
		"/sites":                 d.handleSites,
		"/sites/{id}":            byID(d, "site", "site", (*query.Engine).SiteSummary),
		"/sites/{id}/components": byID(d, "site", "components", (*query.Engine).SiteComponents),
		"/components":            d.handleComponents,
		"/components/{id}":       byID(d, "component", "component", (*query.Engine).ComponentSummary),
		"/dataavailable":         d.handleDataAvailable,
		"/bulk/dataavailable":    whole(d, "fields", (*query.Engine).BulkFields),
		"/plan":                  d.handlePlan,
		"/timezones":             d.handleTimezones,
		"/ranking/worst":         d.handleWorstSites,
	}
	for path, h := range routes {
		mux.Handle("GET "+path, d.route(h))
		mux.Handle(path, methodNotAllowed())
	}
	mux.HandleFunc("/", notFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// ServeMux would answer an unclean path ("/a/../b") with a redirect;
		// no route has one, so it is simply not found.
		if p := r.URL.Path; p == "" || path.Clean(p) != p {
			notFound(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// whole serves a route without parameters: it answers {key: get(engine)},
// e.g. /clients -> {"clients": query.Engine.Clients}. The engine is read at
// each call (it is built after the routes).
func whole[T any](d *Datasource, key string, get func(*query.Engine, context.Context) (T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := get(d.engine, r.Context())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{key: v})
		return nil
	}
}

// byID serves a route of one entity id in the path ({id}, a positive
// integer naming a what): it answers {key: get(engine, id)}, e.g.
// /sites/{id} -> {"site": query.Engine.SiteSummary}. The engine is read at
// each call (it is built after the routes).
func byID[T any](d *Datasource, what, key string, get func(*query.Engine, context.Context, int64) (T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := positiveID(what+" id", r.PathValue("id"))
		if err != nil {
			return err
		}
		v, err := get(d.engine, r.Context(), id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{key: v})
		return nil
	}
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "no resource "+quoteParam(r.URL.Path)+": valid resources are /clients, /sites, /sites/{id}, /sites/{id}/components, /components, /dataavailable, /bulk/dataavailable, /plan, /timezones, /ranking/worst")
}

// logPanic logs a recovered panic with its value and stack.
func (d *Datasource) logPanic(p *fanout.PanicError) {
	d.logger.Error("Locus resource handler panicked", "while", p.Item, "panic", fmt.Sprint(p.Value), "stack", string(p.Stack))
}

// route wraps a handler: settings errors short-circuit, and a returned error
// becomes its mapped status with a JSON body.
func (d *Datasource) route(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.settingsErr != nil {
			writeError(w, http.StatusBadRequest, "the data source settings are invalid: "+d.settingsErr.Error())
			return
		}
		err := fanout.Guard("serving "+r.URL.Path, func() error { return h(w, r) })
		var p *fanout.PanicError
		if errors.As(err, &p) {
			// A bug must cost one request a JSON 500, not the editor a broken stream.
			d.logPanic(p)
			writeError(w, http.StatusInternalServerError, "internal error in the Locus plugin while serving "+r.URL.Path)
			return
		}
		if err != nil {
			status, msg := d.errorStatus(err)
			if status >= 500 {
				d.logger.Warn("Locus resource call failed", "path", r.URL.Path, "status", status, "error", msg)
			} else {
				d.logger.Debug("Locus resource call refused", "path", r.URL.Path, "status", status, "error", msg)
			}
			writeErrorFor(w, status, msg, err)
		}
	})
}

func methodNotAllowed() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed: resources are read-only, use GET")
	})
}
