package plugin

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/frames"
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

// componentEntry is one partner component prepared for search: its node
// ID lower-cased for node ID patterns, and the lower-cased text a query
// search matches (name, node ID, node type raw and in words, OEM, model, id).
type componentEntry struct {
	c         componentJSON
	nodeLower string
	hay       string
}

// componentIndex is the partner's whole component list prepared for node
// ID and text search (one upstream call per metadata lifetime).
type componentIndex = listIndex[[]componentEntry]

func newComponentIndex(ttl time.Duration, now func() time.Time) *componentIndex {
	return newListIndex(ttl, now, func(ctx context.Context, api *locus.API) ([]componentEntry, error) {
		comps, err := api.PartnerComponents(ctx, "", "")
		if err != nil {
			return nil, err
		}
		out := make([]componentEntry, len(comps))
		for i, c := range comps {
			out[i] = componentEntry{c: toComponentJSON(c, 0), nodeLower: strings.ToLower(c.NodeID), hay: componentHay(c)}
		}
		return out, nil
	})
}

// componentHay is the lower-cased text a query search matches for c.
func componentHay(c locus.Component) string {
	return strings.ToLower(strings.Join([]string{c.Name, c.NodeID, c.NodeType, humanNodeType(c.NodeType), c.OEM, c.Model,
		strconv.FormatInt(c.ID, 10)}, "\x00"))
}

// handleComponents lists partner components: of the sites in siteId (one
// id or a list: the union, each site's components in tree order, sites in
// the order given), and/or whose node ID matches nodeId (% wildcard, matched
// here against the cached partner list as Locus matches it), and/or whose
// name, node ID, node type (also in words, "Weather station"), OEM, model,
// id or site name contain every word of query ("Inverter", "Garage 9 inv").
// nodeType (one type or a list) keeps only those types. limit (default 500
// for a partner-wide search, every match for sites; 0 = all) cuts the
// answer, total counting every match. Results of a partner-wide query
// search are ordered by site name, then name (natural order); every result
// of a query search carries its site's name (siteName).
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
	words := strings.Fields(strings.ToLower(text))
	// Site names for a query search come from the cached site index.
	var siteList siteList
	if len(words) > 0 {
		if siteList, err = d.sites.load(r.Context(), d.api); err != nil {
			return err
		}
	}
	siteName := func(id int64) (name, lower string) {
		if i, ok := siteList.byID[id]; ok {
			return siteList.entries[i].site.Name, siteList.entries[i].nameLower
		}
		return "", ""
	}
	// A partner-wide query search is sorted before the limit cuts it.
	sorted := len(words) > 0 && sites == nil
	// keep filters by node ID, type and query words, counting every match
	// and keeping the first limit (0 = all).
	parts := strings.Split(strings.ToLower(pattern), "%")
	want := splitTypes(types)
	out := []componentJSON{}
	total := 0
	keep := func(c *componentJSON, nodeLower, hay string) {
		if pattern != "" && !likeParts(parts, nodeLower) || want != nil && !want[strings.ToUpper(c.NodeType)] {
			return
		}
		var name string
		if len(words) > 0 {
			var nameLower string
			name, nameLower = siteName(c.SiteID)
			for _, w := range words {
				if !strings.Contains(hay, w) && !strings.Contains(nameLower, w) {
					return
				}
			}
		}
		total++
		if sorted || limit == 0 || len(out) < limit {
			cj := *c
			cj.SiteName = name
			out = append(out, cj)
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
			hays := map[int64]string{}
			if len(words) > 0 {
				for _, c := range bySite[id] {
					hays[c.ID] = componentHay(c)
				}
			}
			for i := range tree {
				keep(&tree[i], tree[i].NodeID, hays[tree[i].ID])
			}
		}
	} else {
		// Every partner-wide search is served from the partner's whole
		// component list (one upstream call, cached for the metadata
		// lifetime), so a search per keystroke costs no upstream request.
		index, err := d.components.load(r.Context(), d.api)
		if err != nil {
			return err
		}
		for i := range index {
			keep(&index[i].c, index[i].nodeLower, index[i].hay)
		}
	}
	if sorted {
		slices.SortStableFunc(out, func(a, b componentJSON) int {
			return cmp.Or(frames.NaturalCompare(a.SiteName, b.SiteName), cmp.Compare(a.SiteID, b.SiteID),
				frames.NaturalCompare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
		})
		if limit > 0 && len(out) > limit {
			out = out[:limit]
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"components": out, "total": total})
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
	if list, err := d.sites.load(r.Context(), d.api); err == nil {
		if i, ok := list.byID[c.SiteID]; ok {
			cj.SiteName = list.entries[i].site.Name
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
