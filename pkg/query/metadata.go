package query

import (
	"context"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// handleMetadata serves a metadata table (also the backing of template
// variables): clients, sites, components, install info, model settings or
// the field catalogue.
func handleMetadata(ctx context.Context, e *Engine, r *request, q *metadataQuery) (backend.DataResponse, error) {
	ctx, cs := locus.WithCallStats(ctx)
	var m metaInfo
	var f *data.Frame
	var err error
	switch q.Kind {
	case MetaClients:
		var list []locus.Client
		if list, err = e.api.Clients(ctx); err == nil {
			f = frames.Clients(list)
		}
	case MetaSites:
		f, err = e.metaSites(ctx, q)
	case MetaComponents:
		f, err = e.metaComponents(ctx, q, &m)
	case MetaInstallInfo:
		var info *locus.InstallInfo
		if info, err = e.api.InstallInfo(ctx, q.siteID); err == nil {
			f = frames.InstallInfo(q.siteID, *info)
		}
	case MetaModelSettings:
		var ms *locus.ModelSettings
		if ms, err = e.api.ModelSettings(ctx, q.siteID); err == nil {
			f = frames.ModelSettings(q.siteID, *ms)
		}
	case MetaFields:
		f, err = e.metaFields(ctx, q)
	default:
		err = badInput("kind %q is unknown: valid values are %s", q.Kind, quoteList(metadataKinds))
	}
	if err != nil {
		return backend.DataResponse{}, fmt.Errorf("%s: %w", q.Kind, err)
	}
	m.addCalls(cs)
	fs := data.Frames{f}
	m.apply(fs, r.RefID)
	return backend.DataResponse{Frames: fs}, nil
}

// metaSites lists the partner's sites, or those of the clients named.
func (e *Engine) metaSites(ctx context.Context, q *metadataQuery) (*data.Frame, error) {
	list, err := e.sitesOfClients(ctx, q.clients)
	if err != nil {
		return nil, err
	}
	return frames.Sites(list), nil
}

// sitesOfClients filters the partner's cached site list by a clientId
// filter (parseIDFilter; nil keeps every site): one request serves every
// client, the engine's site lookups and the editors' site search.
func (e *Engine) sitesOfClients(ctx context.Context, clients map[int64]bool) ([]locus.Site, error) {
	list, err := e.api.Sites(ctx)
	if err != nil || clients == nil {
		return list, err
	}
	kept := make([]locus.Site, 0, len(list))
	for _, s := range list {
		if clients[s.ClientID] {
			kept = append(kept, s)
		}
	}
	return kept, nil
}

// metaComponents lists the components of one or more sites (the union;
// above locus.PerSiteComponentLists sites from one partner-level call) or of
// a client, optionally only some node types.
// Sites of the scope without any (matching) component are each a row that
// says so (frames.NoComponents) and are named in a warning notice, so that
// none is missing silently.
func (e *Engine) metaComponents(ctx context.Context, q *metadataQuery, m *metaInfo) (*data.Frame, error) {
	siteIDs := q.siteIDs
	var list []locus.Component
	var err error
	if siteIDs != nil {
		list, err = e.api.ComponentsOfSites(ctx, siteIDs)
	} else {
		list, err = e.api.ComponentsOfClient(ctx, q.clientID)
	}
	if err != nil {
		return nil, err
	}
	if types := splitList(q.NodeType); len(types) > 0 {
		kept := list[:0:0]
		for _, c := range list {
			if containsFold(types, c.NodeType) {
				kept = append(kept, c)
			}
		}
		list = kept
	}
	var bare []int64
	note := frames.NoComponents
	if q.NodeType != "" {
		note = frames.NoComponentsOfType(q.NodeType)
	}
	if siteIDs != nil {
		has := make(map[int64]bool, len(siteIDs))
		for _, c := range list {
			has[c.SiteID] = true
		}
		var empty []string
		for _, id := range siteIDs {
			if !has[id] {
				has[id] = true // a site listed twice is one row
				bare = append(bare, id)
				empty = append(empty, fmt.Sprint(id))
			}
		}
		if len(empty) > 0 {
			shown := empty[:min(len(empty), 20)]
			more := ""
			if len(empty) > len(shown) {
				more = fmt.Sprintf(" and %d more", len(empty)-len(shown))
			}
			what := "components"
			if q.NodeType != "" {
				what = "components of node type " + q.NodeType
			}
			m.warn("%d of %d sites have no %s: %s%s", len(empty), len(siteIDs), what, strings.Join(shown, ", "), more)
		}
	}
	return frames.Components(list, bare, note), nil
}

// metaFields is the dataavailable catalogue of a component, a site, or
// (neither given) the partner's bulk fields.
func (e *Engine) metaFields(ctx context.Context, q *metadataQuery) (*data.Frame, error) {
	comp, site := q.componentID, q.siteID
	var cat *locus.Catalog
	var err error
	switch {
	case comp > 0:
		cat, err = e.api.DataAvailable(ctx, locus.KindComponent, comp)
	case site > 0:
		cat, err = e.api.DataAvailable(ctx, locus.KindSite, site)
	default:
		cat, err = e.api.BulkDataAvailable(ctx)
	}
	if err != nil {
		return nil, err
	}
	return frames.Fields(cat), nil
}
