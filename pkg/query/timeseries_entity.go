package query

import (
	"context"
	"fmt"

	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// entity is what the engine knows about one site or component it queries.
type entity struct {
	Kind  locus.EntityKind
	ID    int64
	Names frames.EntityNames
	// SiteZone is the site's locationTimezone ("" when Locus has none).
	SiteZone string
}

// label names the entity in messages: `site 123 "Name"`.
func (en entity) label() string {
	if en.Kind == locus.KindComponent {
		return fmt.Sprintf("component %d %q (site %q)", en.ID, en.Names.ComponentName, en.Names.SiteName)
	}
	return fmt.Sprintf("site %d %q", en.ID, en.Names.SiteName)
}

// lookupEntity loads a site, or a component and its site (for names and the
// zone). Both calls are cached metadata in the client. siteHint, when not
// 0, is the site the query says the component belongs to.
func (e *Engine) lookupEntity(ctx context.Context, kind locus.EntityKind, id, siteHint int64) (entity, error) {
	en := entity{Kind: kind, ID: id}
	siteID := id
	if kind == locus.KindComponent {
		c, err := e.component(ctx, id, siteHint)
		if err != nil {
			return en, fmt.Errorf("component %d: %w", id, err)
		}
		en.Names.ComponentID = c.ID
		en.Names.ComponentName = c.Name
		siteID = c.SiteID
	}
	s, err := e.site(ctx, siteID)
	if err != nil {
		return en, fmt.Errorf("site %d: %w", siteID, err)
	}
	en.Names.SiteID = s.ID
	en.Names.SiteName = s.Name
	en.SiteZone = s.LocationTimezone
	return en, nil
}

// site finds a site in the partner's cached site list (one request serves
// every site of a dashboard, and the editors' site search shares it); a site
// not in the list is asked for directly, so Locus answers 403 or 404.
func (e *Engine) site(ctx context.Context, id int64) (*locus.Site, error) {
	list, err := e.api.Sites(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return e.api.Site(ctx, id)
}

// component finds a component through a list call, never one by one: its
// site's component list when the query names the site (the editors and the
// $component variable load that list already), else the partner's
// component list, which one request serves for every component of every
// panel. Both are cached metadata (served stale while refreshed in the
// background). Only a component in neither list (added since the list was
// fetched, or not the partner's) is asked for directly, so Locus answers
// it, or says 403 or 404.
func (e *Engine) component(ctx context.Context, id, siteHint int64) (*locus.Component, error) {
	if siteHint > 0 {
		if c := findComponent(e.api.Components(ctx, siteHint))(id); c != nil {
			return c, nil
		}
	}
	if c := findComponent(e.api.PartnerComponents(ctx, "", ""))(id); c != nil {
		return c, nil
	}
	return e.api.Component(ctx, id)
}

// findComponent returns a lookup by id in a component list (nothing when
// the list failed: the direct call then reports the problem).
func findComponent(list []locus.Component, err error) func(int64) *locus.Component {
	return func(id int64) *locus.Component {
		if err != nil {
			return nil
		}
		for i := range list {
			if list[i].ID == id {
				return &list[i]
			}
		}
		return nil
	}
}
