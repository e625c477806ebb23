package query

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestPartnerAlertsOverNinetyDaysAreSplitAndComplete(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := testNow.AddDate(0, 0, -90), testNow
	resp := e.run(t, nil, tq{ref: "A", js: `{"queryType":"alerts"}`, from: from, to: to, interval: time.Hour, maxDP: 1000})
	f := ok(t, resp, "A")[0]
	if n := e.sim.Stats().Count("GET /v3/partners/{id}/alerts"); n != 3 {
		t.Errorf("%d partner alert requests, want 3 windows of <= 31 days", n)
	}
	for _, name := range []string{"time", "timeEnd", "title", "text", "tags"} {
		fieldByName(t, f, name)
	}
	// Every alert of the partner's components open during the range, once.
	var comps []*locussim.Component
	for _, s := range e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		comps = append(comps, s.Components...)
	}
	want := map[int64]bool{}
	for _, a := range e.sim.Alerts(comps...) {
		if a.Start.Before(to) && (a.End == nil || !a.End.Before(from)) {
			want[a.ID] = true
		}
	}
	ids := fieldByName(t, f, "id")
	got := map[int64]bool{}
	for i := 0; i < ids.Len(); i++ {
		id := ids.At(i).(int64)
		if got[id] {
			t.Errorf("alert %d listed twice", id)
		}
		got[id] = true
	}
	if len(want) == 0 {
		t.Fatal("the simulated fleet has no alert in the range")
	}
	for id := range want {
		if !got[id] {
			t.Errorf("alert %d open during the range is missing", id)
		}
	}
	for id := range got {
		if !want[id] {
			t.Errorf("alert %d was not open during the range", id)
		}
	}
	// Annotation shape: time and timeEnd are times (open alerts run to
	// now), title, text and tags are strings.
	ends, starts, statuses := fieldByName(t, f, "timeEnd"), fieldByName(t, f, "time"), fieldByName(t, f, "status")
	open := 0
	for i := 0; i < ends.Len(); i++ {
		end := ends.At(i).(time.Time)
		if end.Before(starts.At(i).(time.Time)) {
			t.Errorf("alert row %d ends before it starts", i)
		}
		if statuses.At(i).(string) == "open" {
			open++
			if !end.Equal(testNow) {
				t.Errorf("open alert row %d ends %s, want now (%s)", i, end, testNow)
			}
		}
		for _, name := range []string{"title", "text", "tags"} {
			if v, isString := fieldByName(t, f, name).At(i).(string); !isString || (name == "title" && v == "") {
				t.Errorf("alert row %d: %s is %v, want a non-empty string", i, name, v)
			}
		}
	}
	t.Logf("%d alerts, %d open", ends.Len(), open)
}

func TestSiteAlertsFiltered(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := testNow.AddDate(0, -6, 0), testNow
	s := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	resp := e.run(t, nil, tq{ref: "A", js: fmt.Sprintf(`{"queryType":"alerts","scope":"site","siteId":"%d","priorities":["high"],"status":"closed"}`, s.ID), from: from, to: to, interval: time.Hour, maxDP: 1000})
	f := ok(t, resp, "A")[0]
	prios, statuses, sites := fieldByName(t, f, "priority"), fieldByName(t, f, "status"), fieldByName(t, f, "siteId")
	for i := 0; i < prios.Len(); i++ {
		if prios.At(i).(string) != "High" || statuses.At(i).(string) != "closed" || sites.At(i).(int64) != s.ID {
			t.Errorf("row %d: priority %v status %v site %v; want High closed %d", i, prios.At(i), statuses.At(i), sites.At(i), s.ID)
		}
	}
	if q := f.Meta.ExecutedQueryString; !strings.Contains(q, "priority=high") || !strings.Contains(q, "status=closed") || !strings.Contains(q, fmt.Sprintf("/v3/sites/%d/alerts", s.ID)) {
		t.Errorf("executed %q does not send the filters", q)
	}
}
