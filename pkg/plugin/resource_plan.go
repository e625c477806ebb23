package plugin

import (
	"context"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// Bounds of the plan parameters (the same the query engine accepts).
const (
	defaultPlanMaxDataPoints = 1000
	maxPlanMaxDataPoints     = 1_000_000
	maxPlanFields            = 50
)

// planJSON is what Auto resolves to for the editor's hint.
type planJSON struct {
	Granularity string   `json:"granularity"`
	Reason      string   `json:"reason"`
	Chunks      int      `json:"chunks"`
	Offered     []string `json:"offered"`
	TimeZone    string   `json:"timeZone"`
}

// planRequest is the validated /plan query string.
type planRequest struct {
	entityType    string
	id            int64
	fields        []string
	from, to      time.Time
	interval      time.Duration
	maxDataPoints int64
	granularity   string
	timeZone      string
}

func parsePlanRequest(r *http.Request) (planRequest, error) {
	var p planRequest
	var err error
	if p.entityType, p.id, err = entityParam(r); err != nil {
		return p, err
	}
	q := r.URL.Query()
	for _, f := range strings.Split(q.Get("fields"), ",") {
		if f = strings.TrimSpace(f); f != "" {
			p.fields = append(p.fields, f)
		}
	}
	if len(p.fields) == 0 {
		return p, badParam("fields is required: a comma-separated list of dataavailable shortNames such as W_avg,Wh_sum")
	}
	if len(p.fields) > maxPlanFields {
		return p, badParam("fields lists %d fields: use at most %d", len(p.fields), maxPlanFields)
	}
	if p.from, err = msParam(q.Get("from"), "from"); err != nil {
		return p, err
	}
	if p.to, err = msParam(q.Get("to"), "to"); err != nil {
		return p, err
	}
	if !p.from.Before(p.to) {
		return p, badParam("from (%s) must be before to (%s)", p.from.UTC().Format(time.RFC3339), p.to.UTC().Format(time.RFC3339))
	}
	intervalMs, err := msNumber(q.Get("intervalMs"), "intervalMs", 0, 10*365*24*3600*1000)
	if err != nil {
		return p, err
	}
	p.interval = time.Duration(intervalMs) * time.Millisecond
	if p.maxDataPoints, err = intParam(q, "maxDataPoints", defaultPlanMaxDataPoints, 1, maxPlanMaxDataPoints); err != nil {
		return p, err
	}
	p.granularity = strings.ToLower(strings.TrimSpace(q.Get("granularity")))
	if p.granularity == "" {
		p.granularity = "auto"
	}
	if p.granularity != "auto" {
		if _, err := planner.ParseGranularity(p.granularity); err != nil {
			return p, badParam("granularity: %s", err.Error())
		}
	}
	p.timeZone, err = textParam(q, "timeZone")
	return p, err
}

// msParam parses epoch milliseconds (Grafana's range.from.valueOf()).
func msParam(raw, name string) (time.Time, error) {
	if strings.TrimSpace(raw) == "" {
		return time.Time{}, badParam("%s is required: epoch milliseconds", name)
	}
	// Years 1970 to 2200 cover every plausible panel range.
	ms, err := msNumber(raw, name, 0, 7_258_118_400_000)
	if err != nil {
		return time.Time{}, badParam("%s must be epoch milliseconds between 1970 and 2200, got %s", name, quoteParam(raw))
	}
	return time.UnixMilli(ms), nil
}

// msNumber parses a millisecond count within [lo, hi], rounding a fraction
// (browsers may send 1666.6666); empty means 0.
func msNumber(raw, name string, lo, hi int64) (int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(f) || f < float64(lo) || f > float64(hi) {
		return 0, badParam("%s must be a number of milliseconds from %d to %d, got %s", name, lo, hi, quoteParam(raw))
	}
	return int64(math.Round(f)), nil
}

// handlePlan resolves granularity and chunking the way a time series query
// would, so the editor can show "Auto: 5min, 3 requests" before running.
func (d *Datasource) handlePlan(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePlanRequest(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	bfs, err := d.api.DataAvailable(ctx, entityKind(p.entityType), p.id)
	if err != nil {
		return err
	}
	offered, err := offeredGranularities(bfs, p.fields, p.entityType, p.id)
	if err != nil {
		return err
	}
	loc, err := d.planZone(ctx, p)
	if err != nil {
		return err
	}
	var g planner.Granularity
	var reason string
	if p.granularity == "auto" {
		if g, reason, err = planner.ChooseAuto(offered, p.interval, p.from, p.to, p.maxDataPoints); err != nil {
			return badParam("%s", err.Error())
		}
	} else {
		g, _ = planner.ParseGranularity(p.granularity)
		if !containsGran(offered, g) {
			return badParam("granularity %s is not offered by every field of %s; offered: %s", g, strings.Join(p.fields, ","), joinGrans(offered))
		}
		reason = "Granularity " + string(g) + " chosen in the editor"
	}
	chunks, err := planner.Plan(p.from, p.to, g, loc)
	if err != nil {
		return badParam("%s", err.Error())
	}
	names := make([]string, len(offered))
	for i, o := range offered {
		names[i] = string(o)
	}
	writeJSON(w, http.StatusOK, planJSON{Granularity: string(g), Reason: reason, Chunks: len(chunks), Offered: names, TimeZone: loc.String()})
	return nil
}

// offeredGranularities is the intersection of what every field offers,
// finest first; an unknown field is a 400 listing the valid ones.
func offeredGranularities(bfs []locus.BaseField, fields []string, entityType string, id int64) ([]planner.Granularity, error) {
	byShort := map[string]*locus.BaseField{}
	for i := range bfs {
		for _, a := range bfs[i].Aggregations {
			byShort[a.ShortName] = &bfs[i]
		}
	}
	var unknown []string
	for _, f := range fields {
		if byShort[f] == nil {
			unknown = append(unknown, f)
		}
	}
	if len(unknown) > 0 {
		valid := make([]string, 0, len(byShort))
		for n := range byShort {
			valid = append(valid, n)
		}
		sort.Strings(valid)
		return nil, badParam("fields %s are not available for %s %d: valid fields are %s", strings.Join(unknown, ", "), entityType, id, strings.Join(valid, ", "))
	}
	var out []planner.Granularity
	for _, g := range planner.All {
		all := true
		for _, f := range fields {
			if !offersGran(byShort[f], g) {
				all = false
				break
			}
		}
		if all {
			out = append(out, g)
		}
	}
	if len(out) == 0 {
		return nil, badParam("fields %s share no granularity: query them separately", strings.Join(fields, ", "))
	}
	return out, nil
}

func offersGran(bf *locus.BaseField, g planner.Granularity) bool {
	for _, s := range bf.Granularities {
		if strings.EqualFold(s, string(g)) {
			return true
		}
	}
	return false
}

func containsGran(gs []planner.Granularity, g planner.Granularity) bool {
	for _, x := range gs {
		if x == g {
			return true
		}
	}
	return false
}

func joinGrans(gs []planner.Granularity) string {
	s := make([]string, len(gs))
	for i, g := range gs {
		s[i] = string(g)
	}
	return strings.Join(s, ", ")
}

// planZone is the named zone when given (Grafana's dashboard spellings
// "utc" and "browser" included: the browser's zone is unknown here, so it
// means site-local, as in queries), else the site's locationTimezone (a
// component's site), else UTC.
func (d *Datasource) planZone(ctx context.Context, p planRequest) (*time.Location, error) {
	switch {
	case strings.EqualFold(p.timeZone, "utc"):
		return time.UTC, nil
	case strings.EqualFold(p.timeZone, "browser"):
		p.timeZone = ""
	}
	if p.timeZone != "" {
		loc, err := planner.LoadZone(p.timeZone)
		if err != nil {
			return nil, badParam("timeZone %s is not a known IANA zone: use a name such as America/New_York", quoteParam(p.timeZone))
		}
		return loc, nil
	}
	siteID := p.id
	if p.entityType == "component" {
		c, err := d.api.Component(ctx, p.id)
		if err != nil {
			return nil, err
		}
		siteID = c.SiteID
	}
	list, err := d.sites.load(ctx, d.api)
	if err != nil {
		return nil, err
	}
	tz := ""
	if i, ok := list.byID[siteID]; ok {
		tz = list.entries[i].site.LocationTimezone
	} else if s, err := d.api.Site(ctx, siteID); err == nil {
		tz = s.LocationTimezone
	} else {
		return nil, err
	}
	if loc, err := planner.LoadZone(tz); err == nil && tz != "" {
		return loc, nil
	}
	return time.UTC, nil
}
