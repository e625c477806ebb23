package query

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// fleetZones returns the distinct zones of the main partner's sites.
func fleetZones(e *env) map[string]bool {
	zones := map[string]bool{}
	for _, s := range e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		zones[s.Timezone] = true
	}
	return zones
}

func TestBulkTableIsSiteLocalMonthsJoinedWithSites(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Sites = 5 }, nil)
	// 14 months: more than the bulk endpoint's one year, so two requests per zone.
	from, to := time.Date(2024, 10, 1, 12, 0, 0, 0, time.UTC), time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: `{"queryType":"bulk","fields":["Wh_sum","Wh_e_sum"]}`, From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	fs := testkit.Frames(t, resp, "A")
	zones := fleetZones(e)
	if n := e.sim.Stats().Count("GET /v3/partners/{id}/sites/data"); n != 2*len(zones) {
		t.Errorf("%d bulk requests, want 2 per distinct site zone (%d zones)", n, len(zones))
	}
	f := fs[0]
	ids := testkit.Field(t, f, "site_id")
	names := testkit.Field(t, f, "site")
	lats := testkit.Field(t, f, "latitude")
	months := testkit.Field(t, f, "time")
	wh := testkit.Field(t, f, "Wh_sum")
	if ids.Len() == 0 {
		t.Fatal("bulk table is empty")
	}
	fleet := e.sim.Fleet()
	for i := 0; i < ids.Len(); i++ {
		s := fleet.Site(ids.At(i).(int64))
		if names.At(i).(string) != s.Name {
			t.Errorf("row %d: site name %q, want %q", i, names.At(i), s.Name)
		}
		if s.HasLocation && (lats.At(i).(*float64) == nil || *lats.At(i).(*float64) != s.Latitude) {
			t.Errorf("row %d: latitude %v, want %v", i, lats.At(i), s.Latitude)
		}
		mp := months.At(i).(*time.Time)
		if mp == nil {
			continue // a site without data (checked by TestFleetBulkTableListsEverySite)
		}
		m := mp.In(s.Location())
		if m.Day() != 1 || m.Hour() != 0 {
			t.Errorf("row %d: month %s is not the 1st at 00:00 in the site's zone %s", i, m, s.Timezone)
		}
	}
	// One site's month equals the bulk endpoint asked directly in its zone.
	site := fleet.Site(ids.At(0).(int64))
	loc := site.Location()
	direct, err := e.api.BulkData(t.Context(), locus.BulkRequest{Fields: []string{"Wh_sum"}, TZ: site.Timezone,
		Start: planner.FormatWall(time.Date(2025, 6, 1, 0, 0, 0, 0, loc), loc), End: planner.FormatWall(time.Date(2025, 7, 1, 0, 0, 0, 0, loc), loc)})
	if err != nil {
		t.Fatalf("direct bulk: %v", err)
	}
	var want *float64
	for _, s := range direct {
		if s.ID == site.ID && len(s.Times) == 1 {
			want = s.Values["Wh_sum"].Pointers()[0]
		}
	}
	found := false
	for i := 0; i < ids.Len(); i++ {
		if ids.At(i).(int64) == site.ID && months.At(i).(*time.Time) != nil && months.At(i).(*time.Time).Equal(time.Date(2025, 6, 1, 0, 0, 0, 0, loc)) {
			found = true
			if deref(wh.At(i).(*float64)) != deref(want) {
				t.Errorf("June Wh_sum of site %d: table %s, direct %s", site.ID, deref(wh.At(i).(*float64)), deref(want))
			}
		}
	}
	if !found {
		t.Errorf("no row for site %d, June 2025 (local)", site.ID)
	}
}

func TestBulkLatestMonthOnlyAndTimeSeries(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), testNow
	resp := testkit.Run(t, e.eng, nil,
		testkit.Query{Ref: "A", JSON: `{"queryType":"bulk","fields":["Wh_sum"],"latestMonthOnly":true}`, From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	f := testkit.Frames(t, resp, "A")[0]
	idSet(t, f, "site_id", "with latestMonthOnly, site")
	// One request per distinct local month start: in December Denver and
	// Phoenix are both UTC-7, so they share one.
	layouts := map[int64]bool{}
	for z := range fleetZones(e) {
		loc, _ := time.LoadLocation(z)
		layouts[time.Date(2025, 12, 1, 0, 0, 0, 0, loc).Unix()] = true
	}
	if n := e.sim.Stats().Count("GET /v3/partners/{id}/sites/data"); n != len(layouts) {
		t.Errorf("%d bulk requests for the latest month, want one per distinct local month layout (%d)", n, len(layouts))
	}

	resp = testkit.Run(t, e.eng, nil, testkit.Query{Ref: "B", JSON: `{"queryType":"bulk","fields":["Wh_sum"],"format":"timeseries","clientId":"` +
		fmt.Sprint(e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0].ClientID) + `"}`, From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	fs := testkit.Frames(t, resp, "B")
	client := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0].ClientID
	if len(fs) == 0 {
		t.Fatal("no series")
	}
	for _, f := range fs {
		id := f.Fields[1].Labels["site_id"]
		var s *locussim.Site
		for _, c := range e.sim.Fleet().SitesOfClient(client) {
			if fmt.Sprint(c.ID) == id {
				s = c
			}
		}
		if s == nil {
			t.Errorf("series for site %s, which is not a site of client %d", id, client)
		}
		if f.Meta.Type != data.FrameTypeTimeSeriesMulti {
			t.Errorf("bulk series type %q", f.Meta.Type)
		}
	}
}

func TestBulkZoneLayouts(t *testing.T) {
	zones := []string{"America/Los_Angeles", "US/Pacific", "America/Denver", "America/Phoenix", "America/Chicago",
		"America/New_York", "Pacific/Honolulu", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", ""}
	sites := map[int64]locus.Site{}
	for i, z := range zones {
		sites[int64(i+1)] = locus.Site{ID: int64(i + 1), LocationTimezone: z}
	}
	t.Run("zones that agree share a layout", func(t *testing.T) {
		var m metaInfo
		few := map[int64]locus.Site{1: sites[1], 2: sites[2], 3: sites[3], 4: sites[4]}
		// In January Denver (MST) and Phoenix (MST) agree; LA and US/Pacific always do.
		from, to := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC)
		got, err := bulkZones(few, from, to, &m)
		if err != nil || len(got) != 2 {
			t.Fatalf("%d layouts (%v), want 2", len(got), err)
		}
		if !got[1].sites[3] || !got[1].sites[4] {
			t.Errorf("January: Denver and Phoenix not grouped: %v", got[1].sites)
		}
		// In July Phoenix (no DST, UTC-7) agrees with Los Angeles (PDT) instead.
		got, _ = bulkZones(few, from.AddDate(0, 6, 0), to.AddDate(0, 6, 0), &m)
		if len(got) != 2 || !got[0].sites[1] || !got[0].sites[2] || !got[0].sites[4] || !got[1].sites[3] {
			t.Errorf("July layouts %v %v, want {LA, US/Pacific, Phoenix} and {Denver}", got[0].sites, got[len(got)-1].sites)
		}
	})
	t.Run("more than 8 layouts fall back to UTC months", func(t *testing.T) {
		var m metaInfo
		got, err := bulkZones(sites, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), &m)
		if err != nil || len(got) != 1 || got[0].name != "UTC" || len(got[0].sites) != len(sites) {
			t.Fatalf("got %d groups (%v), want one UTC group of every site", len(got), err)
		}
		text := ""
		for _, n := range m.notices {
			text += n.Text + "\n"
		}
		if !strings.Contains(text, "months are UTC months") || !strings.Contains(text, "Sites without a usable locationTimezone use UTC months: 12") {
			t.Errorf("notices %q", text)
		}
	})
	t.Run("requests span at most one year", func(t *testing.T) {
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, tc := range []struct {
			to   time.Time
			want int
		}{{start.AddDate(1, 0, 0), 1}, {start.AddDate(1, 0, 0).Add(time.Hour), 2}, {start.AddDate(3, 0, 0), 3}} {
			chunks, err := bulkChunks(start, tc.to, time.UTC)
			if err != nil || len(chunks) != tc.want {
				t.Errorf("to %s: %d chunks (%v), want %d", tc.to, len(chunks), err, tc.want)
			}
			for _, c := range chunks {
				if c.End.After(c.Start.AddDate(1, 0, 0)) || c.Start.Day() != 1 || c.End.Day() != 1 {
					t.Errorf("chunk %s..%s is not whole months within a year", c.Start, c.End)
				}
			}
		}
	})
}

// Bulk data is monthly only: months the range cuts are whole, and a notice
// says so (time series follow the range contract instead); the latest
// month only table asks for the month itself and has no such notice.
func TestBulkWholeMonthsAtTheEdgesAreNoted(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := time.Date(2025, 9, 15, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: `{"queryType":"bulk","fields":["Wh_sum"]}`, From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	if n := testkit.Notices(testkit.Frames(t, resp, "A")[0]); !strings.Contains(n, "whole months") {
		t.Errorf("notices %q, want a note of whole months at the range's edges", n)
	}
	resp = testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: `{"queryType":"bulk","fields":["Wh_sum"],"latestMonthOnly":true}`, From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	if n := testkit.Notices(testkit.Frames(t, resp, "A")[0]); strings.Contains(n, "whole months") {
		t.Errorf("latest month only: notices %q, want no note of whole months", n)
	}
}
