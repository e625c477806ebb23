package plugin

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// defaultNodeLimit is how many components a node ID search returns without
// a limit parameter; limit=0 returns every match.
const defaultNodeLimit = 500

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

// handleComponents lists partner components: of the sites in siteId (one
// id or a list: the union, each site's components in tree order, sites in
// the order given), and/or whose node ID matches nodeId (% wildcard, matched
// here against the cached partner list as Locus matches it); nodeType (one
// type or a list) keeps only those types. limit (default 500 for a node ID
// search, every match for sites; 0 = all) cuts the answer, total counting
// every match.
func (d *Datasource) handleComponents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pattern, err := textParam(q, "nodeId")
	if err != nil {
		return err
	}
	sites, err := idList(q, "siteId")
	if err != nil {
		return err
	}
	if pattern == "" && sites == nil {
		return badParam("siteId or nodeId is required: site ids (1001,1002), or a node ID pattern with %% as wildcard such as %%INV%%")
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
	var out []componentJSON
	if sites != nil {
		comps, err := d.api.ComponentsOfSites(r.Context(), sites)
		if err != nil {
			return err
		}
		bySite := map[int64][]locus.Component{}
		for _, c := range comps {
			bySite[c.SiteID] = append(bySite[c.SiteID], c)
		}
		for _, id := range sites {
			out = append(out, componentTree(bySite[id])...)
		}
	} else {
		// Every node ID search is served from the partner's whole component
		// list (one upstream call, cached for the metadata lifetime), so a
		// search per keystroke costs no upstream request.
		comps, err := d.api.PartnerComponents(r.Context(), "", "")
		if err != nil {
			return err
		}
		out = make([]componentJSON, len(comps))
		for i, c := range comps {
			out[i] = toComponentJSON(c, 0)
		}
	}
	if pattern != "" {
		kept := out[:0]
		for _, c := range out {
			if nodeIDMatch(pattern, c.NodeID) {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	if want := splitTypes(types); want != nil {
		kept := out[:0]
		for _, c := range out {
			if want[strings.ToUpper(c.NodeType)] {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	total := len(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	if out == nil {
		out = []componentJSON{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"components": out, "total": total})
	return nil
}

// splitTypes parses a node type filter (one type or a comma list, {a,b}
// braces and "All" accepted) into upper-case types; nil means no filter.
func splitTypes(raw string) map[string]bool {
	var out map[string]bool
	for _, p := range strings.Split(strings.Trim(raw, "{}"), ",") {
		p = strings.ToUpper(strings.TrimSpace(p))
		if p == "" || p == "ALL" || p == "$__ALL" {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[p] = true
	}
	return out
}

// nodeIDMatch matches a node ID against a pattern where % stands for any
// run of characters, case-insensitively (the API's nodeId filter).
func nodeIDMatch(pattern, s string) bool {
	parts := strings.Split(strings.ToLower(pattern), "%")
	t := strings.ToLower(s)
	if len(parts) == 1 {
		return parts[0] == t
	}
	if !strings.HasPrefix(t, parts[0]) {
		return false
	}
	t = t[len(parts[0]):]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(t, mid)
		if i < 0 {
			return false
		}
		t = t[i+len(mid):]
	}
	return strings.HasSuffix(t, parts[len(parts)-1])
}
