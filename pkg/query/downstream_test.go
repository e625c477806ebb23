package query

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// TestBadInputNeedingLocus covers the bad input only Locus's answers reveal:
// every case fails with a message naming what is wrong and what is valid,
// with the right status and source, and never takes other queries down.
func TestBadInputNeedingLocus(t *testing.T) {
	e := newEnv(t, nil, nil)
	fleet := e.sim.Fleet()
	s := e.sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return s.HasLocation && s.HasTypes("INVERTER", "WEATHERSTATION") && s.Startup.Before(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	})
	inv := s.ComponentsOfType("INVERTER")[0]
	other := fleet.SitesOfPartner(locussim.OtherPartnerID)[0]
	from, to := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		js     string
		status backend.Status
		want   []string
	}{
		{"field not in dataavailable", fmt.Sprintf(`{"siteId":"%d","fields":["W_avg","Bogus_avg"]}`, s.ID), 400,
			[]string{`field "Bogus_avg" not available for site`, "valid fields are", "Wh_sum"}},
		{"explicit granularity a field lacks", fmt.Sprintf(`{"siteId":"%d","fields":["W_avg","GHI_m_avg"],"granularity":"5min"}`, s.ID), 400,
			[]string{`granularity "5min" is not offered by "GHI_m_avg"`, "GHI_m_avg offers hourly"}},
		{"field parameter not accepted", fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"fieldParams":{"modelType":"simple"}}`, s.ID), 400,
			[]string{"fieldParams.modelType is not accepted", "take no field parameters"}},
		{"field parameter value unknown", fmt.Sprintf(`{"componentId":"%d","fields":["W_m_avg"],"fieldParams":{"modelType":"quantum"}}`, inv.ID), 400,
			[]string{`fieldParams.modelType "quantum" is not valid`, "valid values are"}},
		{"unknown site", `{"siteId":"987654321","fields":["W_avg"]}`, 404, []string{"site 987654321"}},
		{"another partner's site", fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"]}`, other.ID), 403, []string{fmt.Sprintf("site %d", other.ID)}},
		{"latest field not offered", fmt.Sprintf(`{"queryType":"latest","componentId":"%d","fields":["GHI_avg"]}`, inv.ID), 400, []string{`field "GHI_avg" not available for component`}},
		{"bulk field unknown", `{"queryType":"bulk","fields":["W_avg"]}`, 400, []string{`field "W_avg" not available for partner 4242 bulk data`, "Wh_sum"}},
		{"explicit 1min over a year", fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"granularity":"5min"}`, s.ID), 400, []string{"requests at granularity 5min", "at most 100"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := testkit.Query{Ref: "A", JSON: tc.js, From: from, To: to, Interval: time.Minute, MaxDP: 1000}
			if strings.Contains(tc.name, "over a year") {
				q.From = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			good := testkit.Query{Ref: "OK", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"]}`, s.ID), From: from, To: to, Interval: time.Minute, MaxDP: 1000}
			resp := testkit.Run(t, e.eng, nil, q, good)
			r := testkit.Failed(t, resp, "A")
			for _, w := range tc.want {
				if !strings.Contains(r.Error.Error(), w) {
					t.Errorf("error %q does not contain %q", r.Error, w)
				}
			}
			if r.Status != tc.status || r.ErrorSource != backend.ErrorSourceDownstream {
				t.Errorf("status %d source %q, want %d downstream", r.Status, r.ErrorSource, tc.status)
			}
			testkit.Frames(t, resp, "OK")
		})
	}
}

func TestMultiSiteQuerySkipsSitesLackingAField(t *testing.T) {
	// About 5% of generated sites cannot be geolocated (no modeled irradiance).
	e := newEnv(t, func(c *locussim.Config) { c.Sites = 200 }, nil)
	fleet := e.sim.Fleet()
	var with, without *locussim.Site
	for _, s := range fleet.SitesOfPartner(locussim.DefaultPartnerID) {
		if s.HasLocation && with == nil {
			with = s
		}
		if !s.HasLocation && without == nil {
			without = s
		}
	}
	if with == nil || without == nil {
		t.Fatal("the simulated fleet needs a site with and one without a location")
	}
	from, to := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d,%d","fields":["GHI_m_avg"]}`, with.ID, without.ID), From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	fs := testkit.Frames(t, resp, "A")
	if len(fs) != 1 || fs[0].Fields[1].Labels["site_id"] != fmt.Sprint(with.ID) {
		t.Fatalf("%d frames, want only site %d's", len(fs), with.ID)
	}
	if n := testkit.Notices(fs[0]); !strings.Contains(n, fmt.Sprintf("Skipped: field \"GHI_m_avg\" not available for site %d", without.ID)) {
		t.Errorf("notices %q do not name the skipped site", n)
	}
}
