package distribution

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// ruleResult is one evaluation of a rule: every refId's numbers, the
// condition's, and the labels of each instance.
type ruleResult struct {
	refs      map[string]numbers
	condition numbers
	labels    map[string]data.Labels
}

// evaluateRule evaluates a provisioned rule as Grafana would at instant at:
// each Locus query through the plugin's QueryData (FromAlert, relative time
// range resolved against at), then the expressions.
func evaluateRule(t *testing.T, b *demoBackend, r alertRule, at time.Time) ruleResult {
	t.Helper()
	res := ruleResult{refs: map[string]numbers{}, labels: map[string]data.Labels{}}
	series := map[string]map[string][]*float64{}
	for _, q := range r.Data {
		if q.DatasourceUID != demoUID {
			continue
		}
		tr := backend.TimeRange{From: at.Add(-time.Duration(q.RelativeTimeRange.From) * time.Second), To: at.Add(-time.Duration(q.RelativeTimeRange.To) * time.Second)}
		resp := b.query(q.Model, tr, 43200, true)
		if resp.Error != nil {
			t.Fatalf("rule %q query %s at %s: %v", r.Title, q.RefID, at.Format(time.RFC3339), resp.Error)
		}
		series[q.RefID] = map[string][]*float64{}
		for _, f := range resp.Frames {
			for _, field := range f.Fields {
				if !field.Type().Numeric() {
					continue
				}
				key := field.Labels.String()
				if _, dup := series[q.RefID][key]; dup {
					t.Fatalf("rule %q query %s: two series with labels %s: alert instances would collide", r.Title, q.RefID, key)
				}
				vals := make([]*float64, field.Len())
				for i := range vals {
					if v, ok := field.ConcreteAt(i); ok {
						x := toFloat(v)
						vals[i] = &x
					}
				}
				series[q.RefID][key] = vals
				res.labels[key] = field.Labels
			}
		}
	}
	// Expressions, in order (each reads earlier refIds).
	for _, q := range r.Data {
		if q.DatasourceUID != exprUID {
			continue
		}
		var out numbers
		var err error
		switch q.Model["type"] {
		case "reduce":
			set := reduceSettings{}
			if s, ok := q.Model["settings"].(map[string]any); ok {
				set.Mode = fmt.Sprint(s["mode"])
				if v, ok := s["replaceWithValue"]; ok {
					set.ReplaceWithValue = toFloat(v)
				}
			}
			out, err = reduceSeries(series[fmt.Sprint(q.Model["expression"])], fmt.Sprint(q.Model["reducer"]), set)
		case "math":
			var unmatched []string
			out, unmatched, err = evalMath(fmt.Sprint(q.Model["expression"]), res.refs)
			if len(unmatched) > 0 {
				t.Errorf("rule %q: math %s cannot join series %v across its inputs: their labels differ", r.Title, q.RefID, unmatched)
			}
		case "threshold":
			conds, _ := q.Model["conditions"].([]any)
			if len(conds) != 1 {
				t.Fatalf("rule %q: threshold %s needs exactly one condition", r.Title, q.RefID)
			}
			ev := conds[0].(map[string]any)["evaluator"].(map[string]any)
			var params []float64
			for _, p := range ev["params"].([]any) {
				params = append(params, toFloat(p))
			}
			out, err = threshold(res.refs[fmt.Sprint(q.Model["expression"])], fmt.Sprint(ev["type"]), params)
		default:
			t.Fatalf("rule %q: expression type %v is not evaluated by this test", r.Title, q.Model["type"])
		}
		if err != nil {
			t.Fatalf("rule %q expression %s: %v", r.Title, q.RefID, err)
		}
		res.refs[q.RefID] = out
	}
	res.condition = res.refs[r.Condition]
	return res
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	}
	f, _ := strconv.ParseFloat(fmt.Sprint(v), 64)
	return f
}

// ruleSiteIDs lists the site ids a rule's Locus queries ask for.
func ruleSiteIDs(r alertRule) []string {
	var ids []string
	for _, q := range r.Data {
		if q.DatasourceUID == demoUID {
			for _, id := range strings.Split(fmt.Sprint(q.Model["siteId"]), ",") {
				if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
	}
	return ids
}

// TestAlertRuleGivesOneInstancePerSite evaluates every provisioned rule now
// through the demo backend: no errors, one instance per site with the site's
// labels, every condition value 0 or 1.
func TestAlertRuleGivesOneInstancePerSite(t *testing.T) {
	for name, start := range backends {
		t.Run(name, func(t *testing.T) { alertRuleInstances(t, start(t)) })
	}
}

func alertRuleInstances(t *testing.T, b *demoBackend) {
	var sites struct {
		Sites []struct {
			ID int64 `json:"id"`
		} `json:"sites"`
	}
	b.resource("sites", nil, &sites)
	for _, r := range loadAlertRules(t) {
		ids := ruleSiteIDs(r)
		for _, id := range ids {
			if !slices.ContainsFunc(sites.Sites, func(s struct {
				ID int64 `json:"id"`
			}) bool {
				return fmt.Sprint(s.ID) == id
			}) {
				t.Errorf("rule %q asks for site %s, which the demo fleet does not have", r.Title, id)
			}
		}
		res := evaluateRule(t, b, r, time.Now())
		if len(res.condition) != len(ids) {
			t.Errorf("rule %q: %d alert instances, want one per site (%d)", r.Title, len(res.condition), len(ids))
		}
		seen := map[string]bool{}
		for key, v := range res.condition {
			l := res.labels[key]
			if l["site"] == "" || l["site_id"] == "" {
				t.Errorf("rule %q: instance %s lacks the site and site_id labels", r.Title, key)
			}
			if seen[l["site_id"]] {
				t.Errorf("rule %q: two instances for site %s", r.Title, l["site_id"])
			}
			seen[l["site_id"]] = true
			if v != 0 && v != 1 {
				t.Errorf("rule %q: instance %s evaluates to %v, want 0 or 1 (NaN would make Grafana report an error or fire)", r.Title, key, v)
			}
		}
	}
}

// alertWindow is a Locus alert's site and period.
type alertWindow struct {
	siteID     string
	alertType  string
	start, end time.Time
}

// zeroOutputAlerts lists the demo's Zero Generation and Device Fault alerts
// (the faults that stop an inverter) of the given sites over the last year.
func zeroOutputAlerts(t *testing.T, b *demoBackend, siteIDs []string, now time.Time) []alertWindow {
	t.Helper()
	var out []alertWindow
	for _, site := range siteIDs {
		q := map[string]any{"refId": "Z", "queryType": "alerts", "scope": "site", "siteId": site, "alertTypes": []any{"Zero Generation", "Device Fault"}}
		resp := b.query(q, backend.TimeRange{From: now.AddDate(-1, 0, 0), To: now}, 1000, false)
		if resp.Error != nil {
			t.Fatalf("alerts of site %s: %v", site, resp.Error)
		}
		for _, f := range resp.Frames {
			start, end, typ := fieldByName(f, "time"), fieldByName(f, "timeEnd"), fieldByName(f, "alertType")
			if start == nil || end == nil || typ == nil {
				t.Fatalf("alerts frame lacks time, timeEnd or alertType")
			}
			for i := 0; i < start.Len(); i++ {
				out = append(out, alertWindow{site, fmt.Sprint(typ.At(i)), start.At(i).(time.Time), end.At(i).(time.Time)})
			}
		}
	}
	return out
}

// singleInverterSites are the demo sites whose one inverter makes the whole
// site's output: an inverter fault there is zero generation of the site.
func singleInverterSites(t *testing.T, b *demoBackend, ids []string) []string {
	t.Helper()
	var out []string
	for _, id := range ids {
		var body struct {
			Components []struct {
				NodeType string `json:"nodeType"`
			} `json:"components"`
		}
		b.resource("sites/"+id+"/components", nil, &body)
		n := 0
		for _, c := range body.Components {
			if c.NodeType == "INVERTER" {
				n++
			}
		}
		if n == 1 {
			out = append(out, id)
		}
	}
	return out
}

// TestZeroGenerationRuleFiresOnDaylightOutages replays the example rule at
// past instants when a single-inverter demo site had an inverter outage
// (a Locus Zero Generation or Device Fault alert) while the same hour of the
// day before was producing: the rule must fire for that site. And wherever
// the rule fires, the site must have such an outage: no false alarms.
func TestZeroGenerationRuleFiresOnDaylightOutages(t *testing.T) {
	b := newDemoBackend(t)
	rules := loadAlertRules(t)
	idx := slices.IndexFunc(rules, func(r alertRule) bool { return r.UID == "locus-zero-generation-daylight" })
	if idx < 0 {
		t.Fatal("rule locus-zero-generation-daylight is not provisioned")
	}
	r := rules[idx]
	now := time.Now().UTC().Truncate(15 * time.Minute)
	siteIDs := ruleSiteIDs(r)
	candidates := zeroOutputAlerts(t, b, singleInverterSites(t, b, siteIDs), now)
	allOutages := zeroOutputAlerts(t, b, siteIDs, now)
	covered := func(site string, from, to time.Time) bool {
		return slices.ContainsFunc(allOutages, func(a alertWindow) bool {
			return a.siteID == site && !a.start.After(from) && !a.end.Before(to)
		})
	}
	confirmed, evaluations := 0, 0
	for _, a := range candidates {
		if confirmed >= 3 {
			break
		}
		// Instants one hour or more into the outage, while it lasts.
		for at := a.start.Add(75 * time.Minute).Truncate(15 * time.Minute); !at.After(a.end) && !at.After(now) && at.Before(a.start.Add(36*time.Hour)); at = at.Add(time.Hour) {
			res := evaluateRule(t, b, r, at)
			evaluations++
			for key, v := range res.condition {
				if v == 1 && !covered(res.labels[key]["site_id"], at.Add(-time.Hour), at) {
					t.Errorf("rule fired at %s for site %s, which had no inverter outage then (false alarm)", at.Format(time.RFC3339), res.labels[key]["site_id"])
				}
			}
			key := ""
			for k, l := range res.labels {
				if l["site_id"] == a.siteID {
					key = k
				}
			}
			if key == "" {
				t.Fatalf("no instance for site %s at %s", a.siteID, at)
			}
			daylight := res.refs["PEAK_YESTERDAY"][key] > 100
			if !daylight || a.end.Before(at) {
				continue
			}
			if res.condition[key] != 1 {
				t.Errorf("site %s: %s alert %s..%s, yesterday's peak at this hour %.0f W, now %.1f W: the rule did not fire at %s",
					a.siteID, a.alertType, a.start.Format(time.RFC3339), a.end.Format(time.RFC3339), res.refs["PEAK_YESTERDAY"][key], res.refs["PEAK_NOW"][key], at.Format(time.RFC3339))
			}
			confirmed++
			break
		}
	}
	t.Logf("%d outage alerts on single-inverter sites, %d rule evaluations, %d daylight outages confirmed", len(candidates), evaluations, confirmed)
	if confirmed == 0 {
		t.Fatalf("the demo's last year has no daylight outage on a single-inverter site to check the rule against (%d candidates)", len(candidates))
	}
}

// TestPerformanceIndexRuleFiresOnUnderperformers evaluates the example
// "performance index below 0.8 for 3 days" rule now against the demo,
// whose simulator places known underperformers (a failed string, soiling,
// a power limit, an outage) around its start: it must fire for at least
// the failed string, soiling and outage sites (all their days are below
// 0.8 by construction), and every site it fires for must have a Locus
// alert of a kind that reduces output open during the window.
func TestPerformanceIndexRuleFiresOnUnderperformers(t *testing.T) {
	b := newDemoBackend(t)
	rules := loadAlertRules(t)
	idx := slices.IndexFunc(rules, func(r alertRule) bool { return r.UID == "locus-performance-index-low" })
	if idx < 0 {
		t.Fatal("rule locus-performance-index-low is not provisioned")
	}
	now := time.Now().UTC()
	// The demo runs the default simulator from now: the same fleet and
	// underperformers as this one.
	cfg := locussim.DefaultConfig()
	cfg.Now = func() time.Time { return now }
	must := map[string]string{}
	for _, u := range locussim.New(cfg).Underperformers() {
		if u.Kind != locussim.FaultClipping { // clipping loses little on cloudy days
			must[fmt.Sprint(u.SiteID)] = u.Kind
		}
	}
	if len(must) != 3 {
		t.Fatalf("the demo fleet has %d non-clipping underperformers, want 3", len(must))
	}
	res := evaluateRule(t, b, rules[idx], now)
	fired := 0
	for key, v := range res.condition {
		if v != 1 {
			continue
		}
		fired++
		site := res.labels[key]["site_id"]
		q := map[string]any{"refId": "Z", "queryType": "alerts", "scope": "site", "siteId": site,
			"alertTypes": []any{"Performance Index", "Strings Performance", "Zero Generation", "Device Fault", "System Disconnect"}}
		resp := b.query(q, backend.TimeRange{From: now.Add(-72 * time.Hour), To: now}, 1000, false)
		if resp.Error != nil {
			t.Fatalf("alerts of site %s: %v", site, resp.Error)
		}
		rows := 0
		for _, f := range resp.Frames {
			n, _ := f.RowLen()
			rows += n
		}
		if rows == 0 {
			t.Errorf("rule fired for site %s (best day PI %.3f) without any output-reducing Locus alert in the window (false alarm)", site, res.refs["BEST_DAY"][key])
		}
		t.Logf("fired: site %s (%s), best day PI %.3f, %d alerts", site, res.labels[key]["site"], res.refs["BEST_DAY"][key], rows)
		delete(must, site)
	}
	for site, kind := range must {
		t.Errorf("the rule did not fire for site %s, the demo's %s underperformer", site, kind)
	}
	t.Logf("fired for %d sites", fired)
}
