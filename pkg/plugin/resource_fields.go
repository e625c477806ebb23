package plugin

import (
	"net/http"

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

func (d *Datasource) handleDataAvailable(w http.ResponseWriter, r *http.Request) error {
	et, id, err := entityParam(r)
	if err != nil {
		return err
	}
	bfs, err := d.api.DataAvailable(r.Context(), entityKind(et), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"fields": flattenFields(bfs)})
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
