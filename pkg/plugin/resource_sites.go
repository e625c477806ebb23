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
