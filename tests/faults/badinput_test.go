package faults

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// badQuery is one bad-input case: a query model (with {site} the site id and
// {inverter} an inverter id of the fleet) and request-level values, and what the
// error must say: the field and what is valid.
type badQuery struct {
	name     string
	js       string
	from, to time.Time // zero: the default range
	interval time.Duration
	maxDP    int64
	says     []string
}

// badQueries lists every bad query tried; each must fail alone with a 400
// naming the field and what is valid.
var badQueries = []badQuery{
	// the discriminator
	{name: "queryType a number", js: `{"queryType":7}`, says: []string{"queryType"}},
	{name: "queryType unknown", js: `{"queryType":"graph","siteId":"{site}","fields":["W_avg"]}`, says: []string{"queryType", "graph", "timeseries"}},
	// time series: every field with a wrong type or value
	{name: "timeseries entityType a number", js: `{"queryType":"timeseries","entityType":1,"siteId":"{site}","fields":["W_avg"]}`, says: []string{"entityType"}},
	{name: "timeseries entityType unknown", js: `{"queryType":"timeseries","entityType":"plant","siteId":"{site}","fields":["W_avg"]}`, says: []string{"entityType", "site", "component"}},
	{name: "timeseries siteId a boolean", js: `{"queryType":"timeseries","siteId":true,"fields":["W_avg"]}`, says: []string{"siteId"}},
	{name: "timeseries siteId not a number", js: `{"queryType":"timeseries","siteId":"abc","fields":["W_avg"]}`, says: []string{"siteId", "abc"}},
	{name: "timeseries siteId negative", js: `{"queryType":"timeseries","siteId":"-5","fields":["W_avg"]}`, says: []string{"siteId"}},
	{name: "timeseries siteId fractional number", js: `{"queryType":"timeseries","siteId":1.5,"fields":["W_avg"]}`, says: []string{"siteId", "positive integers"}},
	{name: "timeseries siteId interpolated to nothing", js: `{"queryType":"timeseries","siteId":"","fields":["W_avg"]}`, says: []string{"siteId"}},
	{name: "timeseries siteId uninterpolated variable", js: `{"queryType":"timeseries","siteId":"$site","fields":["W_avg"]}`, says: []string{"siteId", "$site"}},
	{name: "timeseries siteId many values, one bad", js: `{"queryType":"timeseries","siteId":"{{site},abc}","fields":["W_avg"]}`, says: []string{"siteId", "abc"}},
	{name: "timeseries siteId empty multi-value", js: `{"queryType":"timeseries","siteId":"{}","fields":["W_avg"]}`, says: []string{"siteId"}},
	{name: "timeseries componentId not a number", js: `{"queryType":"timeseries","entityType":"component","componentId":"inv-1","fields":["W_avg"]}`, says: []string{"componentId", "inv-1"}},
	{name: "timeseries componentId missing", js: `{"queryType":"timeseries","entityType":"component","fields":["W_avg"]}`, says: []string{"componentId"}},
	{name: "timeseries fields a string", js: `{"queryType":"timeseries","siteId":"{site}","fields":"W_avg"}`, says: []string{"fields"}},
	{name: "timeseries fields numbers", js: `{"queryType":"timeseries","siteId":"{site}","fields":[1,2]}`, says: []string{"fields"}},
	{name: "timeseries fields empty", js: `{"queryType":"timeseries","siteId":"{site}","fields":[]}`, says: []string{"fields"}},
	{name: "timeseries field not in dataavailable", js: `{"queryType":"timeseries","siteId":"{site}","fields":["Bogus_avg"]}`, says: []string{"Bogus_avg"}},
	{name: "timeseries fieldParams an array", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"],"fieldParams":["x"]}`, says: []string{"fieldParams"}},
	{name: "timeseries granularity unknown", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"],"granularity":"2min"}`, says: []string{"granularity", "2min", "5min"}},
	{name: "timeseries granularity a number", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"],"granularity":5}`, says: []string{"granularity"}},
	{name: "timeseries timeZoneMode unknown", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"],"timeZoneMode":"mars"}`, says: []string{"timeZoneMode", "mars"}},
	{name: "timeseries timeZone not IANA", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"],"timeZoneMode":"named","timeZone":"Mars/Olympus"}`, says: []string{"timeZone", "Mars/Olympus"}},
	{name: "timeseries alias a number", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"],"alias":5}`, says: []string{"alias"}},
	{name: "timeseries from after to", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"]}`, from: day(2025, 6, 2), to: day(2025, 6, 1), says: []string{"time range", "reversed"}},
	{name: "timeseries from equals to", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"]}`, from: day(2025, 6, 1), to: day(2025, 6, 1), says: []string{"time range", "empty"}},
	{name: "timeseries negative interval", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"]}`, interval: -time.Second, says: []string{"intervalMs", "positive"}},
	{name: "timeseries zero interval", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"],"intervalMs":0}`, interval: -1, says: []string{"intervalMs", "positive"}},
	{name: "timeseries negative maxDataPoints", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"]}`, maxDP: -10, says: []string{"maxDataPoints", "between 1 and"}},
	{name: "timeseries absurd maxDataPoints", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"]}`, maxDP: 1 << 40, says: []string{"maxDataPoints", "between 1 and"}},
	{name: "timeseries zero maxDataPoints", js: `{"queryType":"timeseries","siteId":"{site}","fields":["W_avg"],"maxDataPoints":0}`, maxDP: -1, says: []string{"maxDataPoints"}},
	{name: "query not an object", js: `["timeseries"]`, says: []string{"JSON object", "an array"}},
	// latest
	{name: "latest componentId missing", js: `{"queryType":"latest","fields":["W_avg"]}`, says: []string{"componentId"}},
	{name: "latest componentId not a number", js: `{"queryType":"latest","componentId":"x1","fields":["W_avg"]}`, says: []string{"componentId", "x1"}},
	{name: "latest on a site", js: `{"queryType":"latest","siteId":"{site}","fields":["W_avg"]}`, says: []string{"component"}},
	{name: "latest fields missing", js: `{"queryType":"latest","componentId":"{inverter}"}`, says: []string{"fields"}},
	// bulk
	{name: "bulk fields empty", js: `{"queryType":"bulk","fields":[]}`, says: []string{"fields"}},
	{name: "bulk format unknown", js: `{"queryType":"bulk","fields":["Wh_sum"],"format":"csv"}`, says: []string{"format", "csv", "table"}},
	{name: "bulk clientId not a number", js: `{"queryType":"bulk","fields":["Wh_sum"],"clientId":"acme"}`, says: []string{"clientId", "acme"}},
	{name: "bulk latestMonthOnly a string", js: `{"queryType":"bulk","fields":["Wh_sum"],"latestMonthOnly":"yes"}`, says: []string{"latestMonthOnly"}},
	{name: "bulk from after to", js: `{"queryType":"bulk","fields":["Wh_sum"]}`, from: day(2025, 6, 2), to: day(2025, 1, 1), says: []string{"time range", "reversed"}},
	// alerts
	{name: "alerts scope unknown", js: `{"queryType":"alerts","scope":"world"}`, says: []string{"scope", "world", "partner"}},
	{name: "alerts site scope without siteId", js: `{"queryType":"alerts","scope":"site"}`, says: []string{"siteId"}},
	{name: "alerts alertTypes a string", js: `{"queryType":"alerts","scope":"partner","alertTypes":"Zero Generation"}`, says: []string{"alertTypes"}},
	{name: "alerts priority unknown", js: `{"queryType":"alerts","scope":"partner","priorities":["Urgent"]}`, says: []string{"Urgent", "High"}},
	{name: "alerts status unknown", js: `{"queryType":"alerts","scope":"partner","status":"pending"}`, says: []string{"status", "pending", "open"}},
	// metadata
	{name: "metadata kind missing", js: `{"queryType":"metadata"}`, says: []string{"kind"}},
	{name: "metadata kind unknown", js: `{"queryType":"metadata","kind":"users"}`, says: []string{"kind", "users", "sites"}},
	{name: "metadata components without siteId", js: `{"queryType":"metadata","kind":"components"}`, says: []string{"siteId"}},
	{name: "metadata siteId not a number", js: `{"queryType":"metadata","kind":"installinfo","siteId":"HQ"}`, says: []string{"siteId", "HQ"}},
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Every bad query fails alone with a 400 naming the field and what is
// valid; the good query sent in the same request is unaffected.
func TestBadInputTable(t *testing.T) {
	o := newOrigin(t, nil)
	d := newHost(t, settingsFor(o, nil, nil), nil)
	site := o.sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return s.HasTypes(locussim.NodeInverter) && s.Startup.Year() < 2025
	})
	inv := site.ComponentsOfType(locussim.NodeInverter)[0]
	good := testkit.Query{Ref: "good", JSON: fmt.Sprintf(`{"queryType":"timeseries","siteId":"%d","fields":["W_avg"],"granularity":"hourly"}`, site.ID),
		From: day(2025, 6, 1), To: day(2025, 6, 3), Interval: time.Hour, MaxDP: 1000}
	var table strings.Builder
	for _, c := range badQueries {
		t.Run(c.name, func(t *testing.T) {
			scenario(t)
			js := strings.NewReplacer("{site}", fmt.Sprint(site.ID), "{inverter}", fmt.Sprint(inv.ID)).Replace(c.js)
			p := testkit.Query{Ref: "bad", JSON: js, From: c.from, To: c.to, Interval: c.interval, MaxDP: c.maxDP}
			if p.From.IsZero() {
				p.From, p.To = good.From, good.To
			}
			switch {
			case c.interval == 0:
				p.Interval = time.Hour
			case c.interval == -1:
				p.Interval = 0 // sent as explicit 0 in the JSON
			}
			switch {
			case c.maxDP == 0:
				p.MaxDP = 1000
			case c.maxDP == -1:
				p.MaxDP = 0
			}
			resp := run(context.Background(), t, d, p, good)
			r := testkit.Failed(t, resp, "bad")
			if r.Status != backend.StatusBadRequest || r.ErrorSource != backend.ErrorSourceDownstream {
				t.Errorf("status %d source %q, want 400 downstream: %v", r.Status, r.ErrorSource, r.Error)
			}
			for _, s := range c.says {
				if !strings.Contains(r.Error.Error(), s) {
					t.Errorf("error %q does not mention %q", r.Error, s)
				}
			}
			for _, internal := range []string{"Go value", "map[", "json:", "Entity.", "Base.", "struct"} {
				if strings.Contains(r.Error.Error(), internal) {
					t.Errorf("error %q shows Go internals (%q) instead of the JSON key", r.Error, internal)
				}
			}
			fmt.Fprintf(&table, "| %s | `%s` | %s |\n", c.name, strings.ReplaceAll(js, "|", `\|`), r.Error)
			testkit.Frames(t, resp, "good")
		})
	}
	t.Logf("bad input table (%d cases):\n%s", len(badQueries), table.String())
}

// Template variables that interpolate to many values give one series per
// id; the same ids as a JSON number or a {a,b} list are accepted.
func TestManyValuedTemplateVariable(t *testing.T) {
	scenario(t)
	o := newOrigin(t, nil)
	d := newHost(t, settingsFor(o, nil, nil), nil)
	sites := o.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	var ids []string
	for _, s := range sites {
		if s.Startup.Year() < 2025 && len(s.Components) > 0 && len(ids) < 3 {
			ids = append(ids, fmt.Sprint(s.ID))
		}
	}
	for _, form := range []string{strings.Join(ids, ","), "{" + strings.Join(ids, ",") + "}"} {
		resp := run(context.Background(), t, d, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"queryType":"timeseries","siteId":%q,"fields":["Wh_sum"],"granularity":"daily"}`, form),
			From: day(2025, 6, 1), To: day(2025, 6, 8), Interval: time.Hour, MaxDP: 1000})
		if fs := testkit.Frames(t, resp, "A"); len(fs) != len(ids) {
			t.Errorf("siteId %q gave %d frames, want one per site (%d)", form, len(fs), len(ids))
		}
	}
}
