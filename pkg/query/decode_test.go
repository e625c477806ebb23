package query

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// testRange is a valid one-day range.
var testRange = backend.TimeRange{
	From: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
	To:   time.Date(2024, 6, 2, 0, 0, 0, 0, time.UTC),
}

// dataQuery builds a DataQuery as Grafana sends it.
func dataQuery(js string) backend.DataQuery {
	return backend.DataQuery{RefID: "A", JSON: json.RawMessage(js), TimeRange: testRange, Interval: time.Minute, MaxDataPoints: 1000}
}

// badInputCases lists every bad input the decoder is tried with, and a
// fragment the error must contain (naming the key and what is valid).
var badInputCases = []struct {
	name string
	js   string
	edit func(*backend.DataQuery)
	want []string
}{
	{"unknown queryType", `{"queryType":"foo"}`, nil, []string{`queryType "foo" is unknown`, `"timeseries"`, `"metadata"`}},
	{"queryType wrong type", `{"queryType":5}`, nil, []string{"queryType must be a string, not a number"}},
	{"not an object", `[1,2]`, nil, []string{"query is not a JSON object"}},
	{"broken JSON", `{"siteId":`, nil, []string{"query is not a JSON object"}},
	{"fields is a string", `{"siteId":"1","fields":"W_avg"}`, nil, []string{"fields must be an array of strings, not a string"}},
	{"fields holds a number", `{"siteId":"1","fields":[1]}`, nil, []string{"fields", "must be a string, not a number"}},
	{"fields empty", `{"siteId":"1","fields":[]}`, nil, []string{"fields is empty", "W_avg"}},
	{"fields blank entries", `{"siteId":"1","fields":[""," "]}`, nil, []string{"fields is empty"}},
	{"fields missing", `{"siteId":"1"}`, nil, []string{"fields is empty"}},
	{"fields uninterpolated", `{"siteId":"1","fields":["$field"]}`, nil, []string{`fields entry "$field" is a template variable that was not interpolated`}},
	{"siteId empty", `{"siteId":"","fields":["W_avg"]}`, nil, []string{"siteId is empty", "interpolated to nothing"}},
	{"siteId missing", `{"fields":["W_avg"]}`, nil, []string{"siteId is empty"}},
	{"siteId not a number", `{"siteId":"abc","fields":["W_avg"]}`, nil, []string{`siteId "abc" is not a Locus id`, "positive integers"}},
	{"siteId negative", `{"siteId":"-3","fields":["W_avg"]}`, nil, []string{`siteId "-3" is not a Locus id`}},
	{"siteId zero", `{"siteId":"0","fields":["W_avg"]}`, nil, []string{`siteId "0" is not a Locus id`}},
	{"siteId float number", `{"siteId":1.5,"fields":["W_avg"]}`, nil, []string{"siteId is 1.5", "positive integers"}},
	{"siteId negative number", `{"siteId":-2,"fields":["W_avg"]}`, nil, []string{"siteId is -2"}},
	{"siteId bool", `{"siteId":true,"fields":["W_avg"]}`, nil, []string{"siteId must be a string, not a bool"}},
	{"siteId list with hole", `{"siteId":"1,,2","fields":["W_avg"]}`, nil, []string{"siteId has an empty entry"}},
	{"siteId uninterpolated", `{"siteId":"$site","fields":["W_avg"]}`, nil, []string{`siteId "$site" is a template variable that was not interpolated`}},
	{"componentId missing for component", `{"entityType":"component","fields":["W_avg"]}`, nil, []string{"componentId is empty"}},
	{"entityType unknown", `{"entityType":"meter","siteId":"1","fields":["W_avg"]}`, nil, []string{`entityType "meter" is unknown`, `"site" and "component"`}},
	{"granularity unknown", `{"siteId":"1","fields":["W_avg"],"granularity":"2min"}`, nil, []string{`granularity "2min" is unknown`, `"5min"`}},
	{"granularity latest", `{"siteId":"1","fields":["W_avg"],"granularity":"latest"}`, nil, []string{`use queryType "latest"`}},
	{"granularity wrong type", `{"siteId":"1","fields":["W_avg"],"granularity":5}`, nil, []string{"granularity must be a string, not a number"}},
	{"timeZoneMode unknown", `{"siteId":"1","fields":["W_avg"],"timeZoneMode":"local"}`, nil, []string{`timeZoneMode "local" is unknown`, `"named"`}},
	{"named zone missing", `{"siteId":"1","fields":["W_avg"],"timeZoneMode":"named"}`, nil, []string{"timeZone is empty", "IANA"}},
	{"named zone unknown", `{"siteId":"1","fields":["W_avg"],"timeZoneMode":"named","timeZone":"Mars/Olympus"}`, nil, []string{`timeZone "Mars/Olympus" is not a known IANA zone`}},
	{"dashboard zone unknown", `{"siteId":"1","fields":["W_avg"],"timeZoneMode":"dashboard","timeZone":"Moon/Base"}`, nil, []string{`timeZone "Moon/Base" (the dashboard's zone) is not a known IANA zone`}},
	{"fieldParams wrong value type", `{"siteId":"1","fields":["W_avg"],"fieldParams":{"modelType":1}}`, nil, []string{"fieldParams", "must be a string, not a number"}},
	{"fieldParams not an object", `{"siteId":"1","fields":["W_avg"],"fieldParams":["modelType"]}`, nil, []string{"fieldParams must be an object whose values are strings, not an array"}},
	{"fieldParams empty value", `{"siteId":"1","fields":["W_avg"],"fieldParams":{"modelType":" "}}`, nil, []string{"fieldParams.modelType is empty"}},
	{"alias wrong type", `{"siteId":"1","fields":["W_avg"],"alias":7}`, nil, []string{"alias must be a string, not a number"}},
	{"range reversed", `{"siteId":"1","fields":["W_avg"]}`, func(q *backend.DataQuery) { q.TimeRange.From, q.TimeRange.To = q.TimeRange.To, q.TimeRange.From }, []string{"time range is reversed: from (2024-06-02T00:00:00Z) is after to"}},
	{"range empty", `{"siteId":"1","fields":["W_avg"]}`, func(q *backend.DataQuery) { q.TimeRange.To = q.TimeRange.From }, []string{"time range is empty"}},
	{"range missing", `{"siteId":"1","fields":["W_avg"]}`, func(q *backend.DataQuery) { q.TimeRange = backend.TimeRange{} }, []string{"time range is missing"}},
	{"interval negative", `{"siteId":"1","fields":["W_avg"]}`, func(q *backend.DataQuery) { q.Interval = -time.Second }, []string{"intervalMs is -1000: it must be a positive number"}},
	{"interval zero sent", `{"siteId":"1","fields":["W_avg"],"intervalMs":0}`, func(q *backend.DataQuery) { q.Interval = 0 }, []string{"intervalMs is 0"}},
	{"maxDataPoints negative", `{"siteId":"1","fields":["W_avg"]}`, func(q *backend.DataQuery) { q.MaxDataPoints = -5 }, []string{"maxDataPoints is -5: it must be between 1 and 1000000"}},
	{"maxDataPoints absurd", `{"siteId":"1","fields":["W_avg"]}`, func(q *backend.DataQuery) { q.MaxDataPoints = 50_000_000 }, []string{"maxDataPoints is 50000000"}},
	{"maxDataPoints zero sent", `{"siteId":"1","fields":["W_avg"],"maxDataPoints":0}`, func(q *backend.DataQuery) { q.MaxDataPoints = 0 }, []string{"maxDataPoints is 0"}},
	{"latest on a site", `{"queryType":"latest","siteId":"1","fields":["W_avg"]}`, nil, []string{"latest values exist only for components"}},
	{"latest entityType site", `{"queryType":"latest","entityType":"site","componentId":"5","fields":["W_avg"]}`, nil, []string{"latest values exist only for components"}},
	{"latest without component", `{"queryType":"latest","fields":["W_avg"]}`, nil, []string{"componentId is empty"}},
	{"latest without fields", `{"queryType":"latest","componentId":"5"}`, nil, []string{"fields is empty"}},
	{"bulk format unknown", `{"queryType":"bulk","fields":["Wh_sum"],"format":"csv"}`, nil, []string{`format "csv" is unknown`, `"table"`}},
	{"bulk client list with a hole", `{"queryType":"bulk","fields":["Wh_sum"],"clientId":"1,,2"}`, nil, []string{"clientId has an empty entry"}},
	{"components of several clients", `{"queryType":"metadata","kind":"components","clientId":"1,2"}`, nil, []string{`clientId "1,2" lists several ids`}},
	{"bulk bad client", `{"queryType":"bulk","fields":["Wh_sum"],"clientId":"x"}`, nil, []string{`clientId "x" is not a Locus id`}},
	{"bulk without fields", `{"queryType":"bulk"}`, nil, []string{"fields is empty"}},
	{"bulk latestMonthOnly wrong type", `{"queryType":"bulk","fields":["Wh_sum"],"latestMonthOnly":"yes"}`, nil, []string{"latestMonthOnly must be true or false, not a string"}},
	{"alerts scope unknown", `{"queryType":"alerts","scope":"fleet"}`, nil, []string{`scope "fleet" is unknown`, `"partner"`}},
	{"alerts site scope without site", `{"queryType":"alerts","scope":"site"}`, nil, []string{"siteId is empty"}},
	{"alerts component scope bad id", `{"queryType":"alerts","scope":"component","componentId":"x1"}`, nil, []string{`componentId "x1" is not a Locus id`}},
	{"alerts types wrong type", `{"queryType":"alerts","alertTypes":"Device Fault"}`, nil, []string{"alertTypes must be an array of strings, not a string"}},
	{"alerts priority unknown", `{"queryType":"alerts","priorities":["urgent"]}`, nil, []string{`priorities entry "urgent" is unknown`, `"High"`}},
	{"alerts status unknown", `{"queryType":"alerts","status":"pending"}`, nil, []string{`status "pending" is unknown`, `"open"`}},
	{"metadata kind missing", `{"queryType":"metadata"}`, nil, []string{"kind is empty", `"sites"`}},
	{"metadata kind unknown", `{"queryType":"metadata","kind":"meters"}`, nil, []string{`kind "meters" is unknown`}},
	{"metadata installinfo without site", `{"queryType":"metadata","kind":"installinfo"}`, nil, []string{`siteId is empty: kind "installinfo" needs a site`}},
	{"metadata modelsettings list", `{"queryType":"metadata","kind":"modelsettings","siteId":"1,2"}`, nil, []string{"lists several ids"}},
	{"metadata components without scope", `{"queryType":"metadata","kind":"components"}`, nil, []string{`kind "components" needs a site`}},
	{"metadata bad component", `{"queryType":"metadata","kind":"fields","componentId":"0"}`, nil, []string{`componentId "0" is not a Locus id`}},
}

// manyIDs returns "1,2,...,n".
func manyIDs(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(i))
	}
	return b.String()
}

func TestDecodeQueryRejectsBadInput(t *testing.T) {
	for _, tc := range badInputCases {
		t.Run(tc.name, func(t *testing.T) {
			dq := dataQuery(tc.js)
			if tc.edit != nil {
				tc.edit(&dq)
			}
			_, err := decodeQuery(dq, false)
			if err == nil {
				t.Fatalf("decodeQuery(%s) = nil error, want one containing %q", tc.js, tc.want)
			}
			var in *inputError
			if !errors.As(err, &in) {
				t.Fatalf("error %v is %T, want *inputError (a 400)", err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err.Error(), w)
				}
			}
			if st, _ := classify(err); st != backend.StatusBadRequest {
				t.Errorf("status %d, want 400", st)
			}
		})
	}
}

func TestDecodeQueryDefaultsAndTolerance(t *testing.T) {
	t.Run("no queryType is timeseries with site-local auto defaults", func(t *testing.T) {
		r := mustDecode(t, dataQuery(`{"siteId":"12","fields":["W_avg"],"datasource":{"uid":"x"},"hide":false}`))
		ts, _ := r.query.(*timeSeriesQuery)
		if r.Type != TypeTimeSeries || ts == nil {
			t.Fatalf("type %q, want timeseries", r.Type)
		}
		if ts.EntityType != EntitySite || ts.Granularity != GranularityAuto || ts.TimeZoneMode != TZSite {
			t.Errorf("defaults = %q %q %q, want site auto site", ts.EntityType, ts.Granularity, ts.TimeZoneMode)
		}
	})
	t.Run("request queryType wins over JSON", func(t *testing.T) {
		dq := dataQuery(`{"queryType":"timeseries","kind":"sites"}`)
		dq.QueryType = "metadata"
		if r := mustDecode(t, dq); r.Type != TypeMetadata {
			t.Errorf("type %q, want metadata", r.Type)
		}
	})
	t.Run("numeric ids, braces, duplicates and comma fields", func(t *testing.T) {
		r := mustDecode(t, dataQuery(`{"entityType":"component","componentId":"{7, 8,7}","fields":["W_avg,Wh_sum","W_avg"]}`))
		ids, err := entityIDs(r.timeSeries().Entity)
		if err != nil || len(ids) != 2 || ids[0] != 7 || ids[1] != 8 {
			t.Errorf("ids = %v, %v; want [7 8]", ids, err)
		}
		if got := strings.Join(r.timeSeries().Fields, ","); got != "W_avg,Wh_sum" {
			t.Errorf("fields = %s, want W_avg,Wh_sum", got)
		}
		r = mustDecode(t, dataQuery(`{"siteId":3458,"fields":["W_avg"]}`))
		if r.timeSeries().SiteID != "3458" {
			t.Errorf("numeric siteId decoded as %q, want \"3458\"", r.timeSeries().SiteID)
		}
	})
	t.Run("component entity inferred from componentId", func(t *testing.T) {
		r := mustDecode(t, dataQuery(`{"componentId":"9","fields":["W_avg"]}`))
		if r.timeSeries().EntityType != EntityComponent {
			t.Errorf("entityType %q, want component", r.timeSeries().EntityType)
		}
	})
	t.Run("absent interval and maxDataPoints resolve server-side", func(t *testing.T) {
		dq := dataQuery(`{"siteId":"1","fields":["W_avg"]}`)
		dq.Interval, dq.MaxDataPoints = 0, 0
		r := mustDecode(t, dq)
		if r.Interval != 0 || r.MaxDataPoints != defaultMaxDataPoints {
			t.Errorf("interval %v maxDataPoints %d, want 0 and %d", r.Interval, r.MaxDataPoints, defaultMaxDataPoints)
		}
	})
	t.Run("alerts filters canonicalised and scope inferred", func(t *testing.T) {
		r := mustDecode(t, dataQuery(`{"queryType":"alerts","siteId":"4","alertTypes":["zero generation","All"],"priorities":["HIGH","low"],"status":"Open"}`))
		a := r.query.(*alertsQuery)
		if a.Scope != ScopeSite || strings.Join(a.AlertTypes, "|") != "Zero Generation" || strings.Join(a.Priorities, "|") != "High|Low" || a.Status != "open" {
			t.Errorf("alerts = %+v", a)
		}
	})
	t.Run("bulk defaults to table; metadata needs no range", func(t *testing.T) {
		if r := mustDecode(t, dataQuery(`{"queryType":"bulk","fields":["Wh_sum"]}`)); r.query.(*bulkQuery).Format != BulkTable {
			t.Errorf("bulk format %q, want table", r.query.(*bulkQuery).Format)
		}
		dq := dataQuery(`{"queryType":"metadata","kind":"sites","intervalMs":0,"maxDataPoints":0}`)
		dq.TimeRange, dq.Interval, dq.MaxDataPoints = backend.TimeRange{}, 0, 0
		mustDecode(t, dq) // variable queries may send no interval or point budget
	})
	t.Run("dashboard zone browser and utc are accepted", func(t *testing.T) {
		mustDecode(t, dataQuery(`{"siteId":"1","fields":["W_avg"],"timeZoneMode":"dashboard","timeZone":"browser"}`))
		mustDecode(t, dataQuery(`{"siteId":"1","fields":["W_avg"],"timeZoneMode":"dashboard","timeZone":"utc"}`))
	})
}

// mustDecode decodes dq or fails the test.
func mustDecode(t *testing.T, dq backend.DataQuery) *request {
	t.Helper()
	r, err := decodeQuery(dq, false)
	if err != nil {
		t.Fatalf("decodeQuery(%s): %v", dq.JSON, err)
	}
	return r
}

// FuzzDecodeQuery feeds arbitrary JSON to the decoder: it must never panic,
// every error must be a bad-input error, and every success a usable query.
func FuzzDecodeQuery(f *testing.F) {
	seeds := []string{
		`{"siteId":"12","fields":["W_avg"]}`,
		`{"queryType":"latest","componentId":"1,2","fields":["W_avg"]}`,
		`{"queryType":"bulk","fields":["Wh_sum"],"format":"timeseries","latestMonthOnly":true}`,
		`{"queryType":"alerts","scope":"component","componentId":"{3,4}","priorities":["high"]}`,
		`{"queryType":"metadata","kind":"components","siteId":"5","nodeType":"INVERTER"}`,
		`{"siteId":12.0,"fields":["a,b"],"fieldParams":{"modelType":"simple"},"timeZoneMode":"named","timeZone":"Asia/Kolkata"}`,
		`{"intervalMs":0}`, `[]`, `null`, `"x"`, `{"siteId":1e300}`, `{"fields":[null]}`,
	}
	for _, s := range seeds {
		f.Add(s, "")
	}
	f.Add(`{"kind":"sites"}`, "metadata")
	f.Fuzz(func(t *testing.T, js string, qt string) {
		dq := dataQuery(js)
		dq.QueryType = qt
		r, err := decodeQuery(dq, false)
		if err != nil {
			var in *inputError
			if !errors.As(err, &in) {
				t.Fatalf("error %v is %T, want *inputError", err, err)
			}
			return
		}
		if !contains(AllTypes, r.Type) {
			t.Fatalf("decoded type %q is not a known type", r.Type)
		}
		switch r.Type {
		case TypeTimeSeries:
			if len(r.timeSeries().Fields) == 0 {
				t.Fatal("timeseries accepted with no fields")
			}
			if _, err := entityIDs(r.timeSeries().Entity); err != nil {
				t.Fatalf("timeseries accepted with bad ids: %v", err)
			}
		case TypeLatest:
			if _, err := parseIDs("componentId", r.query.(*latestQuery).ComponentID); err != nil {
				t.Fatalf("latest accepted with bad ids: %v", err)
			}
		case TypeBulk:
			if len(r.query.(*bulkQuery).Fields) == 0 {
				t.Fatal("bulk accepted with no fields")
			}
		case TypeAlerts:
			if !contains(alertScopes, r.query.(*alertsQuery).Scope) {
				t.Fatalf("alerts accepted with scope %q", r.query.(*alertsQuery).Scope)
			}
		case TypeMetadata:
			if !contains(metadataKinds, r.query.(*metadataQuery).Kind) {
				t.Fatalf("metadata accepted with kind %q", r.query.(*metadataQuery).Kind)
			}
		}
	})
}
