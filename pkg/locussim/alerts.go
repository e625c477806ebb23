package locussim

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// alertJSON is the API's alert object.
type alertJSON struct {
	ID               int64  `json:"id"`
	ComponentID      int64  `json:"componentId"`
	ComponentName    string `json:"componentName"`
	SiteID           int64  `json:"siteId"`
	SiteName         string `json:"siteName"`
	AlertType        string `json:"alertType"`
	Priority         string `json:"priority"`
	Start            string `json:"start"`
	End              string `json:"end,omitempty"`
	Updated          string `json:"updated"`
	DescriptionShort string `json:"descriptionShort,omitempty"`
	DescriptionLong  string `json:"descriptionLong,omitempty"`
}

// Alert is an alert as the simulator generates it (times in UTC, End nil
// while open), for tests that compare alerts with data.
type Alert struct {
	ID          int64
	ComponentID int64
	SiteID      int64
	AlertType   string
	Priority    string
	Start       time.Time
	End         *time.Time
	Updated     time.Time
	// OutputFactor is what the component's measured output is multiplied by
	// while the alert is open (0 for zero generation and device faults);
	// Gap means the component (and, for meters, its inverters) has no data.
	OutputFactor float64
	Gap          bool
	Description  string
}

// alertFilter is a parsed alerts query.
type alertFilter struct {
	loc            *time.Location
	updatedSince   *time.Time
	openMin        *time.Time
	openMax        *time.Time
	types          map[string]bool
	status         string
	priorities     map[string]bool
	scanFrom, scan int64 // minute window whose events can match
}

func parseAlertFilter(r *http.Request, partner bool, nowMin int64) (*alertFilter, error) {
	q := r.URL.Query()
	loc, err := loadTZ(q.Get("tz"))
	if err != nil {
		return nil, err
	}
	f := &alertFilter{loc: loc, scanFrom: eventEpochStart, scan: nowMin}
	if v := q.Get("updatedSince"); v != "" {
		t, err := parseWall("updatedSince", v, loc)
		if err != nil {
			return nil, err
		}
		f.updatedSince = &t
	}
	minS, maxS := q.Get("openDuringMin"), q.Get("openDuringMax")
	if (minS == "") != (maxS == "") {
		return nil, fmt.Errorf("openDuringMin and openDuringMax must be given together")
	}
	if minS != "" {
		a, err := parseWall("openDuringMin", minS, loc)
		if err != nil {
			return nil, err
		}
		b, err := parseWall("openDuringMax", maxS, loc)
		if err != nil {
			return nil, err
		}
		if b.Before(a) {
			return nil, fmt.Errorf("openDuringMax must not be before openDuringMin")
		}
		if partner && naive(b).After(naive(a).AddDate(0, 0, 31)) {
			return nil, fmt.Errorf("the openDuring window is limited to 31 days")
		}
		f.openMin, f.openMax = &a, &b
	}
	if partner {
		switch {
		case f.updatedSince == nil && f.openMin == nil:
			return nil, fmt.Errorf("partner alerts need updatedSince (at most 7 days ago) or both openDuringMin and openDuringMax (at most 31 days apart)")
		case f.updatedSince != nil && f.updatedSince.Unix()/60 < nowMin-7*24*60:
			return nil, fmt.Errorf("updatedSince is limited to 7 days ago at most")
		}
	}
	if v := q.Get("alertType"); v != "" {
		f.types = map[string]bool{}
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			ok := false
			for _, known := range AlertTypes {
				if strings.EqualFold(t, known) {
					f.types[known], ok = true, true
				}
			}
			if !ok {
				return nil, fmt.Errorf("unknown alertType %q: use a comma list of %s", t, strings.Join(AlertTypes, ", "))
			}
		}
	}
	if v := q.Get("status"); v != "" {
		v = strings.ToLower(v)
		if v != "open" && v != "closed" {
			return nil, fmt.Errorf("unknown status %q: use open or closed", v)
		}
		f.status = v
	}
	if v := q.Get("priority"); v != "" {
		f.priorities = map[string]bool{}
		for _, p := range strings.Split(v, ",") {
			p = strings.ToLower(strings.TrimSpace(p))
			if p != "high" && p != "medium" && p != "low" {
				return nil, fmt.Errorf("unknown priority %q: use a comma list of high, medium, low", p)
			}
			f.priorities[p] = true
		}
	}
	// Narrow the scan: an event lasts at most one epoch.
	if f.openMin != nil {
		f.scanFrom = max(f.scanFrom, f.openMin.Unix()/60-epochMinutes)
		f.scan = min(f.scan, f.openMax.Unix()/60+1)
	}
	if f.updatedSince != nil {
		f.scanFrom = max(f.scanFrom, f.updatedSince.Unix()/60-2*epochMinutes)
	}
	return f, nil
}

// alertOf turns an event into its alert as seen at nowMin.
func alertOf(ev event, nowMin int64) Alert {
	a := Alert{ID: ev.id, ComponentID: ev.comp.ID, SiteID: ev.comp.SiteID, AlertType: ev.alertType,
		Priority: ev.priority, Start: time.Unix(ev.start*60, 0).UTC(), OutputFactor: ev.factor, Gap: ev.gap,
		Description: ev.short}
	if ev.end <= nowMin {
		end := time.Unix(ev.end*60, 0).UTC()
		a.End = &end
		upd := min(ev.end+3+int64(ev.id%12), nowMin)
		a.Updated = time.Unix(upd*60, 0).UTC()
	} else {
		// Open alerts are re-evaluated hourly.
		upd := max(ev.start+5, nowMin/60*60)
		a.Updated = time.Unix(min(upd, nowMin)*60, 0).UTC()
	}
	return a
}

func (f *alertFilter) match(a Alert) bool {
	if f.updatedSince != nil && a.Updated.Before(*f.updatedSince) {
		return false
	}
	if f.openMin != nil {
		if a.Start.After(*f.openMax) || (a.End != nil && a.End.Before(*f.openMin)) {
			return false
		}
	}
	if f.types != nil && !f.types[a.AlertType] {
		return false
	}
	if f.status == "open" && a.End != nil || f.status == "closed" && a.End == nil {
		return false
	}
	if f.priorities != nil && !f.priorities[strings.ToLower(a.Priority)] {
		return false
	}
	return true
}

// Alerts returns the alerts of the given components over their whole
// history up to now, in start order (for tests).
func (s *Server) Alerts(comps ...*Component) []Alert {
	now := s.w.nowMin()
	var out []Alert
	for _, c := range comps {
		for _, ev := range s.w.eventsOf(c, eventEpochStart, now) {
			out = append(out, alertOf(ev, now))
		}
	}
	sortAlerts(out)
	return out
}

func sortAlerts(a []Alert) {
	sort.Slice(a, func(i, j int) bool {
		if !a[i].Start.Equal(a[j].Start) {
			return a[i].Start.Before(a[j].Start)
		}
		return a[i].ID < a[j].ID
	})
}

func (s *Server) writeAlerts(w http.ResponseWriter, r *http.Request, comps []*Component, partner bool) {
	now := s.w.nowMin()
	f, err := parseAlertFilter(r, partner, now)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var list []Alert
	for _, c := range comps {
		from := max(f.scanFrom, c.site.startup)
		if from >= f.scan {
			continue
		}
		for _, ev := range s.w.eventsOf(c, from, f.scan) {
			if a := alertOf(ev, now); f.match(a) {
				list = append(list, a)
			}
		}
	}
	sortAlerts(list)
	fleet := s.Fleet()
	out := make([]alertJSON, 0, len(list))
	for _, a := range list {
		c := fleet.Component(a.ComponentID)
		j := alertJSON{ID: a.ID, ComponentID: a.ComponentID, ComponentName: c.Name, SiteID: a.SiteID,
			SiteName: c.site.Name, AlertType: a.AlertType, Priority: a.Priority,
			Start: a.Start.In(f.loc).Format(TSLayout), Updated: a.Updated.In(f.loc).Format(TSLayout)}
		if a.End != nil {
			j.End = a.End.In(f.loc).Format(TSLayout)
		}
		if a.AlertType == AlertDeviceFault {
			for _, d := range deviceFaults {
				if d.short == a.Description {
					j.DescriptionShort, j.DescriptionLong = d.short, d.long
				}
			}
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"statusCode": 200, "alerts": out})
}

func (s *Server) partnerAlerts(w http.ResponseWriter, r *http.Request) {
	p, ok := s.lookupPartner(w, r)
	if !ok {
		return
	}
	comps := componentsOfSites(s.Fleet().SitesOfPartner(p.ID))
	s.writeAlerts(w, r, comps, true)
}

func (s *Server) siteAlerts(w http.ResponseWriter, r *http.Request) {
	if st, ok := s.lookupSite(w, r); ok {
		s.writeAlerts(w, r, st.Components, false)
	}
}

func (s *Server) componentAlerts(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.lookupComponent(w, r); ok {
		s.writeAlerts(w, r, []*Component{c}, false)
	}
}
