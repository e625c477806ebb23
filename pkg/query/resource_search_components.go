package query

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// ComponentSummary is a component as the editors' component pickers show
// it (the /components resources); Depth is its level in the site's tree (0
// = directly under the site).
type ComponentSummary struct {
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

func componentSummaryOf(c locus.Component, depth int) ComponentSummary {
	return ComponentSummary{ID: c.ID, Name: c.Name, SiteID: c.SiteID, NodeID: c.NodeID, NodeType: c.NodeType,
		OEM: c.OEM, Model: c.Model, ParentID: c.ParentID, ParentType: c.ParentType, Depth: depth,
		IsConceptualNode: c.IsConceptualNode}
}

// componentTree orders a site's components depth-first, each parent followed
// by its children (siblings by name in natural order, then id). A component whose parent
// component is missing, or that sits in a parent cycle, is shown as a root so
// that nothing Locus lists is ever hidden.
func componentTree(comps []locus.Component) []ComponentSummary {
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
	out := make([]ComponentSummary, 0, len(comps))
	visited := make([]bool, len(comps))
	var walk func(i, depth int)
	walk = func(i, depth int) {
		if visited[i] {
			return
		}
		visited[i] = true
		out = append(out, componentSummaryOf(comps[i], depth))
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

// SiteComponents lists a site's components in tree order (componentTree).
func (e *Engine) SiteComponents(ctx context.Context, siteID int64) ([]ComponentSummary, error) {
	comps, err := e.api.Components(ctx, siteID)
	if err != nil {
		return nil, err
	}
	return componentTree(comps), nil
}

// componentEntry is one partner component prepared for search: its node
// ID lower-cased for node ID patterns, and the lower-cased text a query
// search matches (name, node ID, node type raw and in words, OEM, model, id).
type componentEntry struct {
	c         ComponentSummary
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
			out[i] = componentEntry{c: componentSummaryOf(c, 0), nodeLower: strings.ToLower(c.NodeID), hay: componentHay(c)}
		}
		return out, nil
	})
}

// componentHay is the lower-cased text a query search matches for c.
func componentHay(c locus.Component) string {
	return strings.ToLower(strings.Join([]string{c.Name, c.NodeID, c.NodeType, humanNodeType(c.NodeType), c.OEM, c.Model,
		strconv.FormatInt(c.ID, 10)}, "\x00"))
}

// ComponentSearch is what SearchComponents looks for; at least one of
// Sites, NodeID and Query is set.
type ComponentSearch struct {
	// Sites are site ids whose components are searched (the union, each
	// site's components in tree order, sites in the order given); nil
	// searches the partner's whole component list.
	Sites []int64
	// NodeID is a node ID pattern with % as wildcard (matched as Locus
	// matches it, case-insensitively); empty matches every node ID.
	NodeID string
	// Query are words a component's name, node ID, node type (also in
	// words, "Weather station"), OEM, model, id or site name must all contain.
	Query string
	// NodeTypes keeps only these node types (one type or a comma list,
	// {a,b} braces and "All" accepted); empty keeps every type.
	NodeTypes string
	// Limit cuts the answer (0: every match).
	Limit int
}

// SearchComponents lists partner components matching s, and the number of
// matches before s.Limit. Results of a partner-wide Query search are
// ordered by site name, then name (natural order); every result of a Query
// search carries its site's name (SiteName). A partner-wide search is
// served from the partner's whole component list (one upstream call, cached
// for the metadata lifetime), so a search per keystroke costs no upstream
// request; site names come from the cached site list.
func (e *Engine) SearchComponents(ctx context.Context, s ComponentSearch) ([]ComponentSummary, int, error) {
	pattern, text, sites, types, limit := s.NodeID, s.Query, s.Sites, s.NodeTypes, s.Limit
	words := strings.Fields(strings.ToLower(text))
	// Site names for a query search come from the cached site index.
	var siteList siteList
	if len(words) > 0 {
		var err error
		if siteList, err = e.sites.load(ctx, e.api); err != nil {
			return nil, 0, err
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
	out := []ComponentSummary{}
	total := 0
	keep := func(c *ComponentSummary, nodeLower, hay string) {
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
		comps, err := e.api.ComponentsOfSites(ctx, sites)
		if err != nil {
			return nil, 0, err
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
		index, err := e.components.load(ctx, e.api)
		if err != nil {
			return nil, 0, err
		}
		for i := range index {
			keep(&index[i].c, index[i].nodeLower, index[i].hay)
		}
	}
	if sorted {
		slices.SortStableFunc(out, func(a, b ComponentSummary) int {
			return cmp.Or(frames.NaturalCompare(a.SiteName, b.SiteName), cmp.Compare(a.SiteID, b.SiteID),
				frames.NaturalCompare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
		})
		if limit > 0 && len(out) > limit {
			out = out[:limit]
		}
	}
	return out, total, nil
}

// ComponentSummary returns one component, named with its site (SiteName,
// from the cached site list; empty when that list cannot be had), so an
// editor can name a component it only has the id of.
func (e *Engine) ComponentSummary(ctx context.Context, id int64) (ComponentSummary, error) {
	c, err := e.api.Component(ctx, id)
	if err != nil {
		return ComponentSummary{}, err
	}
	cj := componentSummaryOf(*c, 0)
	if list, err := e.sites.load(ctx, e.api); err == nil {
		if i, ok := list.byID[c.SiteID]; ok {
			cj.SiteName = list.entries[i].site.Name
		}
	}
	return cj, nil
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
