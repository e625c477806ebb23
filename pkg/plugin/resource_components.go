package plugin

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

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

// componentEntry is one partner component prepared for node ID search.
type componentEntry struct {
	c         componentJSON
	nodeLower string
}

// componentIndex is the partner's whole component list prepared for node
// ID search (one upstream call per metadata lifetime).
type componentIndex = listIndex[[]componentEntry]

func newComponentIndex(ttl time.Duration, now func() time.Time) *componentIndex {
	return newListIndex(ttl, now, func(ctx context.Context, api *locus.API) ([]componentEntry, error) {
		comps, err := api.PartnerComponents(ctx, "", "")
		if err != nil {
			return nil, err
		}
		out := make([]componentEntry, len(comps))
		for i, c := range comps {
			out[i] = componentEntry{c: toComponentJSON(c, 0), nodeLower: strings.ToLower(c.NodeID)}
		}
		return out, nil
	})
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
	// keep filters by node ID and type, counting every match and keeping
	// the first limit (0 = all).
	parts := strings.Split(strings.ToLower(pattern), "%")
	want := splitTypes(types)
	out := []componentJSON{}
	total := 0
	keep := func(c *componentJSON, nodeLower string) {
		if pattern != "" && !likeParts(parts, nodeLower) || want != nil && !want[strings.ToUpper(c.NodeType)] {
			return
		}
		total++
		if limit == 0 || len(out) < limit {
			out = append(out, *c)
		}
	}
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
			tree := componentTree(bySite[id])
			for i := range tree {
				keep(&tree[i], tree[i].NodeID)
			}
		}
	} else {
		// Every node ID search is served from the partner's whole component
		// list (one upstream call, cached for the metadata lifetime), so a
		// search per keystroke costs no upstream request.
		index, err := d.components.load(r.Context(), d.api)
		if err != nil {
			return err
		}
		for i := range index {
			keep(&index[i].c, index[i].nodeLower)
		}
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

// likeParts matches s against a lower-cased pattern split at its %
// wildcards (% stands for any run of characters), case-insensitively as the
// API's nodeId filter, without allocating for lower-case node IDs.
func likeParts(parts []string, s string) bool {
	t := s
	if hasUpper(t) {
		t = strings.ToLower(t)
	}
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

// hasUpper reports whether s has a character strings.ToLower would change.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' || c >= 0x80 {
			return true
		}
	}
	return false
}
