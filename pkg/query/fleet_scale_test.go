package query

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// Fleet-scale regression tests of the cases. Expected values come
// from the simulator's fleet definition and its generated alerts, never
// from the engine.

func allSiteIDs(sites []*locussim.Site) string {
	ids := make([]string, len(sites))
	for i, s := range sites {
		ids[i] = fmt.Sprint(s.ID)
	}
	return strings.Join(ids, ",")
}

// TestFleetBulkTableListsEverySite is issue case 3: the fleet table of the
// latest month has one row per site of the fleet; a site without data
// (no components, hence no fields) is a row that says so. The same holds for
// the metadata components table of every site (issue 12).
func TestFleetBulkTableListsEverySite(t *testing.T) {
	for _, n := range []int{40, 600, 10000} {
		t.Run(fmt.Sprintf("%d sites", n), func(t *testing.T) {
			e := newEnv(t, func(c *locussim.Config) { c.Sites = n }, nil)
			sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
			var bare, noComponents []int64
			for _, s := range sites {
				if len(s.Components) == 0 {
					noComponents = append(noComponents, s.ID)
				}
				if len(s.Components) == 0 || s.Startup.After(testNow) {
					bare = append(bare, s.ID)
				}
			}
			if n == 40 && len(noComponents) == 0 {
				t.Fatal("the 40-site fleet has no site without any component: the components regression case is gone")
			}
			if n == 40 && len(bare) == 0 {
				t.Fatal("the 40-site fleet has no site without components: the regression case is gone")
			}
			from := testNow.AddDate(0, -1, 0)
			resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: `{"queryType":"bulk","fields":["Wh_sum"],"format":"table","latestMonthOnly":true}`, From: from, To: testNow, Interval: time.Hour, MaxDP: 1000})
			f := testkit.Frames(t, resp, "A")[0]
			ids, notes, wh := testkit.Field(t, f, "site_id"), testkit.Field(t, f, "note"), testkit.Field(t, f, "Wh_sum")
			if ids.Len() != len(sites) {
				t.Fatalf("%d rows, want one per site of the %d-site fleet", ids.Len(), len(sites))
			}
			seen := map[int64]bool{}
			var noted []int64
			for i := 0; i < ids.Len(); i++ {
				id := ids.At(i).(int64)
				if seen[id] {
					t.Errorf("site %d has two rows", id)
				}
				seen[id] = true
				if notes.At(i).(string) == frames.NoBulkData {
					noted = append(noted, id)
					if wh.At(i).(*float64) != nil {
						t.Errorf("site %d is noted without data but has Wh_sum %v", id, *wh.At(i).(*float64))
					}
				}
			}
			slices.Sort(noted)
			slices.Sort(bare)
			for _, id := range bare {
				if !slices.Contains(noted, id) {
					t.Errorf("site %d has no components but its row does not say %q", id, frames.NoBulkData)
				}
			}
			if len(bare) > 0 && !strings.Contains(testkit.Notices(f), fmt.Sprintf("sites have no bulk data in the range (%d", noted[0])) {
				t.Errorf("no notice names the sites without data: %s", testkit.Notices(f))
			}
			// The components table of every site: a site without any
			// component is one row that says so (issue 12).
			cresp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "B", JSON: fmt.Sprintf(`{"queryType":"metadata","kind":"components","siteId":"%s"}`, allSiteIDs(sites)), From: from, To: testNow, Interval: time.Hour, MaxDP: 1000})
			cf := testkit.Frames(t, cresp, "B")[0]
			checkBareComponentRows(t, cf, noComponents, frames.NoComponents)
			if len(noComponents) > 0 && !strings.Contains(testkit.Notices(cf), fmt.Sprintf("%d of %d sites have no components: %d", len(noComponents), len(sites), noComponents[0])) {
				t.Errorf("no notice names the sites without components: %s", testkit.Notices(cf))
			}
		})
	}
}

// checkBareComponentRows asserts that the sites of want (in fleet order,
// from the simulator) are exactly the rows of a components frame with a null
// id, each once and with note, and that every other row is a component with
// an empty note.
func checkBareComponentRows(t *testing.T, f *data.Frame, want []int64, note string) {
	t.Helper()
	ids, sites, notes := testkit.Field(t, f, "id"), testkit.Field(t, f, "siteId"), testkit.Field(t, f, "note")
	var got []int64
	for i := 0; i < f.Rows(); i++ {
		var id *int64
		switch v := ids.At(i).(type) {
		case *int64:
			id = v
		case int64:
			id = &v
		}
		if id == nil {
			got = append(got, sites.At(i).(int64))
			if notes.At(i).(string) != note {
				t.Errorf("site %d without components: note %q, want %q", sites.At(i).(int64), notes.At(i), note)
			}
		} else if notes.At(i).(string) != "" {
			t.Errorf("component %d has note %q", *id, notes.At(i))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows of sites without components: %v, want %v", got, want)
	}
}

// TestCustomAlertTypeIsAccepted is issue case 4: a custom alert type is not
// refused (Locus documents only its own types, so the engine fetches
// unfiltered and filters here); with a documented type beside it, exactly
// that type's alerts come back.
func TestCustomAlertTypeIsAccepted(t *testing.T) {
	e := newEnv(t, nil, nil)
	from, to := testNow.AddDate(0, 0, -30), testNow
	var comps []*locussim.Component
	for _, s := range e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		comps = append(comps, s.Components...)
	}
	want := map[int64]bool{}
	for _, a := range e.sim.Alerts(comps...) {
		if a.AlertType == locussim.AlertDeviceFault && a.Start.Before(to) && (a.End == nil || !a.End.Before(from)) {
			want[a.ID] = true
		}
	}
	resp := testkit.Run(t, e.eng, nil,
		testkit.Query{Ref: "A", JSON: `{"queryType":"alerts","alertTypes":["Inverter Offline"]}`, From: from, To: to, Interval: time.Hour, MaxDP: 1000},
		testkit.Query{Ref: "B", JSON: `{"queryType":"alerts","alertTypes":["Inverter Offline","device fault"]}`, From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	a := testkit.Frames(t, resp, "A")[0]
	if a.Rows() != 0 {
		t.Errorf("custom type only: %d alerts, want 0 (the simulator raises no such type)", a.Rows())
	}
	if !strings.Contains(testkit.Notices(a), `"Inverter Offline"`) {
		t.Errorf("no notice says the custom type is filtered locally: %s", testkit.Notices(a))
	}
	b := testkit.Frames(t, resp, "B")[0]
	ids, types := testkit.Field(t, b, "id"), testkit.Field(t, b, "alertType")
	got := map[int64]bool{}
	for i := 0; i < ids.Len(); i++ {
		got[ids.At(i).(int64)] = true
		if types.At(i).(string) != locussim.AlertDeviceFault {
			t.Errorf("row %d has type %v", i, types.At(i))
		}
	}
	if len(want) == 0 {
		t.Fatal("the fleet has no device fault in the range")
	}
	if len(got) != len(want) {
		t.Errorf("%d device faults, want %d", len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Errorf("device fault %d missing", id)
		}
	}
}

// TestAllSitesReachEveryEntity: on 600 sites, an All $site in a site alerts
// query and a components metadata query answers for every site from
// partner-level calls; a time series over more sites than
// maxEntitiesPerQuery fails naming the setting.
func TestAllSitesReachEveryEntity(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Sites = 600 }, nil)
	e.eng = NewEngine(e.api, Options{Now: fixedNow, MaxEntities: 500})
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	all := allSiteIDs(sites)
	from, to := testNow.AddDate(0, 0, -20), testNow

	var comps []*locussim.Component
	inverters := 0
	for _, s := range sites {
		comps = append(comps, s.Components...)
		inverters += len(s.ComponentsOfType(locussim.NodeInverter))
	}
	// Alerts of the sites of the second half only: a partner call, kept to those sites.
	half := sites[300:]
	keep := map[int64]bool{}
	for _, s := range half {
		keep[s.ID] = true
	}
	want := map[int64]bool{}
	for _, a := range e.sim.Alerts(comps...) {
		if keep[a.SiteID] && a.Start.Before(to) && (a.End == nil || !a.End.Before(from)) {
			want[a.ID] = true
		}
	}
	e.sim.ResetStats()
	resp := testkit.Run(t, e.eng, nil,
		testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"queryType":"alerts","scope":"site","siteId":"%s"}`, allSiteIDs(half)), From: from, To: to, Interval: time.Hour, MaxDP: 1000},
		testkit.Query{Ref: "B", JSON: fmt.Sprintf(`{"queryType":"metadata","kind":"components","siteId":"%s","nodeType":"INVERTER"}`, all), From: from, To: to, Interval: time.Hour, MaxDP: 1000},
		testkit.Query{Ref: "C", JSON: fmt.Sprintf(`{"queryType":"timeseries","siteId":"%s","fields":["W_avg"]}`, all), From: from, To: to, Interval: time.Hour, MaxDP: 1000},
		testkit.Query{Ref: "D", JSON: `{"queryType":"metadata","kind":"sites"}`, From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	a := testkit.Frames(t, resp, "A")[0]
	ids := testkit.Field(t, a, "id")
	got := map[int64]bool{}
	for i := 0; i < ids.Len(); i++ {
		got[ids.At(i).(int64)] = true
	}
	if len(want) == 0 || len(got) != len(want) {
		t.Errorf("alerts of 300 sites: %d, want %d", len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Errorf("alert %d of a selected site missing", id)
		}
	}
	if n := e.sim.Stats().Count("GET /v3/sites/{id}/alerts"); n != 0 {
		t.Errorf("%d per-site alert requests, want partner-level calls only", n)
	}
	b := testkit.Frames(t, resp, "B")[0]
	if n := e.sim.Stats().Count("GET /v3/sites/{id}/components"); n != 0 {
		t.Errorf("%d per-site component requests, want one partner list", n)
	}
	var noInverters []int64
	for _, s := range sites {
		if len(s.ComponentsOfType(locussim.NodeInverter)) == 0 {
			noInverters = append(noInverters, s.ID)
		}
	}
	if len(noInverters) == 0 {
		t.Fatal("every site of the 600-site fleet has inverters: the notice case is gone")
	}
	if b.Rows() != inverters+len(noInverters) {
		t.Errorf("components of All sites: %d rows, want the fleet's %d inverters and %d sites without", b.Rows(), inverters, len(noInverters))
	}
	checkBareComponentRows(t, b, noInverters, frames.NoComponentsOfType("INVERTER"))
	if want := fmt.Sprintf("%d of 600 sites have no components of node type INVERTER: %d", len(noInverters), noInverters[0]); !strings.Contains(testkit.Notices(b), want) {
		t.Errorf("notice %q lacks %q", testkit.Notices(b), want)
	}
	d := testkit.Frames(t, resp, "D")[0]
	listed := map[int64]bool{}
	for i := 0; i < d.Rows(); i++ {
		listed[testkit.Field(t, d, "id").At(i).(int64)] = true
	}
	for _, s := range sites {
		if !listed[s.ID] {
			t.Errorf("site %d missing from the metadata sites table (%d rows)", s.ID, d.Rows())
			break
		}
	}
	c := testkit.Failed(t, resp, "C")
	if c.Error == nil || !strings.Contains(c.Error.Error(), "maxEntitiesPerQuery") || !strings.Contains(c.Error.Error(), "600 ids") {
		t.Errorf("a time series over 600 sites (limit 500): error %v, want one naming maxEntitiesPerQuery", c.Error)
	}
}
