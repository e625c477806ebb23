package query

import (
	"context"
	"fmt"

	"github.com/sunfleet/locus-datasource/pkg/fanout"
	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// CatalogField is one field of a field catalogue as the editor's field
// picker reads it (the /dataavailable resources): the catalogue's entry and
// its Grafana unit id (frames.GrafanaUnit, the one unit mapping).
type CatalogField struct {
	locus.Field
	GrafanaUnit string `json:"grafanaUnit"`
}

// catalogFields lists cat's fields in order, each with its Grafana unit;
// never nil.
func catalogFields(cat *locus.Catalog) []CatalogField {
	out := make([]CatalogField, 0, cat.Len())
	for _, f := range cat.Fields() {
		out = append(out, CatalogField{Field: f, GrafanaUnit: frames.GrafanaUnit(f.Unit)})
	}
	return out
}

// FieldUnion is the union of the field catalogues of several sites or
// components: each shortName once, in first-seen order (the ids' order,
// then Locus' order). IDs is how many ids were asked for, Read how many
// were read; Warning says when the list was cut.
type FieldUnion struct {
	Fields  []CatalogField `json:"fields"`
	IDs     int            `json:"ids"`
	Read    int            `json:"read"`
	Warning string         `json:"warning,omitempty"`
}

// FieldsOf returns the union of the field catalogues of the sites or
// components ids (entityType EntitySite or EntityComponent), reading at
// most maxEntities of them (the data source setting maxFieldUnionEntities),
// one dataavailable request each, at most Engine.fanOut at a time: more ids
// answer the union of the first maxEntities with a warning naming the
// setting. The first failing request's error is returned (and cancels the
// others).
func (e *Engine) FieldsOf(ctx context.Context, entityType EntityType, ids []int64, maxEntities int) (FieldUnion, error) {
	kind := locus.KindSite
	if entityType == EntityComponent {
		kind = locus.KindComponent
	}
	read := ids[:min(len(ids), max(maxEntities, 0))]
	per := make([]*locus.Catalog, len(read))
	_, err := e.each(ctx, len(read), fanout.Options{Limit: e.fanOut()},
		func(i int) string { return fmt.Sprintf("reading the fields of %s %d", entityType, read[i]) },
		func(ctx context.Context, i int) (err error) {
			per[i], err = e.api.DataAvailable(ctx, kind, read[i])
			return err
		})
	if err != nil {
		return FieldUnion{}, err
	}
	union := &locus.Catalog{}
	for _, cat := range per {
		union.Merge(cat)
	}
	out := FieldUnion{Fields: catalogFields(union), IDs: len(ids), Read: len(read)}
	if len(read) < len(ids) {
		out.Warning = fmt.Sprintf("fields of the first %d of %d %ss only (one request each; data source setting maxFieldUnionEntities): choose fewer, or raise the setting", len(read), len(ids), entityType)
	}
	return out, nil
}

// BulkFields returns the field catalogue of the partner's bulk site data.
func (e *Engine) BulkFields(ctx context.Context) ([]CatalogField, error) {
	cat, err := e.api.BulkDataAvailable(ctx)
	if err != nil {
		return nil, err
	}
	return catalogFields(cat), nil
}
