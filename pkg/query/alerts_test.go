package query

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestPartnerAlertsOverNinetyDaysAreSplitAndComplete(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := testNow.AddDate(0, 0, -90), testNow
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: `{"queryType":"alerts"}`, From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	f := testkit.Frames(t, resp, "A")[0]
	if n := e.sim.Stats().Count("GET /v3/partners/{id}/alerts"); n != 3 {
		t.Errorf("%d partner alert requests, want 3 windows of <= 31 days", n)
	}
	for _, name := range []string{"time", "timeEnd", "title", "text", "tags"} {
		testkit.Field(t, f, name)
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
	got := idSet(t, f, "id", "alert")
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
	ends, starts, statuses := testkit.Field(t, f, "timeEnd"), testkit.Field(t, f, "time"), testkit.Field(t, f, "status")
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
			if v, isString := testkit.Field(t, f, name).At(i).(string); !isString || (name == "title" && v == "") {
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
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"queryType":"alerts","scope":"site","siteId":"%d","priorities":["high"],"status":"closed"}`, s.ID), From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	f := testkit.Frames(t, resp, "A")[0]
	prios, statuses, sites := testkit.Field(t, f, "priority"), testkit.Field(t, f, "status"), testkit.Field(t, f, "siteId")
	for i := 0; i < prios.Len(); i++ {
		if prios.At(i).(string) != "High" || statuses.At(i).(string) != "closed" || sites.At(i).(int64) != s.ID {
			t.Errorf("row %d: priority %v status %v site %v; want High closed %d", i, prios.At(i), statuses.At(i), sites.At(i), s.ID)
		}
	}
	if q := f.Meta.ExecutedQueryString; !strings.Contains(q, "priority=high") || !strings.Contains(q, "status=closed") || !strings.Contains(q, fmt.Sprintf("/v3/sites/%d/alerts", s.ID)) {
		t.Errorf("executed %q does not send the filters", q)
	}
}

// Site and component alerts have no openDuring limit (only partner alerts
// do): a year of alerts is one request per site or component, and it holds
// every alert the simulator had open in the range.
func TestSiteAndComponentAlertsAreOneRequestPerEntity(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := testNow.AddDate(-1, 0, 0), testNow
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	s1, s2 := sites[0], sites[1]
	c1, c2 := s1.Components[0], s2.Components[len(s2.Components)-1]
	openIn := func(comps ...*locussim.Component) map[int64]bool {
		want := map[int64]bool{}
		for _, a := range e.sim.Alerts(comps...) {
			if a.Start.Before(to) && (a.End == nil || !a.End.Before(from)) {
				want[a.ID] = true
			}
		}
		return want
	}
	for _, c := range []struct {
		name, js, endpoint string
		calls              int
		want               map[int64]bool
	}{
		{"two sites", fmt.Sprintf(`{"queryType":"alerts","scope":"site","siteId":"%d,%d"}`, s1.ID, s2.ID), "GET /v3/sites/{id}/alerts", 2,
			openIn(append(append([]*locussim.Component(nil), s1.Components...), s2.Components...)...)},
		{"two components", fmt.Sprintf(`{"queryType":"alerts","scope":"component","componentId":"%d,%d"}`, c1.ID, c2.ID), "GET /v3/components/{id}/alerts", 2,
			openIn(c1, c2)},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.sim.ResetStats()
			f := testkit.Frames(t, testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: c.js, From: from, To: to, Interval: time.Hour, MaxDP: 1000}), "A")[0]
			if n := e.sim.Stats().Count(c.endpoint); n != c.calls {
				t.Errorf("%d requests to %s for a year, want %d (one per entity)", n, c.endpoint, c.calls)
			}
			if ch := custom(t, f).Chunks; ch != c.calls {
				t.Errorf("custom.chunks %d, want %d", ch, c.calls)
			}
			if strings.Contains(testkit.Notices(f), "split") {
				t.Errorf("notices %q speak of a split", testkit.Notices(f))
			}
			ids := testkit.Field(t, f, "id")
			got := map[int64]bool{}
			for i := 0; i < ids.Len(); i++ {
				got[ids.At(i).(int64)] = true
			}
			if len(c.want) == 0 {
				t.Fatal("the simulator has no alert open in the year")
			}
			for id := range c.want {
				if !got[id] {
					t.Errorf("alert %d open during the range is missing", id)
				}
			}
			for id := range got {
				if !c.want[id] {
					t.Errorf("alert %d was not open during the range", id)
				}
			}
		})
	}
}
