package plugin

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sunfleet/locus-datasource/pkg/frames"
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
	// SiteName is set by the partner-wide searches, where components of
	// many sites share names ("Inverter 1").
	SiteName string `json:"siteName,omitempty"`
}

func toComponentJSON(c locus.Component, depth int) componentJSON {
	return componentJSON{ID: c.ID, Name: c.Name, SiteID: c.SiteID, NodeID: c.NodeID, NodeType: c.NodeType,
		OEM: c.OEM, Model: c.Model, ParentID: c.ParentID, ParentType: c.ParentType, Depth: depth,
		IsConceptualNode: c.IsConceptualNode}
}

// componentTree orders a site's components depth-first, each parent followed
// by its children (siblings by name in natural order, then id). A component whose parent
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
		return cmp.Or(frames.NaturalCompare(comps[a].Name, comps[b].Name), cmp.Compare(comps[a].ID, comps[b].ID))
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

// handleComponents searches the partner's components: nodeId=<pattern> asks
// Locus for node IDs matching the pattern (%% is the wildcard); query=<text>
// matches every word of text against name, node ID, node type, OEM, model,
// id and site name, so "Inverter" or "Garage 9 inv" find components by name
// partner-wide. Answers {components (at most limit), total}; components of a
// text search are ordered by site, then name (natural order), and carry
// their site's name.
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
	if pattern == "" && text == "" {
		return badParam("nodeId or query is required: a node ID pattern with %% as wildcard such as %%INV%%, or words of a component's name, node type, OEM, model or site")
	}
	limit, err := intParam(q, "limit", defaultNodeLimit, 1, maxNodeLimit)
	if err != nil {
		return err
	}
	comps, err := d.api.PartnerComponents(r.Context(), pattern, "")
	if err != nil {
		return err
	}
	if text == "" {
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
	entries, byID, err := d.sites.load(r.Context(), d.api)
	if err != nil {
		return err
	}
	siteName := func(id int64) string {
		if i, ok := byID[id]; ok {
			return entries[i].site.Name
		}
		return ""
	}
	words := strings.Fields(strings.ToLower(text))
	var matched []componentJSON
	for _, c := range comps {
		cj := toComponentJSON(c, 0)
		cj.SiteName = siteName(c.SiteID)
		hay := strings.ToLower(strings.Join([]string{c.Name, c.NodeID, c.NodeType, humanNodeType(c.NodeType), c.OEM, c.Model,
			strconv.FormatInt(c.ID, 10), cj.SiteName}, "\x00"))
		if matchesAll(hay, words) {
			matched = append(matched, cj)
		}
	}
	slices.SortStableFunc(matched, func(a, b componentJSON) int {
		return cmp.Or(frames.NaturalCompare(a.SiteName, b.SiteName), cmp.Compare(a.SiteID, b.SiteID),
			frames.NaturalCompare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	writeJSON(w, http.StatusOK, map[string]any{"components": matched[:min(len(matched), int(limit))], "total": len(matched)})
	return nil
}

// handleComponent answers one component with its site's name, so an editor
// can name a component it only has the id of.
func (d *Datasource) handleComponent(w http.ResponseWriter, r *http.Request) error {
	id, err := positiveID("component id", r.PathValue("id"))
	if err != nil {
		return err
	}
	c, err := d.api.Component(r.Context(), id)
	if err != nil {
		return err
	}
	cj := toComponentJSON(*c, 0)
	if entries, byID, err := d.sites.load(r.Context(), d.api); err == nil {
		if i, ok := byID[c.SiteID]; ok {
			cj.SiteName = entries[i].site.Name
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"component": cj})
	return nil
}

// humanNodeType words a Locus node type for people: WEATHERSTATION ->
// "Weather station", INVERTER -> "Inverter" (the editors show the same words).
func humanNodeType(t string) string {
	if strings.EqualFold(t, "WEATHERSTATION") {
		return "Weather station"
	}
	t = strings.ReplaceAll(strings.TrimSpace(t), "_", " ")
	if t == "" {
		return ""
	}
	return strings.ToUpper(t[:1]) + strings.ToLower(t[1:])
}
