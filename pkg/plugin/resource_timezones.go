package plugin

import "net/http"

// handleTimezones lists the named-zone picker's zones (query.Engine.TimeZones).
func (d *Datasource) handleTimezones(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{"timezones": d.engine.TimeZones(r.Context())})
	return nil
}
