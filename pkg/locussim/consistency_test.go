package locussim

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func sumField(rows []dataRow, f string) float64 {
	s := 0.0
	for _, r := range rows {
		v, _ := r.num(f)
		s += v
	}
	return s
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestEnergyAddsUpAcrossGranularities(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	inv := site.ComponentsOfType(NodeInverter)[0]
	tz := site.Timezone
	day := h.data(dataPath("components", inv.ID, "Wh_sum", "2024-07-01T00:00:00", "2024-07-08T00:00:00", tz, "daily"))
	hourly := h.data(dataPath("components", inv.ID, "Wh_sum", "2024-07-01T00:00:00", "2024-07-08T00:00:00", tz, "hourly"))
	fiveMin := h.data(dataPath("components", inv.ID, "Wh_sum", "2024-07-01T00:00:00", "2024-07-08T00:00:00", tz, "5min"))
	oneMin := h.data(dataPath("components", inv.ID, "Wh_sum", "2024-07-01T00:00:00", "2024-07-03T00:00:00", tz, "1min"))
	if len(day) != 7 || len(hourly) != 168 || len(fiveMin) != 7*288 || len(oneMin) != 2*1440 {
		t.Fatalf("bucket counts %d %d %d %d", len(day), len(hourly), len(fiveMin), len(oneMin))
	}
	d, hr, fm := sumField(day, "Wh_sum"), sumField(hourly, "Wh_sum"), sumField(fiveMin, "Wh_sum")
	if d <= 0 || !near(d, hr, 0.001*168) || !near(d, fm, 0.001*2016) {
		t.Errorf("a week of Wh_sum: daily %.3f, hourly %.3f, 5min %.3f", d, hr, fm)
	}
	d2 := sumField(day[:2], "Wh_sum")
	if om := sumField(oneMin, "Wh_sum"); !near(d2, om, 0.001*2880) {
		t.Errorf("two days: daily %.3f, 1min %.3f", d2, om)
	}
	// Site energy is the meters' total; monthly is the days' total.
	siteDays := h.data(dataPath("sites", site.ID, "Wh_sum", "2024-07-01T00:00:00", "2024-08-01T00:00:00", tz, "daily"))
	month := h.data(dataPath("sites", site.ID, "Wh_sum", "2024-07-01T00:00:00", "2024-08-01T00:00:00", tz, "monthly"))
	sd, mo := sumField(siteDays, "Wh_sum"), sumField(month, "Wh_sum")
	if !near(sd, mo, 0.001*31) {
		t.Errorf("July: days %.3f, month %.3f", sd, mo)
	}
	meters := 0.0
	for _, m := range site.ComponentsOfType(NodeMeter) {
		meters += sumField(h.data(dataPath("components", m.ID, "Wh_sum", "2024-07-01T00:00:00", "2024-08-01T00:00:00", tz, "monthly")), "Wh_sum")
	}
	if !near(meters, mo, 0.01) {
		t.Errorf("July: meters %.3f, site %.3f", meters, mo)
	}
}

func TestPowerAggregatesAreOrderedAndPhysical(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	inv := site.ComponentsOfType(NodeInverter)[0]
	for _, gran := range []string{"5min", "hourly", "daily"} {
		rows := h.data(dataPath("components", inv.ID, "W_avg,W_max,W_min,Wh_sum,PF_max,VA_avg,A_avg", "2024-06-10T00:00:00", "2024-06-13T00:00:00", site.Timezone, gran))
		for _, r := range rows {
			avg, ok1 := r.num("W_avg")
			mx, ok2 := r.num("W_max")
			mn, ok3 := r.num("W_min")
			if !ok1 || !ok2 || !ok3 {
				continue // an outage
			}
			if mx+1e-6 < avg || avg+1e-6 < mn || mn < 0 {
				t.Errorf("%s %v: max %.3f avg %.3f min %.3f", gran, r["ts"], mx, avg, mn)
			}
			if mx > inv.ACCapacityW+1e-6 {
				t.Errorf("%s %v: W_max %.1f above the inverter's %.0f W rating", gran, r["ts"], mx, inv.ACCapacityW)
			}
			if pf, ok := r.num("PF_max"); ok && pf > 1 {
				t.Errorf("PF %.3f > 1", pf)
			}
			if va, ok := r.num("VA_avg"); ok && va+0.01 < avg {
				t.Errorf("%v: VA %.3f below W %.3f", r["ts"], va, avg)
			}
		}
	}
	// Night is zero; midday in June is well above zero.
	night := h.data(dataPath("components", inv.ID, "W_avg,W_max", "2024-06-11T00:00:00", "2024-06-11T04:00:00", site.Timezone, "hourly"))
	for _, r := range night {
		if mx, ok := r.num("W_max"); ok && mx != 0 {
			t.Errorf("night %v: W_max %.3f", r["ts"], mx)
		}
	}
	days := h.data(dataPath("components", inv.ID, "Wh_sum,W_max", "2024-06-01T00:00:00", "2024-07-01T00:00:00", site.Timezone, "daily"))
	best := 0.0
	for _, r := range days {
		v, _ := r.num("W_max")
		best = math.Max(best, v)
	}
	if best < 0.5*inv.ACCapacityW {
		t.Errorf("best June W_max %.0f, below half the %.0f W rating", best, inv.ACCapacityW)
	}
}

func TestWeatherStationAndSeasons(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeWeatherStation)
	ws := site.ComponentsOfType(NodeWeatherStation)[0]
	rows := h.data(dataPath("components", ws.ID, "POAh_sum,GHIh_sum,TmpAmb_avg,TmpBOM_max,POA_max,WndSpd_avg", "2024-01-01T00:00:00", "2025-01-01T00:00:00", site.Timezone, "monthly"))
	if len(rows) != 12 {
		t.Fatalf("months = %d", len(rows))
	}
	jan, _ := rows[0].num("GHIh_sum")
	jun, _ := rows[5].num("GHIh_sum")
	if !(jun > jan && jan > 0) {
		t.Errorf("GHI insolation: January %.0f, June %.0f Wh/m²", jan, jun)
	}
	for _, r := range rows {
		if poa, ok := r.num("POA_max"); ok && (poa <= 0 || poa > 1400) {
			t.Errorf("%v POA max %.0f W/m²", r["ts"], poa)
		}
		if ta, ok := r.num("TmpAmb_avg"); ok && (ta < -30 || ta > 45) {
			t.Errorf("%v ambient %.1f °C", r["ts"], ta)
		}
	}
}

func TestNoDataBeforeStartupOrAfterNow(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	inv := site.ComponentsOfType(NodeInverter)[0]
	loc := site.Location()
	s := site.Startup
	rows := h.data(dataPath("components", inv.ID, "Wh_sum,W_m_avg", s.AddDate(0, 0, -2).Format(WallLayout), s.AddDate(0, 0, 2).Format(WallLayout), site.Timezone, "daily"))
	if len(rows) != 4 {
		t.Fatalf("rows = %d", len(rows))
	}
	for i, r := range rows {
		_, has := r.num("Wh_sum")
		_, hasM := r.num("W_m_avg")
		if (i >= 2) != has || has != hasM {
			t.Errorf("%v (startup %s): Wh_sum present %v, W_m_avg present %v", r["ts"], site.Install.StartupDate, has, hasM)
		}
	}
	now := fixedNow.In(loc)
	rows = h.data(dataPath("components", inv.ID, "Wh_sum", now.Add(-2*time.Hour).Format(WallLayout), now.Add(3*time.Hour).Format(WallLayout), site.Timezone, "15min"))
	for _, r := range rows {
		_, has := r.num("Wh_sum")
		if r.ts(t).Before(fixedNow.Add(-15*time.Minute)) != has && r.ts(t).Before(fixedNow.Add(-15*time.Minute)) {
			t.Errorf("%v before now lacks data", r["ts"])
		}
		if !r.ts(t).Before(fixedNow) && has {
			t.Errorf("%v at or after now (%s) has data", r["ts"], fixedNow)
		}
	}
	if len(rows) != 20 {
		t.Errorf("future buckets must still be returned as id+ts: %d rows", len(rows))
	}
}

func TestLatestReturnsOnePoint(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	meter := site.ComponentsOfType(NodeMeter)[0]
	rows := h.data(fmt.Sprintf("/v3/components/%d/data?fields=W_avg,Wh_sum,Hz_avg&gran=latest&tz=UTC", meter.ID))
	if len(rows) != 1 {
		t.Fatalf("latest rows = %d", len(rows))
	}
	ts := rows[0].ts(t)
	if !ts.Before(fixedNow) || fixedNow.Sub(ts) > 7*24*time.Hour {
		t.Errorf("latest ts %s, now %s", ts, fixedNow)
	}
	hz, ok := rows[0].num("Hz_avg")
	if !ok || hz < 59.9 || hz > 60.1 {
		t.Errorf("latest Hz = %v", rows[0]["Hz_avg"])
	}
	// Frequency noise is centred on 60 Hz over a day.
	day := h.data(dataPath("components", meter.ID, "Hz_avg,Hz_min,Hz_max", "2024-06-01T00:00:00", "2024-06-02T00:00:00", "UTC", "daily"))
	avg, _ := day[0].num("Hz_avg")
	lo, _ := day[0].num("Hz_min")
	hi, _ := day[0].num("Hz_max")
	if math.Abs(avg-60) > 0.003 || lo >= 60 || hi <= 60 {
		t.Errorf("daily Hz avg %.4f min %.4f max %.4f", avg, lo, hi)
	}
	w, _ := rows[0].num("W_avg")
	wh, _ := rows[0].num("Wh_sum")
	if !near(wh, w/60, 0.002) {
		t.Errorf("latest minute: W %.3f, Wh %.3f", w, wh)
	}
}

func TestBulkData(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Sites = 160 })
	f := h.sim.Fleet()
	var noLoc, noComp *Site
	for _, s := range f.SitesOfPartner(DefaultPartnerID) {
		if !s.HasLocation && len(s.Components) > 0 && noLoc == nil {
			noLoc = s
		}
		if len(s.Components) == 0 && noComp == nil {
			noComp = s
		}
	}
	if noLoc == nil || noComp == nil {
		t.Fatalf("a 160-site fleet should hold a site without location (%v) and one without components (%v)", noLoc, noComp)
	}
	rows := h.data("/v3/partners/4242/sites/data?start=2024-04-01T00:00:00&end=2024-05-01T01:00:00&tz=US/Pacific&gran=monthly&fields=Wh_sum,GHIh_t_sum,EER_avg")
	perSite := map[int64][]dataRow{}
	for _, r := range rows {
		id := int64(r["id"].(float64))
		perSite[id] = append(perSite[id], r)
	}
	if len(perSite[noComp.ID]) != 0 {
		t.Errorf("site without components returned %d rows", len(perSite[noComp.ID]))
	}
	nl := perSite[noLoc.ID]
	if len(nl) != 2 {
		t.Fatalf("site without location: %d rows", len(nl))
	}
	if v, present := nl[0]["GHIh_t_sum"]; !present || v != nil {
		t.Errorf("GHIh_t_sum of a site without location = %v (present %v), want null", v, present)
	}
	for id, rs := range perSite {
		if len(rs) != 2 || rs[0]["ts"] != "2024-04-01T00:00:00-07:00" || rs[1]["ts"] != "2024-05-01T00:00:00-07:00" {
			t.Fatalf("site %d rows %v", id, rs)
		}
	}
	// Bulk Wh equals the site's own monthly data.
	s := h.siteWith(NodeInverter)
	site := h.data(dataPath("sites", s.ID, "Wh_sum", "2024-04-01T00:00:00", "2024-05-01T00:00:00", "US/Pacific", "monthly"))
	b, _ := perSite[s.ID][0].num("Wh_sum")
	if v, _ := site[0].num("Wh_sum"); !near(v, b, 0.01) || b <= 0 {
		t.Errorf("bulk Wh_sum %.3f, site data %.3f", b, v)
	}
	for _, c := range []struct{ q, want string }{
		{"start=2024-01-01T00:00:00&end=2025-01-01T00:00:01&tz=UTC&gran=monthly&fields=Wh_sum", "end can be at most 1 year after start"},
		{"start=2024-01-01T00:00:00&end=2024-02-01T00:00:00&tz=UTC&gran=daily&fields=Wh_sum", "only accepts gran=monthly"},
		{"start=2024-01-01T00:00:00&end=2024-02-01T00:00:00&tz=UTC&gran=monthly&fields=W_avg", "field W_avg is not available"},
	} {
		if msg := h.errorMessage("/v3/partners/4242/sites/data?"+c.q, 400); !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q", c.q, msg)
		}
	}
}

func TestBulkSpanOfExactlyOneYearIsAccepted(t *testing.T) {
	h := newHarness(t, nil)
	rows := h.data("/v3/partners/4242/sites/data?start=2024-01-01T00:00:00&end=2025-01-01T00:00:00&tz=UTC&gran=monthly&fields=Wh_sum,Wh_e_sum,EER_avg")
	if len(rows) != 12*DefaultSites {
		t.Errorf("rows = %d, want 12 per site", len(rows))
	}
	for _, r := range rows {
		eer, ok := r.num("EER_avg")
		if wh, _ := r.num("Wh_sum"); ok && wh > 0 && (eer < 0.3 || eer > 1.3) {
			t.Errorf("site %v %v: EER %.3f", r["id"], r["ts"], eer)
		}
	}
}
