package plugin

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestResourcePlan(t *testing.T) {
	d, sim := simDatasource(t)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	to := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	week := fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg,Wh_sum&from=%d&to=%d&intervalMs=60000&maxDataPoints=1000",
		site.ID, to.AddDate(0, 0, -7).UnixMilli(), to.UnixMilli())
	status, body, _ := callResource(t, d, "GET", week)
	if status != 200 {
		t.Fatalf("status %d: %s", status, errorText(body))
	}
	var p planJSON
	raw, _ := json.Marshal(body)
	decodeInto(t, raw, &p)
	// 7 days: 5min gives ~2016 points (> 1000), 15min ~673: auto picks 15min, one request.
	if p.Granularity != "15min" || p.Chunks != 1 || p.Reason == "" || len(p.Offered) == 0 || p.TimeZone != site.Timezone {
		t.Errorf("week plan = %+v", p)
	}
	quarter := fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&granularity=5min",
		site.ID, to.AddDate(0, 0, -90).UnixMilli(), to.UnixMilli())
	_, body, _ = callResource(t, d, "GET", quarter)
	raw, _ = json.Marshal(body)
	decodeInto(t, raw, &p)
	if p.Granularity != "5min" || p.Chunks != 3 {
		t.Errorf("90 days at 5min: %+v, want 3 chunks", p)
	}
	fractional := fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d.25&to=%d&intervalMs=1666.6666", site.ID, to.AddDate(0, 0, -1).UnixMilli(), to.UnixMilli())
	if status, body, _ := callResource(t, d, "GET", fractional); status != 200 {
		t.Errorf("fractional milliseconds (as browsers compute them) should be accepted: %d %s", status, errorText(body))
	}
	for tz, want := range map[string]string{"utc": "UTC", "browser": site.Timezone, "Asia/Kolkata": "Asia/Kolkata"} {
		_, body, _ = callResource(t, d, "GET", week+"&timeZone="+url.QueryEscape(tz))
		raw, _ = json.Marshal(body)
		decodeInto(t, raw, &p)
		if p.TimeZone != want {
			t.Errorf("timeZone=%s planned in %q, want %q", tz, p.TimeZone, want)
		}
	}
	comp := site.Components[0]
	compPlan := fmt.Sprintf("/plan?entityType=component&id=%d&fields=W_avg&from=%d&to=%d&timeZone=UTC", comp.ID, to.AddDate(0, -1, 0).UnixMilli(), to.UnixMilli())
	status, body, _ = callResource(t, d, "GET", compPlan)
	raw, _ = json.Marshal(body)
	decodeInto(t, raw, &p)
	if status != 200 || p.TimeZone != "UTC" {
		t.Errorf("component plan in UTC: status %d %+v (%s)", status, p, errorText(body))
	}
}

func TestResourceTimezones(t *testing.T) {
	d, sim := simDatasource(t)
	_, body, _ := callResource(t, d, "GET", "/timezones")
	var zones []string
	decodeInto(t, body["timezones"], &zones)
	if len(zones) < 20 || zones[0] != "UTC" || !contains(zones, "America/New_York") || !contains(zones, "Asia/Kolkata") {
		t.Errorf("timezones = %v", zones)
	}
	fleet := map[string]bool{}
	for _, s := range sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		fleet[s.Timezone] = true
	}
	for i, z := range zones[1 : 1+len(fleet)] {
		if !fleet[z] {
			t.Errorf("position %d: %q is not a fleet zone; the fleet's zones come right after UTC: %v", i+1, z, zones)
		}
	}
	seen := map[string]bool{}
	for _, z := range zones {
		if seen[z] {
			t.Errorf("%q listed twice", z)
		}
		seen[z] = true
	}
}

func TestFleetZonesByUse(t *testing.T) {
	entries := []siteEntry{{site: siteJSON{LocationTimezone: "US/Pacific"}}, {site: siteJSON{LocationTimezone: "America/New_York"}},
		{site: siteJSON{LocationTimezone: "US/Pacific"}}, {site: siteJSON{}}, {site: siteJSON{LocationTimezone: "Asia/Kolkata"}}}
	if got := fmt.Sprint(fleetZones(entries)); got != "[US/Pacific America/New_York Asia/Kolkata]" {
		t.Errorf("fleetZones = %s", got)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
