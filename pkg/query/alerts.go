package query

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/fanout"
	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// handleAlerts serves an alerts query: every alert open during the panel's
// range, for the partner, sites or components, filtered by type, priority
// and status, as one frame that works as a table and as annotations.
func handleAlerts(ctx context.Context, e *Engine, r *request, q *alertsQuery) (backend.DataResponse, error) {
	var m metaInfo
	kind, ids, keep := e.alertTargets(q, &m)
	ctx, cs := locus.WithCallStats(ctx)
	m.custom.TZ = "UTC"
	now := e.now()
	from, to := r.TimeRange.From.UTC().Truncate(time.Second), ceilSecond(r.TimeRange.To.UTC())
	if to.After(now) {
		to = ceilSecond(now.UTC())
	}
	var alerts []locus.Alert
	if from.Before(to) {
		// Only partner alerts limit the openDuring window; a site or a
		// component is one call for the whole range.
		windows := planner.AlertWindows(from, to, kind == "partners", time.UTC)
		if len(windows) > maxChunks {
			return backend.DataResponse{}, requestCapError(len(windows), fmt.Sprintf("for the partner's alerts (openDuring windows span at most %d days)", planner.PartnerAlertWindowDays), "choose a shorter range")
		}
		m.custom.Chunks = len(windows) * len(ids)
		ctx = dataLane(ctx, m.custom.Chunks)
		if len(windows) > 1 {
			m.info("Range split into %d partner alert requests (partner alerts accept openDuring windows of at most %d days)", len(windows), planner.PartnerAlertWindowDays)
		}
		var err error
		if alerts, err = e.fetchAlerts(ctx, q.AlertsQuery, kind, ids, windows); err != nil {
			return backend.DataResponse{}, err
		}
	}
	alerts = filterAlerts(alerts, q.AlertsQuery, keep)
	if custom := customAlertTypes(q.AlertTypes); len(custom) > 0 {
		m.info("Alert types %s are not among the types Locus documents (%s): every type is fetched and filtered here", quoteList(custom), strings.Join(knownAlertTypes, ", "))
	}
	m.addCalls(cs)
	fs := data.Frames{frames.AlertsFrame(alerts, now)}
	m.apply(fs, r.RefID)
	return backend.DataResponse{Frames: fs}, nil
}

// partnerAlertsAbove is the most sites or components whose alerts are
// fetched one entity at a time; a larger scope (a multi-value or All
// variable over a fleet) reads the partner's alerts, one call per window,
// and keeps those of the entities asked.
const partnerAlertsAbove = 10

// alertKeep filters alerts to the entities of a site or component scope
// served from partner alerts; nil keeps every alert.
type alertKeep struct {
	sites, components map[int64]bool
}

// alertTargets resolves the scope to the endpoint kind and ids, switching
// a large site or component scope to the partner endpoint (with keep).
func (e *Engine) alertTargets(q *alertsQuery, m *metaInfo) (string, []int64, *alertKeep) {
	var kind, noun string
	ids := q.ids
	switch q.Scope {
	case ScopeSite:
		kind, noun = "sites", "sites"
	case ScopeComponent:
		kind, noun = "components", "components"
	default:
		return "partners", []int64{e.api.PartnerID()}, nil
	}
	if len(ids) <= partnerAlertsAbove {
		return kind, ids, nil
	}
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	keep := &alertKeep{sites: set}
	if kind == "components" {
		keep = &alertKeep{components: set}
	}
	m.info("%d %s: their alerts come from the partner's alert list (one request per window instead of one per %s)", len(ids), noun, kindNoun(kind))
	return "partners", []int64{e.api.PartnerID()}, keep
}

// customAlertTypes lists the types of ts that Locus does not document.
func customAlertTypes(ts []string) []string {
	var out []string
	for _, t := range ts {
		if !contains(knownAlertTypes, t) {
			out = append(out, t)
		}
	}
	return out
}

// upstreamAlertTypes is the alertType filter sent to Locus: the query's
// types when Locus documents them all, otherwise none (Locus answers 400 to
// an undocumented type), the types then being applied by filterAlerts.
func upstreamAlertTypes(ts []string) []string {
	if len(customAlertTypes(ts)) > 0 {
		return nil
	}
	return ts
}

// fetchAlerts runs the (id, window) calls, at most e.fanOut() at a time
// (so memory and goroutines stay bounded whatever the fleet and range), and
// returns the distinct alerts (an alert open across windows is listed once).
// The first failure cancels the calls not yet made and fails the query.
func (e *Engine) fetchAlerts(ctx context.Context, q *AlertsQuery, kind string, ids []int64, windows []planner.Chunk) ([]locus.Alert, error) {
	type call struct {
		id int64
		w  planner.Chunk
	}
	calls := make([]call, 0, len(ids)*len(windows))
	for _, id := range ids {
		for _, w := range windows {
			calls = append(calls, call{id, w})
		}
	}
	var mu sync.Mutex
	byID := map[int64]locus.Alert{}
	_, err := e.each(ctx, len(calls), fanout.Options{Limit: e.fanOut()},
		func(i int) string { return fmt.Sprintf("fetching the alerts of %s %d", kindNoun(kind), calls[i].id) },
		func(ctx context.Context, i int) error {
			c := calls[i]
			min, max := planner.FormatWall(c.w.Start, time.UTC), planner.FormatWall(c.w.End, time.UTC)
			res, err := e.api.Alerts(ctx, locus.AlertsRequest{
				Kind: kind, ID: c.id, TZ: "UTC", OpenDuringMin: min, OpenDuringMax: max,
				AlertTypes: upstreamAlertTypes(q.AlertTypes), Status: q.Status, Priorities: q.Priorities,
			})
			if err != nil {
				return fmt.Errorf("Locus alerts of %s %d failed for the period %s to %s (UTC): %w", kindNoun(kind), c.id, min, max, err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, a := range res {
				byID[a.ID] = a
			}
			return nil
		})
	if err != nil {
		if cerr := ctx.Err(); err == cerr {
			err = locus.Canceled(cerr)
		}
		return nil, err
	}
	out := make([]locus.Alert, 0, len(byID))
	for _, a := range byID {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// filterAlerts re-applies the filters locally, so the result is right even
// if Locus ignored one (or was not sent a custom type), and keeps only the
// entities of keep (when not nil).
func filterAlerts(in []locus.Alert, q *AlertsQuery, keep *alertKeep) []locus.Alert {
	out := in[:0]
	for _, a := range in {
		if keep != nil && (keep.sites != nil && !keep.sites[a.SiteID] || keep.components != nil && !keep.components[a.ComponentID]) {
			continue
		}
		if len(q.AlertTypes) > 0 && !containsFold(q.AlertTypes, a.AlertType) {
			continue
		}
		if len(q.Priorities) > 0 && !containsFold(q.Priorities, a.Priority) {
			continue
		}
		if q.Status == "open" && a.End != nil || q.Status == "closed" && a.End == nil {
			continue
		}
		out = append(out, a)
	}
	return out
}

// containsFold reports whether vs holds v, ignoring case.
func containsFold(vs []string, v string) bool {
	for _, x := range vs {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// kindNoun names an alerts endpoint kind.
func kindNoun(kind string) string { return strings.TrimSuffix(kind, "s") }

// ceilSecond rounds t up to a whole second.
func ceilSecond(t time.Time) time.Time {
	if tt := t.Truncate(time.Second); tt.Equal(t) {
		return t
	}
	return t.Truncate(time.Second).Add(time.Second)
}
