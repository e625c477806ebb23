package plugin

import (
	"fmt"
	"net/http"

	"golang.org/x/sync/errgroup"

	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// fieldJSON is one dataavailable shortName, flattened for the field picker.
type fieldJSON struct {
	ShortName       string                 `json:"shortName"`
	BaseField       string                 `json:"baseField"`
	LongName        string                 `json:"longName"`
	Source          string                 `json:"source"`
	Unit            string                 `json:"unit"`
	GrafanaUnit     string                 `json:"grafanaUnit"`
	Aggregation     string                 `json:"aggregation"`
	Granularities   []string               `json:"granularities"`
	FieldParameters []locus.FieldParameter `json:"fieldParameters"`
}

// flattenFields lists one entry per shortName, in the order Locus sent them.
func flattenFields(bfs []locus.BaseField) []fieldJSON {
	out := make([]fieldJSON, 0, len(bfs)*2)
	for _, bf := range bfs {
		grans := bf.Granularities
		if grans == nil {
			grans = []string{}
		}
		params := bf.FieldParameters
		if params == nil {
			params = []locus.FieldParameter{}
		}
		for _, a := range bf.Aggregations {
			out = append(out, fieldJSON{
				ShortName: a.ShortName, BaseField: bf.BaseField, LongName: bf.LongName, Source: bf.Source,
				Unit: bf.Unit, GrafanaUnit: frames.GrafanaUnit(bf.Unit), Aggregation: a.Aggregation,
				Granularities: grans, FieldParameters: params,
			})
		}
	}
	return out
}

func entityKind(entityType string) locus.EntityKind {
	if entityType == "component" {
		return locus.KindComponent
	}
	return locus.KindSite
}

// handleDataAvailable lists the fields of a site or component; id may be a
// list (a multi-value variable), answered with the union of the entities'
// fields (each shortName once, in first-seen order). "read" and "ids" tell
// how many of the ids were read; "warning" says when the list was cut.
// At most the data source setting maxFieldUnionEntities (Settings.MaxFieldUnion)
// entities are read, one upstream request each: a list of more ids (an All
// variable over a fleet) answers the union of the first ones with a warning
// naming the setting.
func (d *Datasource) handleDataAvailable(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	et, err := entityTypeParam(q)
	if err != nil {
		return err
	}
	ids, err := idList(q, "id")
	if err != nil {
		return err
	}
	if ids == nil {
		return badParam("id is required: a positive integer id, or a list of them")
	}
	read := ids[:min(len(ids), d.settings.MaxFieldUnion)]
	per := make([][]locus.BaseField, len(read))
	g, ctx := errgroup.WithContext(r.Context())
	for i, id := range read {
		g.Go(func() error {
			bfs, err := d.api.DataAvailable(ctx, entityKind(et), id)
			per[i] = bfs
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	var out []fieldJSON
	seen := map[string]bool{}
	for _, bfs := range per {
		for _, f := range flattenFields(bfs) {
			if !seen[f.ShortName] {
				seen[f.ShortName] = true
				out = append(out, f)
			}
		}
	}
	if out == nil {
		out = []fieldJSON{}
	}
	body := map[string]any{"fields": out, "ids": len(ids), "read": len(read)}
	if len(read) < len(ids) {
		body["warning"] = fmt.Sprintf("fields of the first %d of %d %ss only (one request each; data source setting maxFieldUnionEntities): choose fewer, or raise the setting", len(read), len(ids), et)
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (d *Datasource) handleBulkDataAvailable(w http.ResponseWriter, r *http.Request) error {
	bfs, err := d.api.BulkDataAvailable(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"fields": flattenFields(bfs)})
	return nil
}
