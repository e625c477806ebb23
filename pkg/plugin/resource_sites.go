package plugin

import (
	"net/http"
)

// defaultSiteLimit is how many sites a search returns without a limit
// parameter (a picker's first page); limit=0 returns every match.
const defaultSiteLimit = 50

// handleSites searches the partner's sites (query.Engine.SearchSites).
func (d *Datasource) handleSites(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	text, err := textParam(q, "query")
	if err != nil {
		return err
	}
	clients, err := optionalIDSet(q, "clientId")
	if err != nil {
		return err
	}
	limit, err := limitParam(q, defaultSiteLimit)
	if err != nil {
		return err
	}
	sites, total, err := d.engine.SearchSites(r.Context(), text, clients, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"sites": sites, "total": total})
	return nil
}

// handleSite answers one site (query.Engine.SiteSummary).
func (d *Datasource) handleSite(w http.ResponseWriter, r *http.Request) error {
	id, err := positiveID("site id", r.PathValue("id"))
	if err != nil {
		return err
	}
	s, err := d.engine.SiteSummary(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"site": s})
	return nil
}

// handleClients lists the partner's clients (query.Engine.Clients).
func (d *Datasource) handleClients(w http.ResponseWriter, r *http.Request) error {
	clients, err := d.engine.Clients(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"clients": clients})
	return nil
}
