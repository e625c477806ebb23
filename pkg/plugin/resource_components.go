package plugin

import (
	"net/http"

	"github.com/sunfleet/locus-datasource/pkg/query"
)

// defaultNodeLimit is how many components a node ID search returns without
// a limit parameter; limit=0 returns every match.
const defaultNodeLimit = 500

// handleComponents lists partner components (query.Engine.SearchComponents):
// of the sites in siteId (one id or a list), and/or whose node ID matches
// nodeId (% wildcard), and/or whose name, node ID, node type, OEM, model, id
// or site name contain every word of query. nodeType (one type or a list)
// keeps only those types. limit (default 500 for a partner-wide search,
// every match for sites; 0 = all) cuts the answer, total counting every
// match.
func (d *Datasource) handleComponents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pattern, err := textParam(q, "nodeId")
	if err != nil {
		return err
	}
	text, err := textParam(q, "query")
	if err != nil {
		return err
	}
	sites, err := idList(q, "siteId")
	if err != nil {
		return err
	}
	if pattern == "" && text == "" && sites == nil {
		return badParam("siteId, nodeId or query is required: site ids (1001,1002), a node ID pattern with %% as wildcard such as %%INV%%, or words of a component's name, node type, OEM, model or site")
	}
	types, err := textParam(q, "nodeType")
	if err != nil {
		return err
	}
	def := defaultNodeLimit
	if sites != nil {
		def = 0
	}
	limit, err := limitParam(q, def)
	if err != nil {
		return err
	}
	out, total, err := d.engine.SearchComponents(r.Context(), query.ComponentSearch{Sites: sites, NodeID: pattern, Query: text, NodeTypes: types, Limit: limit})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"components": out, "total": total})
	return nil
}
