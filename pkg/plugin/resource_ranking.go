package plugin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Bounds of the worst-sites limit.
const (
	defaultWorstSites = 10
	maxWorstSites     = 1000
)

// worstSiteJSON is one site of a worst-sites answer.
type worstSiteJSON struct {
	ID               int64   `json:"id"`
	Name             string  `json:"name"`
	PerformanceIndex float64 `json:"performanceIndex"`
}

// handleWorstSites answers the "worst sites" template variable: the sites
// of the fleet ranking over [from, to), worst performance index first, at
// most limit. The ranking is the engine's ranking query (the same requests,
// cache and rules as the Fleet performance dashboard's ranking panel; this
// handler ranks nothing itself). Only sites with a performance index over
// the range are listed (one without data cannot be called worst).
//
// Parameters: from, to (epoch ms, required); limit (1 to 1000, default
// 10); clientId and siteId (optional id lists, as the ranking query's).
// Answer: {"sites": [{"id", "name", "performanceIndex"}], "total": the
// sites with a performance index (more than listed when the limit cut the
// list), "ranked": the sites in scope, "notices": the ranking's notices}.
func (d *Datasource) handleWorstSites(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from, err := msParam(q.Get("from"), "from")
	if err != nil {
		return err
	}
	to, err := msParam(q.Get("to"), "to")
	if err != nil {
		return err
	}
	if !from.Before(to) {
		return badParam("from (%d) must be before to (%d)", from.UnixMilli(), to.UnixMilli())
	}
	limit := defaultWorstSites
	if raw := strings.TrimSpace(q.Get("limit")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxWorstSites {
			return badParam("limit must be a whole number of sites from 1 to %d, got %s", maxWorstSites, quoteParam(raw))
		}
		limit = n
	}
	model := map[string]any{"queryType": "ranking"}
	for _, name := range []string{"clientId", "siteId"} {
		if _, err := optionalIDSet(q, name); err != nil {
			return err
		}
		if v := strings.Trim(strings.TrimSpace(q.Get(name)), "{}"); v != "" {
			model[name] = v
		}
	}
	js, _ := json.Marshal(model)
	resp, _ := d.engine.QueryData(r.Context(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "worst", JSON: js, TimeRange: backend.TimeRange{From: from, To: to}},
	}})
	res := resp.Responses["worst"]
	if res.Error != nil {
		if res.Status == backend.StatusBadRequest {
			return badParam("%s", res.Error.Error())
		}
		return res.Error
	}
	if len(res.Frames) != 1 {
		return fmt.Errorf("the ranking returned %d frames, want 1", len(res.Frames))
	}
	f := res.Frames[0]
	ids, names, pis := fieldOf(f, "site_id"), fieldOf(f, "site"), fieldOf(f, "performanceIndex")
	if ids == nil || names == nil || pis == nil {
		return fmt.Errorf("the ranking frame lacks site_id, site or performanceIndex")
	}
	sites := []worstSiteJSON{}
	total := 0
	for i := range ids.Len() {
		pi, _ := pis.At(i).(*float64)
		if pi == nil {
			continue // rows without PI come last in the ranking
		}
		total++
		if len(sites) < limit {
			id, _ := ids.At(i).(int64)
			name, _ := names.At(i).(string)
			sites = append(sites, worstSiteJSON{ID: id, Name: name, PerformanceIndex: *pi})
		}
	}
	notices := []string{}
	if f.Meta != nil {
		for _, n := range f.Meta.Notices {
			notices = append(notices, n.Text)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sites": sites, "total": total, "ranked": ids.Len(), "notices": notices})
	return nil
}

// fieldOf is the frame's field of that name, nil when it has none.
func fieldOf(f *data.Frame, name string) *data.Field {
	fl, idx := f.FieldByName(name)
	if idx < 0 {
		return nil
	}
	return fl
}
