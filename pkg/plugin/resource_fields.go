package plugin

import (
	"net/http"

	"github.com/sunfleet/locus-datasource/pkg/query"
)

// handleDataAvailable lists the fields of a site or component; id may be a
// list (a multi-value variable), answered with the union of the entities'
// fields (each shortName once, in first-seen order). "read" and "ids" tell
// how many of the ids were read; "warning" says when the list was cut.
// At most the data source setting maxFieldUnionEntities (Settings.MaxFieldUnion)
// entities are read, one upstream request each: a list of more ids (an All
// variable over a fleet) answers the union of the first ones with a warning
// naming the setting (query.Engine.FieldsOf).
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
	union, err := d.engine.FieldsOf(r.Context(), query.EntityType(et), ids, d.settings.MaxFieldUnion)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, union)
	return nil
}
