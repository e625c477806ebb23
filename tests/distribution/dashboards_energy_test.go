package distribution

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// TestStatPanelsShowTheRangesEnergy runs every time series query of the
// bundled dashboards' stat panels whose fields are all sums (energy,
// insolation) over the ranges those dashboards offer (their own default
// range and Grafana's usual quick ranges), through the plugin in-process
// and the built binary, and checks that the sum of the returned values
// (what the stat's "sum" reduction shows) is the field's total over the
// range from the demo simulator's own 1-minute series. The demo's clock is
// the wall clock, so the oracle is taken at the instants just before and
// just after the query, and the answer must lie between them.
func TestStatPanelsShowTheRangesEnergy(t *testing.T) {
	for name, start := range backends {
		t.Run(name, func(t *testing.T) { checkStatEnergy(t, start(t)) })
	}
}

func checkStatEnergy(t *testing.T, b *demoBackend) {
	// The simulator places its anchored alerts and known underperformers
	// relative to its start, so the oracle starts now, like the demo just
	// started by the backend (the same UTC day and quarter-hour).
	simNow := time.Now()
	cfg := locussim.DefaultConfig()
	cfg.Now = func() time.Time { return simNow }
	oracle := locussim.New(cfg)
	oracle.Fleet() // places the events at this anchor
	checked := 0
	for _, file := range provisionedDashboards(t) {
		b.t = t
		var d dashboard
		readJSON(t, file, &d)
		vars := resolveVariables(t, b, file, d)
		for _, run := range expandRepeats(d, vars) {
			if run.panel.Type != "stat" {
				continue
			}
			for _, target := range run.panel.Targets {
				q := interpolateModel(target, run.vars)
				fields := sumFields(q)
				if q["queryType"] != "timeseries" || fields == nil {
					continue
				}
				for _, rg := range offeredRanges(t, d, run.panel) {
					where := fmt.Sprintf("%s / %q %v over %s", d.Title, run.title, q["refId"], rg.name)
					before := time.Now()
					resp := b.query(q, rg.tr, int64(run.panel.GridPos.W)*1600/24, false)
					after := time.Now()
					if resp.Error != nil {
						t.Errorf("%s: %v", where, resp.Error)
						continue
					}
					for _, f := range resp.Frames {
						field, id, got := frameTotal(t, where, f, rg.tr)
						site, comp := entityOf(t, oracle, q, id)
						simNow = before
						lo := oracleTotal(t, oracle, site, comp, field, rg.tr)
						simNow = after.Add(time.Minute)
						hi := oracleTotal(t, oracle, site, comp, field, rg.tr)
						tol := 1e-9*math.Abs(hi) + 0.5
						t.Logf("%s: %s of %d = %.3f (oracle %.3f..%.3f)", where, field, id, got, lo, hi)
						if got < lo-tol || got > hi+tol || hi <= 0 {
							t.Errorf("%s: %s of %d sums to %.3f, the energy in the range is %.3f..%.3f (simulator's minutes)", where, field, id, got, lo, hi)
						}
						checked++
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no stat panel of the bundled dashboards sums an energy field: nothing checked")
	}
}

// namedRange is a range a dashboard offers.
type namedRange struct {
	name string
	tr   backend.TimeRange
}

// offeredRanges are the dashboard's (or panel's) own range and Grafana's
// usual quick ranges in UTC: last 24 hours, last 7 days, last 30 days,
// today so far, yesterday, this month so far.
func offeredRanges(t *testing.T, d dashboard, p dbPanel) []namedRange {
	now := time.Now().UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	own := relativeRange(t, d.Time.From, d.Time.To, now)
	if p.TimeFrom != "" {
		own = relativeRange(t, "now-"+p.TimeFrom, "now", now)
	}
	return []namedRange{
		{"the dashboard's range", own},
		{"last 24 hours", backend.TimeRange{From: now.Add(-24 * time.Hour), To: now}},
		{"last 30 days", backend.TimeRange{From: now.AddDate(0, 0, -30), To: now}},
		{"today", backend.TimeRange{From: day, To: day.AddDate(0, 0, 1)}},
		{"yesterday", backend.TimeRange{From: day.AddDate(0, 0, -1), To: day}},
		{"this month", backend.TimeRange{From: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC), To: time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)}},
	}
}

// sumFields returns the query's fields when all are sums, else nil.
func sumFields(q map[string]any) []string {
	list, _ := q["fields"].([]any)
	var out []string
	for _, f := range list {
		s := fmt.Sprint(f)
		if !strings.HasSuffix(s, "_sum") {
			return nil
		}
		out = append(out, s)
	}
	return out
}

// frameTotal sums a frame's values, checking every row lies in the range,
// and returns the field's shortName and the entity id from its labels.
func frameTotal(t *testing.T, where string, f *data.Frame, tr backend.TimeRange) (string, int64, float64) {
	t.Helper()
	var field string
	var id int64
	total := 0.0
	for _, fl := range f.Fields {
		switch fl.Type() {
		case data.FieldTypeTime:
			for i := 0; i < fl.Len(); i++ {
				if ts := fl.At(i).(time.Time); ts.Before(tr.From) || !ts.Before(tr.To) {
					t.Errorf("%s: row at %s lies outside the range %s..%s", where, ts.UTC(), tr.From.UTC(), tr.To.UTC())
				}
			}
		case data.FieldTypeNullableFloat64, data.FieldTypeFloat64: // float64 when no value is null
			field = fl.Labels["field"]
			key := "site_id"
			if fl.Labels["component_id"] != "" {
				key = "component_id"
			}
			id, _ = strconv.ParseInt(fl.Labels[key], 10, 64)
			for i := 0; i < fl.Len(); i++ {
				if v, err := fl.NullableFloatAt(i); err == nil && v != nil {
					total += *v
				}
			}
		}
	}
	if field == "" || id == 0 {
		t.Fatalf("%s: frame %q has no field or entity labels", where, f.Name)
	}
	return field, id, total
}

// entityOf finds the site (and component) of a frame's entity in the oracle.
func entityOf(t *testing.T, sim *locussim.Server, q map[string]any, id int64) (*locussim.Site, *locussim.Component) {
	t.Helper()
	if q["entityType"] == "component" {
		c := sim.Fleet().Component(id)
		if c == nil {
			t.Fatalf("component %d is not in the demo fleet", id)
		}
		return c.Site(), c
	}
	s := sim.Fleet().Site(id)
	if s == nil {
		t.Fatalf("site %d is not in the demo fleet", id)
	}
	return s, nil
}

// oracleTotal sums the simulator's minutes of field over the whole minutes
// of the range (a minute cut by an edge is left out).
func oracleTotal(t *testing.T, sim *locussim.Server, s *locussim.Site, c *locussim.Component, field string, tr backend.TimeRange) float64 {
	t.Helper()
	from := tr.From.Truncate(time.Minute)
	if from.Before(tr.From) {
		from = from.Add(time.Minute)
	}
	to := tr.To.Truncate(time.Minute)
	if !from.Before(to) {
		return 0
	}
	vs, err := sim.MinuteValues(s, c, field, from, to)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, v := range vs {
		if !math.IsNaN(v) {
			total += v
		}
	}
	return total
}
