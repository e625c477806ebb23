package locussim

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func alertsOf(t *testing.T, h *harness, path string) []map[string]any {
	t.Helper()
	return list(t, h.getJSON(path, 200), "alerts")
}

func TestAlertObjectsAndHistory(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	all := alertsOf(t, h, fmt.Sprintf("/v3/sites/%d/alerts?tz=UTC", site.ID))
	if len(all) == 0 {
		t.Fatal("a site with years of history has no alerts")
	}
	types := map[string]int{}
	open := 0
	for _, a := range all {
		requireKeys(t, "alert", a, map[string]string{"id": "n", "componentId": "n", "componentName": "s", "siteId": "n", "siteName": "s", "alertType": "s", "priority": "s", "start": "s", "updated": "s"})
		types[a["alertType"].(string)]++
		if _, has := a["end"]; !has {
			open++
		}
		_, hasShort := a["descriptionShort"]
		if hasShort != (a["alertType"] == AlertDeviceFault) {
			t.Errorf("descriptionShort present=%v on %v", hasShort, a["alertType"])
		}
		start, err := time.Parse(TSLayout, a["start"].(string))
		if err != nil || start.Before(site.Startup) || !start.Before(fixedNow) {
			t.Errorf("alert start %v (site startup %s, now %s)", a["start"], site.Startup, fixedNow)
		}
		if int64(a["siteId"].(float64)) != site.ID || a["siteName"] != site.Name {
			t.Errorf("alert site %v %v", a["siteId"], a["siteName"])
		}
	}
	for _, typ := range []string{AlertZeroGeneration, AlertDeviceFault} {
		if types[typ] == 0 {
			t.Errorf("no %s alert in the site's history: %v", typ, types)
		}
	}
	// Partner alerts over the last week include an open one.
	since := fixedNow.Add(-6 * 24 * time.Hour).Format(WallLayout)
	recent := alertsOf(t, h, "/v3/partners/4242/alerts?tz=UTC&updatedSince="+since)
	hasOpen := false
	for _, a := range recent {
		if _, has := a["end"]; !has {
			hasOpen = true
		}
		upd, _ := time.Parse(TSLayout, a["updated"].(string))
		if upd.Before(fixedNow.Add(-6 * 24 * time.Hour)) {
			t.Errorf("updatedSince=%s returned an alert updated %v", since, a["updated"])
		}
	}
	if !hasOpen {
		t.Errorf("no open alert among %d recent partner alerts", len(recent))
	}
	// Times are rendered in the requested zone.
	pac := alertsOf(t, h, fmt.Sprintf("/v3/sites/%d/alerts?tz=US/Pacific", site.ID))
	if s := pac[0]["start"].(string); !strings.HasSuffix(s, "-08:00") && !strings.HasSuffix(s, "-07:00") {
		t.Errorf("US/Pacific start %s", s)
	}
}

func TestAlertsLineUpWithData(t *testing.T) {
	h := newHarness(t, nil)
	f := h.sim.Fleet()
	checked := map[string]int{}
	for _, site := range f.SitesOfPartner(DefaultPartnerID) {
		for _, c := range site.Components {
			for _, a := range h.sim.Alerts(c) {
				if a.End == nil || a.End.Sub(a.Start) < time.Hour || checked[a.AlertType] >= 3 {
					continue
				}
				rows := h.data(dataPath("components", c.ID, fieldFor(c), a.Start.Format(WallLayout), a.End.Format(WallLayout), "UTC", "15min"))
				for _, r := range rows {
					switch {
					case a.Gap:
						if len(r) != 2 {
							t.Errorf("%s on %d: bucket %v has data %v", a.AlertType, c.ID, r["ts"], r)
						}
					case a.OutputFactor == 0:
						if v, ok := r.num("W_max"); !ok || v != 0 {
							t.Errorf("%s on %d: %v W_max %v, want 0", a.AlertType, c.ID, r["ts"], r["W_max"])
						}
					}
				}
				if a.OutputFactor > 0 && !a.Gap {
					days := h.data(dataPath("components", c.ID, "PI_m_avg", a.Start.Truncate(24*time.Hour).Add(24*time.Hour).Format(WallLayout), a.End.Truncate(24*time.Hour).Format(WallLayout), "UTC", "daily"))
					for _, r := range days {
						if v, ok := r.num("PI_m_avg"); ok && v > a.OutputFactor*1.02+0.01 {
							t.Errorf("%s factor %.2f on %d: daily PI %.3f on %v", a.AlertType, a.OutputFactor, c.ID, v, r["ts"])
						}
					}
				}
				checked[a.AlertType]++
			}
		}
	}
	for _, typ := range []string{AlertZeroGeneration, AlertDeviceFault, AlertSystemDisconnect, AlertPerformanceIndex} {
		if checked[typ] == 0 {
			t.Errorf("no closed %s alert found to check against data", typ)
		}
	}
	// A disconnected meter leaves its inverters without data too.
	for _, site := range f.SitesOfPartner(DefaultPartnerID) {
		for _, m := range site.ComponentsOfType(NodeMeter) {
			for _, a := range h.sim.Alerts(m) {
				if a.End == nil || len(m.ChildIDs) == 0 {
					continue
				}
				rows := h.data(dataPath("components", m.ChildIDs[0], "W_avg", a.Start.Format(WallLayout), a.End.Format(WallLayout), "UTC", "15min"))
				for _, r := range rows {
					if len(r) != 2 {
						t.Fatalf("inverter under disconnected meter has data at %v", r["ts"])
					}
				}
				return
			}
		}
	}
}

func fieldFor(c *Component) string {
	if c.NodeType == NodeWeatherStation {
		return "POA_avg"
	}
	return "W_max"
}

func TestAlertFiltersAndRules(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	base := fmt.Sprintf("/v3/sites/%d/alerts?tz=UTC", site.ID)
	all := alertsOf(t, h, base)
	count := func(pred func(map[string]any) bool) int {
		n := 0
		for _, a := range all {
			if pred(a) {
				n++
			}
		}
		return n
	}
	byType := alertsOf(t, h, base+"&alertType=Device%20Fault,zero%20generation")
	if want := count(func(a map[string]any) bool {
		return a["alertType"] == AlertDeviceFault || a["alertType"] == AlertZeroGeneration
	}); len(byType) != want || want == 0 {
		t.Errorf("alertType filter: %d, want %d", len(byType), want)
	}
	closed := alertsOf(t, h, base+"&status=closed")
	if want := count(func(a map[string]any) bool { _, has := a["end"]; return has }); len(closed) != want {
		t.Errorf("status=closed: %d, want %d", len(closed), want)
	}
	low := alertsOf(t, h, base+"&priority=low,medium")
	if want := count(func(a map[string]any) bool { return a["priority"] != "High" }); len(low) != want {
		t.Errorf("priority filter: %d, want %d", len(low), want)
	}
	// openDuring keeps alerts open at some moment of the window.
	a0 := all[len(all)/2]
	st, _ := time.Parse(TSLayout, a0["start"].(string))
	win := alertsOf(t, h, base+"&openDuringMin="+st.Add(time.Minute).UTC().Format(WallLayout)+"&openDuringMax="+st.Add(2*time.Minute).UTC().Format(WallLayout))
	found := false
	for _, a := range win {
		found = found || a["id"] == a0["id"]
		s, _ := time.Parse(TSLayout, a["start"].(string))
		if s.After(st.Add(2 * time.Minute)) {
			t.Errorf("openDuring returned an alert starting %v after the window", a["start"])
		}
	}
	if !found {
		t.Errorf("openDuring around the start of alert %v missed it", a0["id"])
	}
	now := fixedNow.UTC()
	for _, c := range []struct{ q, want string }{
		{"", "tz is required"},
		{"tz=UTC", "need updatedSince"},
		{"tz=UTC&updatedSince=" + now.Add(-8*24*time.Hour).Format(WallLayout), "7 days"},
		{"tz=UTC&openDuringMin=2024-01-01T00:00:00&openDuringMax=2024-02-02T00:00:00", "31 days"},
		{"tz=UTC&openDuringMin=2024-01-01T00:00:00", "together"},
		{"tz=UTC&updatedSince=yesterday", "updatedSince"},
		{"tz=UTC&updatedSince=" + now.Add(-time.Hour).Format(WallLayout) + "&alertType=Meteor", "unknown alertType"},
		{"tz=UTC&updatedSince=" + now.Add(-time.Hour).Format(WallLayout) + "&status=maybe", "unknown status"},
		{"tz=UTC&updatedSince=" + now.Add(-time.Hour).Format(WallLayout) + "&priority=urgent", "unknown priority"},
	} {
		if msg := h.errorMessage("/v3/partners/4242/alerts?"+c.q, 400); !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q lacks %q", c.q, msg, c.want)
		}
	}
	ok := alertsOf(t, h, "/v3/partners/4242/alerts?tz=UTC&openDuringMin=2024-01-01T00:00:00&openDuringMax=2024-02-01T00:00:00")
	if len(ok) == 0 {
		t.Error("a 31-day openDuring window over the fleet found nothing")
	}
	// Site and component alerts have no window or age limit (the reference
	// limits only partner alerts): a window of years is one call with every
	// alert open in it, and updatedSince may be older than 7 days.
	lo, hi := now.AddDate(-3, 0, 0), now
	long := alertsOf(t, h, base+"&openDuringMin="+lo.Format(WallLayout)+"&openDuringMax="+hi.Format(WallLayout))
	if want := count(func(a map[string]any) bool {
		s, _ := time.Parse(TSLayout, a["start"].(string))
		e, err := time.Parse(TSLayout, fmt.Sprint(a["end"]))
		return !s.After(hi) && (err != nil || !e.Before(lo))
	}); len(long) != want || want == 0 {
		t.Errorf("site alerts over a 3-year openDuring window: %d, want %d", len(long), want)
	}
	comp := site.Components[0]
	for _, q := range []string{
		fmt.Sprintf("/v3/components/%d/alerts?tz=UTC&openDuringMin=%s&openDuringMax=%s", comp.ID, lo.Format(WallLayout), hi.Format(WallLayout)),
		fmt.Sprintf("/v3/components/%d/alerts?tz=UTC&updatedSince=%s", comp.ID, lo.Format(WallLayout)),
		base + "&updatedSince=" + lo.Format(WallLayout),
	} {
		if code, body := h.Get(q); code != 200 {
			t.Errorf("%s: %d %s, want 200 (no limit outside partner alerts)", q, code, body)
		}
	}
}

func TestZeroGenerationAlertsStartWhenGenerationIsExpected(t *testing.T) {
	h := newHarness(t, nil)
	n := 0
	for _, site := range h.sim.Fleet().SitesOfPartner(DefaultPartnerID) {
		for _, inv := range site.ComponentsOfType(NodeInverter) {
			for _, a := range h.sim.Alerts(inv) {
				if a.AlertType != AlertZeroGeneration || n >= 25 {
					continue
				}
				n++
				rows := h.data(dataPath("components", inv.ID, "W_m_avg,W_max", a.Start.Format(WallLayout), a.Start.Add(2*time.Hour).Format(WallLayout), "UTC", "hourly"))
				expected := 0.0
				for _, r := range rows {
					v, _ := r.num("W_m_avg")
					expected += v
					if mx, ok := r.num("W_max"); ok && mx != 0 && r.ts(t).Add(time.Hour).Before(a.End.Add(time.Second)) {
						t.Errorf("zero generation on %d at %v, but W_max %.1f", inv.ID, r["ts"], mx)
					}
				}
				if expected <= 0 {
					t.Errorf("zero generation alert on %d starting %s when no generation was expected", inv.ID, a.Start)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no zero generation alerts in the default fleet")
	}
}
