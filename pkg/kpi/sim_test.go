package kpi_test

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/kpi"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// The simulator is the oracle: expected values are summed by hand here from
// its 1-minute series and its configured sizes, never through package kpi.

var simNow = time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)

// simClient is a raw client of a simulator at simNow.
type simClient struct {
	*testkit.RawClient
	t   *testing.T
	sim *locussim.Server
}

func newSim(t *testing.T) *simClient {
	t.Helper()
	sim := simkit.Start(t, func() time.Time { return simNow }, nil, nil)
	return &simClient{RawClient: testkit.Login(t, http.DefaultClient, sim.URL, simkit.MainAccount), t: t, sim: sim.Server}
}

// get GETs path and decodes its 200 answer into into.
func (c *simClient) get(path string, into any) {
	c.t.Helper()
	c.GetJSON(path, http.StatusOK, into)
}

// rows fetches data and returns its rows (field -> value, ts as string).
func (c *simClient) rows(kind string, id int64, fields string, start, end time.Time, gran string) []map[string]any {
	c.t.Helper()
	var body struct {
		Data []map[string]any `json:"data"`
	}
	c.get(fmt.Sprintf("/v3/%s/%d/data?fields=%s&start=%s&end=%s&tz=UTC&gran=%s", kind, id, fields,
		start.Format("2006-01-02T15:04:05"), end.Format("2006-01-02T15:04:05"), gran), &body)
	return body.Data
}

// sum adds a field over rows; n counts rows that had it.
func sum(rows []map[string]any, field string) (total float64, n int) {
	for _, r := range rows {
		if v, ok := r[field].(float64); ok {
			total += v
			n++
		}
	}
	return total, n
}

func (c *simClient) size(siteID int64) (float64, bool) {
	var m map[string]any
	c.get(fmt.Sprintf("/v3/sites/%d/modelsettings", siteID), &m)
	v, ok := m["size"].(float64)
	return v, ok
}

func near(t *testing.T, what string, got, want, relTol float64) {
	t.Helper()
	if math.Abs(got-want) > relTol*math.Max(math.Abs(want), 1e-9) {
		t.Errorf("%s = %.6g, want %.6g (rel tol %g)", what, got, want, relTol)
	}
}

// TestKPIsAgainstOneMinuteSeries computes each KPI from the coarse
// aggregates a query would use and compares it with the value summed by
// hand from the simulator's 1-minute series.
func TestKPIsAgainstOneMinuteSeries(t *testing.T) {
	c := newSim(t)
	fleet := c.sim.Fleet()
	site := fleet.FindSite(4242, func(s *locussim.Site) bool {
		return s.HasLocation && s.HasTypes(locussim.NodeInverter, locussim.NodeWeatherStation)
	})
	if site == nil {
		t.Fatal("no site with a weather station")
	}
	ws := site.ComponentsOfType(locussim.NodeWeatherStation)[0]
	day0 := time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC) // far from the anchored faults
	day1 := day0.AddDate(0, 0, 2)

	// Truth from 1-minute data, by hand.
	minW := c.rows("sites", site.ID, "Wh_sum,Wh_m_sum", day0, day1, "1min")
	minPOA := c.rows("components", ws.ID, "POA_avg", day0, day1, "1min")
	var eTrue, emTrue, hTrue float64
	for _, r := range minW {
		if v, ok := r["Wh_sum"].(float64); ok {
			eTrue += v
		}
		if v, ok := r["Wh_m_sum"].(float64); ok {
			emTrue += v
		}
	}
	hourPOA := map[string][2]float64{} // hour -> (sum W/m², minutes)
	hourE := map[string]float64{}
	for _, r := range minPOA {
		v, ok := r["POA_avg"].(float64)
		if !ok {
			continue
		}
		hTrue += v / 60 // W/m² over one minute -> Wh/m²
		h := r["ts"].(string)[:13]
		a := hourPOA[h]
		hourPOA[h] = [2]float64{a[0] + v, a[1] + 1}
	}
	for _, r := range minW {
		if v, ok := r["Wh_sum"].(float64); ok {
			hourE[r["ts"].(string)[:13]] += v
		}
	}
	if eTrue <= 0 || hTrue <= 0 || emTrue <= 0 {
		t.Fatalf("no sun in the test window: E=%g H=%g Em=%g", eTrue, hTrue, emTrue)
	}
	size := site.SizeKW // the simulator's configured size
	yfTrue := eTrue / 1000 / size
	prTrue := yfTrue / (hTrue / 1000)
	piTrue := eTrue / emTrue

	// KPIs from daily and hourly aggregates through package kpi.
	apiSize, ok := c.size(site.ID)
	if !ok || apiSize != size {
		t.Fatalf("modelsettings size = %v (present %v), configured %v", apiSize, ok, size)
	}
	daily := c.rows("sites", site.ID, "Wh_sum,Wh_m_sum", day0, day1, "daily")
	dailyWS := c.rows("components", ws.ID, "POAh_sum", day0, day1, "daily")
	e, _ := sum(daily, "Wh_sum")
	em, _ := sum(daily, "Wh_m_sum")
	h, _ := sum(dailyWS, "POAh_sum")
	yf, err := kpi.SpecificYield(e, apiSize)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "specific yield (kWh/kWp)", yf, yfTrue, 1e-6)
	pr, err := kpi.PerformanceRatio(e, apiSize, h)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "performance ratio (measured POA)", pr, prTrue, 1e-6)
	if pr < 0.6 || pr > 0.95 {
		t.Errorf("PR of a healthy site over two days = %.3f, outside 0.6..0.95", pr)
	}
	pi, err := kpi.PerformanceIndex(e, em)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "performance index", pi, piTrue, 1e-6)

	// Normalised power of one hour: hourly W_avg vs the hour's 1-minute energy by hand.
	hourly := c.rows("sites", site.ID, "W_avg,Wh_sum", day0, day1, "hourly")
	checked := 0
	for _, r := range hourly {
		w, ok := r["W_avg"].(float64)
		if !ok || w <= 0 {
			continue
		}
		np, err := kpi.NormalisedPower(w, apiSize)
		if err != nil {
			t.Fatal(err)
		}
		// A full hour's average power equals its energy in Wh.
		near(t, "normalised power at "+r["ts"].(string), np, hourE[r["ts"].(string)[:13]]/size, 1e-6)
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d sunny hours checked", checked)
	}

	// Availability over hourly buckets vs the hand count from minutes.
	hourlyWS := c.rows("components", ws.ID, "POA_avg", day0, day1, "hourly")
	poaOf := map[string]float64{}
	for _, r := range hourlyWS {
		if v, ok := r["POA_avg"].(float64); ok {
			poaOf[r["ts"].(string)[:13]] = v
		}
	}
	var ivs []kpi.Interval
	for _, r := range hourly {
		iv := kpi.Interval{POA: math.NaN(), EnergyWh: math.NaN()}
		if v, ok := poaOf[r["ts"].(string)[:13]]; ok {
			iv.POA = v
		}
		if v, ok := r["Wh_sum"].(float64); ok {
			iv.EnergyWh = v
		}
		ivs = append(ivs, iv)
	}
	av, nDay, err := kpi.Availability(ivs, kpi.DefaultAvailabilityThreshold)
	if err != nil {
		t.Fatal(err)
	}
	wantDay, wantProd := 0, 0
	for hr, a := range hourPOA {
		if a[0]/a[1] >= 50 {
			wantDay++
			if hourE[hr] > 0 {
				wantProd++
			}
		}
	}
	if nDay != wantDay {
		t.Errorf("daylight hours = %d, hand count %d", nDay, wantDay)
	}
	near(t, "availability", av, float64(wantProd)/float64(wantDay), 1e-9)

	// Modelled POA (for sites without a sensor) agrees with the sensor within
	// the satellite model's error.
	modelled := c.rows("sites", site.ID, "POAh_m_sum", day0, day1, "daily")
	hm, n := sum(modelled, "POAh_m_sum")
	if n != 2 {
		t.Fatalf("POAh_m_sum rows with values = %d, want 2", n)
	}
	near(t, "modelled vs measured POA insolation", hm, h, 0.03)
}

// TestMissingInputsAreNamed: a site without size gets a notice naming it.
func TestMissingInputsAreNamed(t *testing.T) {
	var noSize *locussim.Site
	cfg := locussim.DefaultConfig()
	cfg.Sites = 200
	cfg.Now = func() time.Time { return simNow }
	big := locussim.New(cfg)
	for _, s := range big.Fleet().SitesOfPartner(4242) {
		if s.Model.Size == nil {
			noSize = s
			break
		}
	}
	if noSize == nil {
		t.Fatal("no site without size in 200")
	}
	// The API omits size for such a site; the caller passes NaN.
	_, err := kpi.SpecificYield(1000, math.NaN())
	var me *kpi.MissingError
	if !errors.As(err, &me) || !strings.Contains(me.Error(), "modelsettings size") {
		t.Fatalf("SpecificYield of site %d without size: %v", noSize.ID, err)
	}
	if _, err := kpi.PerformanceRatio(1000, 10, 0); err == nil {
		t.Error("PR at night must be missing, got a value")
	}
	if _, _, err := kpi.Availability([]kpi.Interval{{POA: 10, EnergyWh: 5}}, 50); err == nil {
		t.Error("availability without daylight must be missing")
	}
}

// TestFleetYieldAndPRRanges: annual specific yield of every site of the
// demo fleet in 900..2200 kWh/kWp and PR 0.70..0.90 (modelled POA) over the
// last full calendar year.
func TestFleetYieldAndPRRanges(t *testing.T) {
	c := newSim(t)
	y0, y1 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	checked := 0
	for _, s := range c.sim.Fleet().SitesOfPartner(4242) {
		if s.Model.Size == nil || !s.HasLocation || !s.Startup.Before(y0) {
			continue
		}
		rows := c.rows("sites", s.ID, "Wh_sum,POAh_m_sum", y0, y1, "monthly")
		e, n := sum(rows, "Wh_sum")
		h, _ := sum(rows, "POAh_m_sum")
		if n != 12 {
			t.Fatalf("site %d: %d months with energy", s.ID, n)
		}
		yf := e / 1000 / s.SizeKW
		pr := yf / (h / 1000)
		if yf < 900 || yf > 2200 {
			t.Errorf("site %d (%s, %s): annual specific yield %.0f kWh/kWp outside 900..2200", s.ID, s.Name, s.Class, yf)
		}
		if pr < 0.70 || pr > 0.90 {
			t.Errorf("site %d (%s): annual PR %.3f outside 0.70..0.90", s.ID, s.Name, pr)
		}
		checked++
	}
	if checked < 6 {
		t.Fatalf("only %d sites checked", checked)
	}
}

// TestUnderperformersRankLast: over its fault period each known
// underperformer has the lowest performance index (measured ÷ modelled
// energy, summed by hand from daily data) of the sites not faulted then,
// and its known effect shows.
func TestUnderperformersRankLast(t *testing.T) {
	c := newSim(t)
	under := c.sim.Underperformers()
	kinds := map[string]bool{}
	for _, u := range under {
		kinds[u.Kind] = true
	}
	for _, k := range []string{locussim.FaultSoiling, locussim.FaultFailedString, locussim.FaultClipping, locussim.FaultOutage} {
		if !kinds[k] {
			t.Fatalf("default fleet lacks a %s underperformer: %+v", k, under)
		}
	}
	faulted := map[int64]bool{}
	for _, u := range under {
		faulted[u.SiteID] = true
	}
	for _, u := range under {
		type ranked struct {
			id int64
			pi float64
		}
		var list []ranked
		for _, s := range c.sim.Fleet().SitesOfPartner(4242) {
			if len(s.Components) == 0 || (faulted[s.ID] && s.ID != u.SiteID) {
				continue
			}
			rows := c.rows("sites", s.ID, "Wh_sum,Wh_m_sum", u.Start, u.End, "daily")
			e, _ := sum(rows, "Wh_sum")
			em, _ := sum(rows, "Wh_m_sum")
			if em <= 0 {
				continue
			}
			list = append(list, ranked{s.ID, e / em})
		}
		sort.Slice(list, func(i, j int) bool { return list[i].pi < list[j].pi })
		if len(list) < 5 || list[0].id != u.SiteID {
			t.Errorf("%s site %d over %s..%s is not last: %+v", u.Kind, u.SiteID, u.Start.Format("01-02"), u.End.Format("01-02"), list)
			continue
		}
		pi := list[0].pi
		switch u.Kind {
		case locussim.FaultOutage:
			if pi != 0 {
				t.Errorf("outage PI = %g, want 0", pi)
			}
		case locussim.FaultClipping:
			if pi > 0.9 {
				t.Errorf("clipping PI = %g, want a visible loss", pi)
			}
		default: // factor × the site's health (0.90..1)
			if pi > u.OutputFactor*1.0 || pi < u.OutputFactor*0.88 {
				t.Errorf("%s PI = %.3f, want factor %.2f × health", u.Kind, pi, u.OutputFactor)
			}
		}
		t.Logf("%s site %d: PI %.3f; next %.3f", u.Kind, u.SiteID, pi, list[1].pi)
	}
}
