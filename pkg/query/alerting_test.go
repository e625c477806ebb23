package query

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// fromAlert is the header Grafana's alerting sends.
var fromAlert = map[string]string{"FromAlert": "true"}

func TestAlertRuleQueryGetsOneLabelledFramePerSite(t *testing.T) {
	e := newEnv(t, nil, nil)
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[:3]
	ids := make([]string, len(sites))
	for i, s := range sites {
		ids[i] = fmt.Sprint(s.ID)
	}
	// What an alert rule sends: no interval, no maxDataPoints, the
	// dashboard zone mode with no zone, no alias.
	resp := testkit.Run(t, e.eng, fromAlert, testkit.Query{Ref: "A",
		JSON: `{"siteId":"` + strings.Join(ids, ",") + `","fields":["W_avg"],"timeZoneMode":"dashboard"}`,
		From: testNow.Add(-3 * time.Hour), To: testNow})
	fs := testkit.Frames(t, resp, "A")
	if len(fs) != len(sites) {
		t.Fatalf("%d frames, want one per site (%d)", len(fs), len(sites))
	}
	seen := map[string]bool{}
	for i, f := range fs {
		if f.Meta.Type != data.FrameTypeTimeSeriesMulti {
			t.Errorf("frame %d type %q, want timeseries-multi", i, f.Meta.Type)
		}
		labels := f.Fields[1].Labels
		seen[labels["site_id"]] = true
		c := custom(t, f)
		if c.TZ != sites[i].Timezone {
			t.Errorf("frame %d aligned in %q, want the site's zone %q", i, c.TZ, sites[i].Timezone)
		}
		if !strings.Contains(testkit.Notices(f), "Alert rule: no dashboard time zone, using the site's zone "+sites[i].Timezone) {
			t.Errorf("frame %d notices %q do not explain the zone fallback", i, testkit.Notices(f))
		}
		if f.Fields[1].Config == nil || f.Fields[1].Config.DisplayNameFromDS == "" {
			t.Errorf("frame %d has no server-side display name", i)
		}
	}
	for _, id := range ids {
		if !seen[id] {
			t.Errorf("no frame labelled site_id=%s", id)
		}
	}
}

func TestLatestGivesOneInstancePerComponent(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return len(s.ComponentsOfType("INVERTER")) >= 2 && s.Startup.Before(testNow.AddDate(0, -1, 0))
	})
	if s == nil {
		t.Fatal("the simulated fleet has no site with two inverters")
	}
	invs := s.ComponentsOfType("INVERTER")
	resp := testkit.Run(t, e.eng, fromAlert, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"queryType":"latest","componentId":"%d,%d","fields":["W_avg","Wh_sum"]}`, invs[0].ID, invs[1].ID)})
	fs := testkit.Frames(t, resp, "A")
	if len(fs) != 4 {
		t.Fatalf("%d frames, want 2 components x 2 fields", len(fs))
	}
	for _, f := range fs {
		if f.Meta.Type != data.FrameTypeNumericMulti || f.Fields[0].Len() != 1 {
			t.Errorf("frame type %q with %d rows, want numeric-multi with 1 row", f.Meta.Type, f.Fields[0].Len())
		}
		c := custom(t, f)
		if c.Granularity != "latest" || c.TZ == "" {
			t.Errorf("latest frame custom %+v, want granularity latest and the site's zone", c)
		}
		if v := f.Fields[0].At(0).(*float64); (v != nil) != (c.Time != "") {
			t.Errorf("latest value %s with time %q: a value needs its time, a null none", deref(v), c.Time)
		}
		if f.Fields[0].Labels["component_id"] == "" {
			t.Errorf("latest frame has no component_id label: %v", f.Fields[0].Labels)
		}
	}
	if n := e.sim.Stats().Count("GET /v3/components/{id}/data"); n != 2 {
		t.Errorf("%d latest calls, want 2", n)
	}
	if !strings.Contains(fs[0].Meta.ExecutedQueryString, "gran=latest") {
		t.Errorf("executed %q has no gran=latest call", fs[0].Meta.ExecutedQueryString)
	}
}
