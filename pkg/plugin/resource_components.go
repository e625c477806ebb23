package plugin

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// Limits of the node ID search.
const (
	defaultNodeLimit = 500
	maxNodeLimit     = 5000
)

// componentJSON is the resource shape of a component; Depth is its level in
// the site's tree (0 = directly under the site).
type componentJSON struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	SiteID           int64  `json:"siteId"`
	NodeID           string `json:"nodeId"`
	NodeType         string `json:"nodeType"`
	OEM              string `json:"oem"`
	Model            string `json:"model"`
	ParentID         int64  `json:"parentId"`
	ParentType       string `json:"parentType"`
	Depth            int    `json:"depth"`
	IsConceptualNode bool   `json:"isConceptualNode"`
}

func toComponentJSON(c locus.Component, depth int) componentJSON {
	return componentJSON{ID: c.ID, Name: c.Name, SiteID: c.SiteID, NodeID: c.NodeID, NodeType: c.NodeType,
		OEM: c.OEM, Model: c.Model, ParentID: c.ParentID, ParentType: c.ParentType, Depth: depth,
		IsConceptualNode: c.IsConceptualNode}
}

// componentTree orders a site's components depth-first, each parent followed
// by its children (siblings by name, then id). A component whose parent
// component is missing, or that sits in a parent cycle, is shown as a root so
// that nothing Locus lists is ever hidden.
func componentTree(comps []locus.Component) []componentJSON {
	byID := make(map[int64]int, len(comps))
	for i, c := range comps {
		byID[c.ID] = i
	}
	children := make(map[int64][]int, len(comps))
	var roots []int
	for i, c := range comps {
		_, parentKnown := byID[c.ParentID]
		if strings.EqualFold(c.ParentType, "COMPONENT") && parentKnown && c.ParentID != c.ID {
			children[c.ParentID] = append(children[c.ParentID], i)
		} else {
			roots = append(roots, i)
		}
	}
	bySibling := func(a, b int) int {
		return cmp.Or(cmp.Compare(strings.ToLower(comps[a].Name), strings.ToLower(comps[b].Name)), cmp.Compare(comps[a].ID, comps[b].ID))
	}
	slices.SortFunc(roots, bySibling)
	for _, kids := range children {
		slices.SortFunc(kids, bySibling)
	}
	out := make([]componentJSON, 0, len(comps))
	visited := make([]bool, len(comps))
	var walk func(i, depth int)
	walk = func(i, depth int) {
		if visited[i] {
			return
		}
		visited[i] = true
		out = append(out, toComponentJSON(comps[i], depth))
		for _, k := range children[comps[i].ID] {
			walk(k, depth+1)
		}
	}
	for _, i := range roots {
		walk(i, 0)
	}
	// Components caught in a parent cycle were never reached from a root.
	for i := range comps {
		if !visited[i] {
			walk(i, 0)
		}
	}
	return out
}

func (d *Datasource) handleSiteComponents(w http.ResponseWriter, r *http.Request) error {
	id, err := positiveID("site id", r.PathValue("id"))
	if err != nil {
		return err
	}
	comps, err := d.api.Components(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"components": componentTree(comps)})
	return nil
}

func (d *Datasource) handleComponentsByNodeID(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pattern, err := textParam(q, "nodeId")
	if err != nil {
		return err
	}
	if pattern == "" {
		return badParam("nodeId is required: a node ID, or a pattern with %% as wildcard such as %%INV%%")
	}
	limit, err := intParam(q, "limit", defaultNodeLimit, 1, maxNodeLimit)
	if err != nil {
		return err
	}
	comps, err := d.api.PartnerComponents(r.Context(), pattern, "")
	if err != nil {
		return err
	}
	out := make([]componentJSON, 0, min(len(comps), int(limit)))
	for _, c := range comps {
		if len(out) == int(limit) {
			break
		}
		out = append(out, toComponentJSON(c, 0))
	}
	writeJSON(w, http.StatusOK, map[string]any{"components": out, "total": len(comps)})
	return nil
}
