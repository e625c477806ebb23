package locus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

// Clients lists the partner's clients.
func (a *API) Clients(ctx context.Context) ([]Client, error) {
	return getList[Client](ctx, a, fmt.Sprintf("/v3/partners/%d/clients", a.cfg.PartnerID), "clients")
}

// Client fetches one client.
func (a *API) Client(ctx context.Context, id int64) (*Client, error) {
	if err := checkID("client", id); err != nil {
		return nil, err
	}
	return getEntity[Client](ctx, a, fmt.Sprintf("/v3/clients/%d", id))
}

// Sites lists the partner's sites.
func (a *API) Sites(ctx context.Context) ([]Site, error) {
	return getList[Site](ctx, a, fmt.Sprintf("/v3/partners/%d/sites", a.cfg.PartnerID), "sites")
}

// SitesOfClient lists one client's sites.
func (a *API) SitesOfClient(ctx context.Context, clientID int64) ([]Site, error) {
	if err := checkID("client", clientID); err != nil {
		return nil, err
	}
	return getList[Site](ctx, a, fmt.Sprintf("/v3/clients/%d/sites", clientID), "sites")
}

// Site fetches one site.
func (a *API) Site(ctx context.Context, id int64) (*Site, error) {
	if err := checkID("site", id); err != nil {
		return nil, err
	}
	return getEntity[Site](ctx, a, fmt.Sprintf("/v3/sites/%d", id))
}

// InstallInfo fetches a site's install information.
func (a *API) InstallInfo(ctx context.Context, siteID int64) (*InstallInfo, error) {
	if err := checkID("site", siteID); err != nil {
		return nil, err
	}
	return getObject[InstallInfo](ctx, a, fmt.Sprintf("/v3/sites/%d/installinfo", siteID))
}

// ModelSettings fetches a site's PV model settings.
func (a *API) ModelSettings(ctx context.Context, siteID int64) (*ModelSettings, error) {
	if err := checkID("site", siteID); err != nil {
		return nil, err
	}
	return getObject[ModelSettings](ctx, a, modelSettingsPath(siteID))
}

// Components lists a site's components (a tree through ParentID/ParentType).
func (a *API) Components(ctx context.Context, siteID int64) ([]Component, error) {
	if err := checkID("site", siteID); err != nil {
		return nil, err
	}
	return getList[Component](ctx, a, fmt.Sprintf("/v3/sites/%d/components", siteID), "components")
}

// ComponentsOfClient lists every component of a client's sites.
func (a *API) ComponentsOfClient(ctx context.Context, clientID int64) ([]Component, error) {
	if err := checkID("client", clientID); err != nil {
		return nil, err
	}
	return getList[Component](ctx, a, fmt.Sprintf("/v3/clients/%d/components", clientID), "components")
}

// PartnerComponents lists the partner's components, optionally filtered by
// node ID and notes; "%" in either is the API's wildcard (sent as %25).
func (a *API) PartnerComponents(ctx context.Context, nodeID, notes string) ([]Component, error) {
	var q query
	if nodeID != "" {
		q.add("nodeId", nodeID)
	}
	if notes != "" {
		q.add("notes", notes)
	}
	return getList[Component](ctx, a, fmt.Sprintf("/v3/partners/%d/components%s", a.cfg.PartnerID, q), "components")
}

// PerSiteComponentLists is the most sites whose components
// ComponentsOfSites fetches one site at a time; for more sites one partner
// component list (a single request, cached like any metadata) is cheaper
// than a request per site.
const PerSiteComponentLists = 10

// ComponentsOfSites lists the components of every site in siteIDs (the
// union, in the order of siteIDs, each site's components as Locus lists
// them). Up to PerSiteComponentLists sites it sends one
// GET /v3/sites/{id}/components per site; above that one
// GET /v3/partners/{id}/components, kept only for the sites asked. Errors are
// the first failing call's, naming its site.
func (a *API) ComponentsOfSites(ctx context.Context, siteIDs []int64) ([]Component, error) {
	for _, id := range siteIDs {
		if err := checkID("site", id); err != nil {
			return nil, err
		}
	}
	if len(siteIDs) > PerSiteComponentLists {
		all, err := a.PartnerComponents(ctx, "", "")
		if err != nil {
			return nil, err
		}
		bySite := make(map[int64][]Component, len(siteIDs))
		for _, id := range siteIDs {
			bySite[id] = nil
		}
		for _, c := range all {
			if list, ok := bySite[c.SiteID]; ok {
				bySite[c.SiteID] = append(list, c)
			}
		}
		var out []Component
		for _, id := range siteIDs {
			out = append(out, bySite[id]...)
			delete(bySite, id) // a repeated id is listed once
		}
		return out, nil
	}
	per := make([][]Component, len(siteIDs))
	g, gctx := errgroup.WithContext(ctx)
	for i, id := range siteIDs {
		g.Go(func() error {
			list, err := a.Components(gctx, id)
			if err != nil {
				return fmt.Errorf("components of site %d: %w", id, err)
			}
			per[i] = list
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	seen := make(map[int64]bool, len(siteIDs))
	var out []Component
	for i, id := range siteIDs {
		if !seen[id] {
			seen[id] = true
			out = append(out, per[i]...)
		}
	}
	return out, nil
}

// Component fetches one component.
func (a *API) Component(ctx context.Context, id int64) (*Component, error) {
	if err := checkID("component", id); err != nil {
		return nil, err
	}
	return getEntity[Component](ctx, a, fmt.Sprintf("/v3/components/%d", id))
}

// DataAvailable returns the field catalogue of a site or component: the
// fields it has data for, built from its dataavailable response (a new
// Catalog each call, the caller's to extend).
func (a *API) DataAvailable(ctx context.Context, kind EntityKind, id int64) (*Catalog, error) {
	if err := checkKind(kind); err != nil {
		return nil, err
	}
	if err := checkID(kindName(kind), id); err != nil {
		return nil, err
	}
	return catalogOf(getList[BaseField](ctx, a, fmt.Sprintf("/v3/%s/%d/dataavailable", kind, id), "baseFields"))
}

// BulkDataAvailable returns the field catalogue of partner bulk site data.
func (a *API) BulkDataAvailable(ctx context.Context) (*Catalog, error) {
	return catalogOf(getList[BaseField](ctx, a, fmt.Sprintf("/v3/partners/%d/sites/dataavailable", a.cfg.PartnerID), "baseFields"))
}

// catalogOf builds the catalogue of a dataavailable answer.
func catalogOf(bfs []BaseField, err error) (*Catalog, error) {
	if err != nil {
		return nil, err
	}
	return NewCatalog(bfs), nil
}

// getList fetches an envelope {"<key>": [...]} with the metadata lifetime.
func getList[T any](ctx context.Context, a *API, pathQuery, key string) ([]T, error) {
	return getMetadata(ctx, a, pathQuery,
		func(body []byte) ([]T, error) { return decodeList[T](body, key) },
		bodySize[[]T], slices.Clone[[]T])
}

// getObject fetches a single object with the metadata lifetime.
func getObject[T any](ctx context.Context, a *API, pathQuery string) (*T, error) {
	return getMetadata(ctx, a, pathQuery, decodeObject[T],
		bodySize[*T], func(v *T) *T { c := *v; return &c })
}

// getEntity is getObject for a client, site or component, whose answer
// always carries its id.
func getEntity[T any](ctx context.Context, a *API, pathQuery string) (*T, error) {
	return getMetadata(ctx, a, pathQuery, decodeEntity[T],
		bodySize[*T], func(v *T) *T { c := *v; return &c })
}

// decodeEntity is decodeObject for entities: a 200 whose object lacks the
// entity's "id" (an error envelope, a proxy's page) is not the entity, and
// decoding it would present id 0 downstream.
func decodeEntity[T any](body []byte) (*T, error) {
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(body, &probe); err == nil && len(probe.ID) == 0 {
		return nil, errors.New(`the JSON object has no "id"`)
	}
	return decodeObject[T](body)
}

func decodeList[T any](body []byte, key string) ([]T, error) {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, jsonProblem(err)
	}
	raw, ok := env[key]
	if !ok {
		return nil, fmt.Errorf("the JSON has no %q list", key)
	}
	var out []T
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("%q: %w", key, jsonProblem(err))
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

func decodeObject[T any](body []byte) (*T, error) {
	if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		return nil, errors.New("expected a JSON object")
	}
	var out T
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, jsonProblem(err)
	}
	return &out, nil
}

// jsonProblem shortens encoding/json errors to what a user can act on.
func jsonProblem(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Error(), "unexpected end") {
			return errors.New("the JSON ends early (truncated response)")
		}
		return fmt.Errorf("malformed JSON at byte %d: %v", se.Offset, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("field %q is a JSON %s, expected %s", te.Field, te.Value, te.Type)
	}
	return err
}

func checkID(what string, id int64) error {
	if id <= 0 {
		return badRequest(fmt.Sprintf("%s id must be a positive integer (got %s)", what, strconv.FormatInt(id, 10)))
	}
	return nil
}

func checkKind(kind EntityKind) error {
	if kind != KindSite && kind != KindComponent {
		return badRequest(fmt.Sprintf("entity kind %q is not one of %q, %q", kind, KindSite, KindComponent))
	}
	return nil
}

func kindName(kind EntityKind) string {
	if kind == KindSite {
		return "site"
	}
	return "component"
}
