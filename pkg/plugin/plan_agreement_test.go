package plugin

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

var (
	planSeed  = flag.Uint64("plan-seed", 10, "seed of the /plan agreement test")
	planCases = flag.Int("plan-cases", 100, "cases of the /plan agreement test")
)

// planNow is the clock of the agreement test (the simulator's and the
// engine's), so the hint and the query plan the same range.
var planNow = time.Date(2025, 12, 1, 18, 7, 30, 0, time.UTC)

// planEntity is an entity of the agreement test with fields it offers.
type planEntity struct {
	site   *locussim.Site
	comp   *locussim.Component
	fields [][]string
}

// TestPlanAgreesWithTheExecutedQuery asks /plan, then runs the same query
// on a cold cache, for seeded random cases (every zone of the demo fleet,
// sites and components, Grafana's relative ranges in viewer zones other
// than the site's, ranges reaching past now, every zone mode, explicit
// granularities and Auto with maxDataPoints 1..2000, ranges needing more
// than 100 requests). The hint and the query agree on the granularity, the
// zone and the number of upstream data requests the simulator counts, or
// on the error. A failing case prints its query; rerun it with -plan-seed
// and -plan-cases.
func TestPlanAgreesWithTheExecutedQuery(t *testing.T) {
	cfg := locussim.DefaultConfig()
	cfg.Now = func() time.Time { return planNow }
	sim, base := simkit.Serve(t, cfg, nil)
	var ents []*planEntity
	zones := map[string]bool{}
	for _, s := range sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		if zones[s.Timezone] {
			continue
		}
		zones[s.Timezone] = true
		ents = append(ents, &planEntity{site: s, fields: [][]string{{"Wh_sum"}, {"W_avg", "Wh_sum"}, {"W_avg", "W_m_avg"}}})
		for _, c := range s.ComponentsOfType(locussim.NodeInverter) {
			ents = append(ents, &planEntity{site: s, comp: c, fields: [][]string{{"W_avg"}, {"Wh_sum", "W_avg"}}})
			break
		}
	}
	if len(zones) < 4 {
		t.Fatalf("the demo fleet has only zones %v", zones)
	}
	viewers := []string{"Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "UTC", "America/Sao_Paulo", "Asia/Kathmandu", "Pacific/Honolulu"}
	grans := []string{"auto", "auto", "auto", "1min", "5min", "15min", "hourly", "daily", "monthly", "yearly"}
	rng := rand.New(rand.NewPCG(*planSeed, 0))
	failures, refused := 0, 0
	for i := 0; i < *planCases && failures < 5; i++ {
		en := ents[rng.IntN(len(ents))]
		viewer, _ := time.LoadLocation(viewers[rng.IntN(len(viewers))])
		from, to, what := testkit.RandomPanelRange(rng, planNow, viewer, 60*24*time.Hour, true)
		model := map[string]any{"refId": "A", "queryType": "timeseries", "fields": en.fields[rng.IntN(len(en.fields))],
			"granularity": grans[rng.IntN(len(grans))]}
		if en.comp != nil {
			model["entityType"], model["siteId"], model["componentId"] = "component", fmt.Sprint(en.site.ID), fmt.Sprint(en.comp.ID)
		} else {
			model["siteId"] = fmt.Sprint(en.site.ID)
		}
		switch rng.IntN(5) {
		case 1:
			model["timeZoneMode"] = "utc"
		case 2:
			model["timeZoneMode"], model["timeZone"] = "named", viewer.String()
		case 3:
			model["timeZoneMode"], model["timeZone"] = "dashboard", viewer.String()
		case 4:
			model["timeZoneMode"], model["timeZone"] = "dashboard", "browser"
		}
		maxDP := int64(1 + rng.IntN(2000))
		interval := max(to.Sub(from)/time.Duration(maxDP), time.Millisecond).Truncate(time.Millisecond)
		js, _ := json.Marshal(model)
		desc := fmt.Sprintf("case %d (%s in %s, site zone %s): query %s from %s to %s intervalMs %d maxDataPoints %d", i, what, viewer,
			en.site.Timezone, js, from.UTC().Format(time.RFC3339Nano), to.UTC().Format(time.RFC3339Nano), interval.Milliseconds(), maxDP)
		msg, wasRefused := checkPlanCase(t, sim, base, js, from, to, interval, maxDP)
		if wasRefused {
			refused++
		}
		if msg != "" {
			failures++
			t.Errorf("%s: %s", desc, msg)
		}
	}
	t.Logf("%d cases over %d entities in %d zones (%d refused by both), seed %d", *planCases, len(ents), len(zones), refused, *planSeed)
	if refused == 0 || refused > *planCases/2 {
		t.Errorf("%d of %d cases were refused: the cases should mostly run, and some be refused", refused, *planCases)
	}
}

// checkPlanCase asks /plan and runs the query on a fresh instance (a cold
// cache) and returns what disagrees ("" when nothing), and whether both
// refused the query.
func checkPlanCase(t *testing.T, sim *locussim.Server, base string, js []byte, from, to time.Time, interval time.Duration, maxDP int64) (string, bool) {
	t.Helper()
	d := fixedNowInstance(base, planNow)
	defer d.Dispose()
	status, body, _ := callResource(t, d, "GET", fmt.Sprintf("/plan?from=%d&to=%d&intervalMs=%d&maxDataPoints=%d&queries=%s",
		from.UnixMilli(), to.UnixMilli(), interval.Milliseconds(), maxDP, url.QueryEscape("["+string(js)+"]")))
	if status != 200 {
		return fmt.Sprintf("/plan answered %d: %s", status, errorText(body)), false
	}
	raw, _ := json.Marshal(body)
	var p query.QueryPlan
	if err := json.Unmarshal(raw, &p); err != nil {
		return "plan: " + err.Error(), false
	}
	sim.ResetStats()
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: js, Interval: interval, MaxDataPoints: maxDP, TimeRange: backend.TimeRange{From: from.Truncate(time.Millisecond), To: to.Truncate(time.Millisecond)},
	}}})
	if err != nil {
		return "QueryData: " + err.Error(), false
	}
	st := sim.Stats()
	calls := st.Count("GET /v3/sites/{id}/data") + st.Count("GET /v3/components/{id}/data")
	r := resp.Responses["A"]
	if r.Error != nil || p.Error != "" {
		switch {
		case r.Error == nil:
			return fmt.Sprintf("the plan says %q (status %d) but the query ran", p.Error, p.Status), false
		case p.Error == "":
			return fmt.Sprintf("the query failed with %q but the plan (%+v) did not say so", r.Error, p.Entities), false
		case p.Error != r.Error.Error() || p.Status != int(r.Status):
			return fmt.Sprintf("the plan says %q (%d), the query failed with %q (%d)", p.Error, p.Status, r.Error, r.Status), false
		case calls != 0:
			return fmt.Sprintf("the refused query sent %d data requests", calls), true
		}
		return "", true
	}
	if len(r.Frames) == 0 || len(p.Entities) != 1 {
		return fmt.Sprintf("the query returned %d frames, the plan has %d entities", len(r.Frames), len(p.Entities)), false
	}
	e := p.Entities[0]
	var problems []string
	for _, f := range r.Frames {
		c, isCustom := f.Meta.Custom.(query.Custom)
		if !isCustom {
			return fmt.Sprintf("frame meta custom is %T", f.Meta.Custom), false
		}
		if c.Granularity != e.Granularity || c.TZ != e.TimeZone {
			problems = append(problems, fmt.Sprintf("the query ran at %q in %q, the plan says %q in %q", c.Granularity, c.TZ, e.Granularity, e.TimeZone))
			break
		}
	}
	if calls != p.Requests || calls != e.Requests {
		problems = append(problems, fmt.Sprintf("the simulator served %d data requests, the plan says %d (entity %d)", calls, p.Requests, e.Requests))
	}
	return strings.Join(problems, "; "), false
}
