package locus

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// maxPartnerUpdatedSinceAge is the partner alerts' updatedSince limit from
// the API reference. Their openDuring window limit (31 days) is planned by
// the engine (planner.AlertWindows) and enforced by Locus, not checked here:
// it is defined once, in the planner.
const maxPartnerUpdatedSinceAge = 7 * 24 * time.Hour

var alertPriorities = []string{"high", "medium", "low"}

// Alerts lists alerts of the partner ("partners", ID ignored), a site
// ("sites") or a component ("components"), filtered as the request says.
// Times are UTC (a time without offset is read in r.TZ); End is nil while
// an alert is open.
func (a *API) Alerts(ctx context.Context, r AlertsRequest) ([]Alert, error) {
	path, err := a.alertsPath(r)
	if err != nil {
		return nil, err
	}
	loc, _ := time.LoadLocation(r.TZ) // checked by alertsPath
	decode := func(body []byte) ([]Alert, error) { return decodeAlerts(body, loc) }
	return getCached(ctx, a, path, a.cfg.RecentDataTTL, decode, bodySize[[]Alert], slices.Clone[[]Alert])
}

func (a *API) alertsPath(r AlertsRequest) (string, error) {
	const what = "alerts request"
	kind := strings.TrimSpace(r.Kind)
	switch kind {
	case "partner", "partners":
		kind = "partners"
		r.ID = a.cfg.PartnerID
	case "site", "sites":
		kind = "sites"
	case "component", "components":
		kind = "components"
	default:
		return "", badRequest(fmt.Sprintf("%s: scope %q is not one of partners, sites, components", what, r.Kind))
	}
	if err := checkID(strings.TrimSuffix(kind, "s"), r.ID); err != nil {
		return "", err
	}
	if err := checkTZ(what, r.TZ); err != nil {
		return "", err
	}
	loc, _ := time.LoadLocation(r.TZ)
	var q query
	if r.UpdatedSince != "" {
		since, err := parseWall(what, "updatedSince", r.UpdatedSince)
		if err != nil {
			return "", err
		}
		if kind == "partners" {
			now := a.cfg.Now().In(loc)
			local := time.Date(since.Year(), since.Month(), since.Day(), since.Hour(), since.Minute(), since.Second(), 0, loc)
			if now.Sub(local) > maxPartnerUpdatedSinceAge {
				return "", badRequest(fmt.Sprintf("%s: partner alerts accept updatedSince at most 7 days ago (got %s); use openDuringMin/openDuringMax for older alerts", what, r.UpdatedSince))
			}
		}
		q.add("updatedSince", r.UpdatedSince)
	}
	if (r.OpenDuringMin == "") != (r.OpenDuringMax == "") {
		return "", badRequest(fmt.Sprintf("%s: openDuringMin and openDuringMax must be given together", what))
	}
	if r.OpenDuringMin != "" {
		lo, err := parseWall(what, "openDuringMin", r.OpenDuringMin)
		if err != nil {
			return "", err
		}
		hi, err := parseWall(what, "openDuringMax", r.OpenDuringMax)
		if err != nil {
			return "", err
		}
		if hi.Before(lo) {
			return "", badRequest(fmt.Sprintf("%s: openDuringMin %s must not be after openDuringMax %s", what, r.OpenDuringMin, r.OpenDuringMax))
		}
		q.add("openDuringMin", r.OpenDuringMin)
		q.add("openDuringMax", r.OpenDuringMax)
	}
	if kind == "partners" && r.UpdatedSince == "" && r.OpenDuringMin == "" {
		return "", badRequest(what + ": partner alerts need updatedSince (at most 7 days ago) or openDuringMin and openDuringMax (at most 31 days apart)")
	}
	q.add("tz", r.TZ)
	if len(r.AlertTypes) > 0 {
		for _, t := range r.AlertTypes {
			if strings.TrimSpace(t) == "" || strings.Contains(t, ",") {
				return "", badRequest(fmt.Sprintf("%s: alert type %q must be a non-empty type name without commas, such as System Disconnect", what, t))
			}
		}
		q.add("alertType", strings.Join(r.AlertTypes, ","))
	}
	switch st := strings.ToLower(strings.TrimSpace(r.Status)); st {
	case "":
	case "open", "closed":
		q.add("status", st)
	default:
		return "", badRequest(fmt.Sprintf("%s: status %q is not one of open, closed (or empty for both)", what, r.Status))
	}
	if len(r.Priorities) > 0 {
		ps := make([]string, 0, len(r.Priorities))
		for _, p := range r.Priorities {
			lp := strings.ToLower(strings.TrimSpace(p))
			if !slices.Contains(alertPriorities, lp) {
				return "", badRequest(fmt.Sprintf("%s: priority %q is not one of High, Medium, Low", what, p))
			}
			if !slices.Contains(ps, lp) {
				ps = append(ps, lp)
			}
		}
		q.add("priority", strings.Join(ps, ","))
	}
	return fmt.Sprintf("/v3/%s/%d/alerts%s", kind, r.ID, q), nil
}

// alertWire is an alert as sent, with times as strings parsed by ParseTimestamp.
type alertWire struct {
	ID               int64  `json:"id"`
	ComponentID      int64  `json:"componentId"`
	ComponentName    string `json:"componentName"`
	SiteID           int64  `json:"siteId"`
	SiteName         string `json:"siteName"`
	AlertType        string `json:"alertType"`
	Priority         string `json:"priority"`
	Start            string `json:"start"`
	End              string `json:"end"`
	Updated          string `json:"updated"`
	DescriptionShort string `json:"descriptionShort"`
	DescriptionLong  string `json:"descriptionLong"`
}

// decodeAlerts decodes an alerts envelope; times without offset are
// wall-clock times in loc, the request's tz.
func decodeAlerts(body []byte, loc *time.Location) ([]Alert, error) {
	wire, err := decodeList[alertWire](body, "alerts")
	if err != nil {
		return nil, err
	}
	out := make([]Alert, len(wire))
	for i, w := range wire {
		al := Alert{ID: w.ID, ComponentID: w.ComponentID, ComponentName: w.ComponentName, SiteID: w.SiteID, SiteName: w.SiteName,
			AlertType: w.AlertType, Priority: w.Priority, DescriptionShort: w.DescriptionShort, DescriptionLong: w.DescriptionLong}
		if al.Start, err = ParseTimestamp([]byte(w.Start), loc); err != nil {
			return nil, fmt.Errorf("alert %d: start %q: %w", w.ID, w.Start, err)
		}
		if w.End != "" {
			end, err := ParseTimestamp([]byte(w.End), loc)
			if err != nil {
				return nil, fmt.Errorf("alert %d: end %q: %w", w.ID, w.End, err)
			}
			al.End = &end
		}
		if w.Updated != "" {
			if al.Updated, err = ParseTimestamp([]byte(w.Updated), loc); err != nil {
				return nil, fmt.Errorf("alert %d: updated %q: %w", w.ID, w.Updated, err)
			}
		}
		out[i] = al
	}
	return out, nil
}
