package locussim

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestDataAvailableShapes(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeMeter, NodeInverter, NodeWeatherStation)
	check := func(path string, must ...string) map[string]bool {
		t.Helper()
		fields := list(t, h.getJSON(path, 200), "baseFields")
		names := map[string]bool{}
		for _, f := range fields {
			requireKeys(t, path, f, map[string]string{"baseField": "s", "longName": "s", "source": "s", "unit": "s"})
			if _, ok := f["granularities"].([]any); !ok {
				t.Errorf("%s: %v lacks granularities", path, f["baseField"])
			}
			for _, a := range f["aggregations"].([]any) {
				agg := a.(map[string]any)
				names[agg["shortName"].(string)] = true
				if !strings.HasPrefix(agg["shortName"].(string), f["baseField"].(string)+"_") {
					t.Errorf("%s: shortName %v does not extend %v", path, agg["shortName"], f["baseField"])
				}
			}
		}
		for _, m := range must {
			if !names[m] {
				t.Errorf("%s lacks %s (has %v)", path, m, names)
			}
		}
		return names
	}
	check(fmt.Sprintf("/v3/sites/%d/dataavailable", site.ID), "W_avg", "W_max", "Wh_sum", "Wh_e_sum", "Wh_m_sum", "W_m_avg", "GHI_m_avg", "GHIh_m_sum")
	inv := site.ComponentsOfType(NodeInverter)[0]
	check(fmt.Sprintf("/v3/components/%d/dataavailable", inv.ID), "W_avg", "W_max", "W_min", "Wh_sum", "A_avg", "Hz_avg", "PF_avg", "VA_avg", "VAR_avg", "PPV_avg", "PhV_avg", "WphA_avg", "WphB_max", "WphC_min", "W_m_avg", "Wh_m_sum", "PI_m_avg")
	ws := site.ComponentsOfType(NodeWeatherStation)[0]
	check(fmt.Sprintf("/v3/components/%d/dataavailable", ws.ID), "POA_avg", "GHI_avg", "POAh_sum", "GHIh_sum", "TmpAmb_avg", "TmpBOM_max", "WndSpd_avg")
	check("/v3/partners/4242/sites/dataavailable", "Wh_sum", "Whp_sum", "Wh_e_sum", "GHIh_m_sum", "GHIhp_m_sum", "GHIh_t_sum", "EER_avg", "GEER_avg")
	// Units exactly as the reference writes them.
	for _, f := range list(t, h.getJSON(fmt.Sprintf("/v3/sites/%d/dataavailable", site.ID), 200), "baseFields") {
		if f["baseField"] == "GHIh_m" && f["unit"] != "Wh/m²" || f["baseField"] == "GHI_m" && f["unit"] != "W/m²" {
			t.Errorf("unit of %v = %q", f["baseField"], f["unit"])
		}
	}
}

func TestDocumentedDataExamples(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	meter := site.ComponentsOfType(NodeMeter)[0]
	// Hourly component data, as in "Get data for component".
	rows := h.data(dataPath("components", meter.ID, "W_avg,Wh_sum", "2024-04-01T12:00:00", "2024-04-01T14:00:00", "US/Pacific", "hourly"))
	if len(rows) != 2 {
		t.Fatalf("rows = %d", len(rows))
	}
	for i, r := range rows {
		if int64(r["id"].(float64)) != meter.ID {
			t.Errorf("id = %v", r["id"])
		}
		want := fmt.Sprintf("2024-04-01T%02d:00:00-07:00", 12+i)
		if r["ts"] != want {
			t.Errorf("ts = %v, want %s", r["ts"], want)
		}
		if _, ok := r.num("W_avg"); !ok {
			t.Errorf("no W_avg at midday: %v", r)
		}
	}
	// Site data with end 13:01 still yields the 13:00 bucket.
	rows = h.data(dataPath("sites", site.ID, "W_avg,Wh_sum", "2024-04-01T12:00:00", "2024-04-01T13:01:00", "US/Pacific", "hourly"))
	if len(rows) != 2 {
		t.Errorf("site rows = %d, want 2", len(rows))
	}
	// Monthly, as in "Getting data for a component".
	rows = h.data(dataPath("components", meter.ID, "W_avg,Wh_sum", "2024-01-01T00:00:00", "2024-03-01T00:00:00", "US/Pacific", "monthly"))
	if len(rows) != 2 || rows[0]["ts"] != "2024-01-01T00:00:00-08:00" || rows[1]["ts"] != "2024-02-01T00:00:00-08:00" {
		t.Errorf("monthly rows = %v", rows)
	}
	// Lifetime energy: yearly buckets from 2000 to 2030, empty ones carry id and ts only.
	rows = h.data(dataPath("components", meter.ID, "Wh_sum", "2000-01-01T00:00:00", "2030-01-01T00:00:00", "UTC", "yearly"))
	if len(rows) != 30 {
		t.Fatalf("yearly rows = %d, want 30", len(rows))
	}
	for _, r := range rows {
		ts := r.ts(t)
		_, has := r.num("Wh_sum")
		hasData := ts.Year() >= site.Startup.Year() && ts.Before(fixedNow)
		if has != hasData {
			t.Errorf("%s: Wh_sum present=%v, want %v (startup %s, now %s)", r["ts"], has, hasData, site.Startup, fixedNow)
		}
		if !has && len(r) != 2 {
			t.Errorf("empty bucket carries more than id and ts: %v", r)
		}
	}
}

func TestDataParameterErrors(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	inv := site.ComponentsOfType(NodeInverter)[0]
	base := func(kind string, id int64, q string) string { return fmt.Sprintf("/v3/%s/%d/data?%s", kind, id, q) }
	ok := "fields=W_avg&start=2024-01-01T00:00:00&end=2024-01-02T00:00:00&gran=hourly"
	cases := []struct{ path, want string }{
		{base("components", inv.ID, ok), "tz is required"},
		{base("components", inv.ID, ok+"&tz=Mars/Olympus"), "unknown tz"},
		{base("components", inv.ID, "fields=W_avg&start=2024-01-01&end=2024-01-02T00:00:00&gran=hourly&tz=UTC"), "start"},
		{base("components", inv.ID, "fields=W_avg&start=2024-01-01T00:00:00&end=tomorrow&gran=hourly&tz=UTC"), "end"},
		{base("components", inv.ID, "fields=W_avg&end=2024-01-02T00:00:00&gran=hourly&tz=UTC"), "start is required"},
		{base("components", inv.ID, "start=2024-01-01T00:00:00&end=2024-01-02T00:00:00&gran=hourly&tz=UTC"), "fields is required"},
		{base("components", inv.ID, "fields=W_avg,Bogus_avg&start=2024-01-01T00:00:00&end=2024-01-02T00:00:00&gran=hourly&tz=UTC"), "field Bogus_avg is not available"},
		{base("components", inv.ID, "fields=POA_avg&start=2024-01-01T00:00:00&end=2024-01-02T00:00:00&gran=hourly&tz=UTC"), "field POA_avg"},
		{base("components", inv.ID, "fields=W_avg&start=2024-01-01T00:00:00&end=2024-01-02T00:00:00&tz=UTC"), "gran is required"},
		{base("components", inv.ID, "fields=W_avg&start=2024-01-01T00:00:00&end=2024-01-02T00:00:00&gran=weekly&tz=UTC"), "unknown gran"},
		{base("components", inv.ID, "fields=W_m_avg&gran=latest&tz=UTC"), "not available at gran=latest"},
		{base("sites", site.ID, "fields=Wh_e_sum&start=2024-01-01T00:00:00&end=2024-01-02T00:00:00&gran=hourly&tz=UTC"), "not available at gran=hourly"},
		{base("sites", site.ID, "fields=Wh_sum&gran=latest&tz=UTC"), "only available for components"},
		{base("sites", site.ID, "fields=Wh_sum&start=2024-01-02T00:00:00&end=2024-01-01T00:00:00&gran=hourly&tz=UTC"), "start must be before end"},
	}
	for _, c := range cases {
		if msg := h.errorMessage(c.path, 400); !strings.Contains(msg, c.want) {
			t.Errorf("%s: message %q lacks %q", c.path, msg, c.want)
		}
	}
}

func TestSpanLimitsAtAndJustOverTheLimit(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	inv := site.ComponentsOfType(NodeInverter)[0]
	cases := []struct {
		gran, start, under, at, limit string
	}{
		{"1min", "2024-01-01T00:00:00", "2024-01-05T23:59:59", "2024-01-06T00:00:00", "5 days"},
		{"5min", "2024-01-01T00:00:00", "2024-01-31T23:59:59", "2024-02-01T00:00:00", "31 days"},
		{"15min", "2024-02-10T06:00:00", "2024-03-12T05:59:59", "2024-03-12T06:00:00", "31 days"},
		{"hourly", "2024-01-01T00:00:00", "2024-01-31T23:59:59", "2024-02-01T00:00:00", "31 days"},
		{"daily", "2023-03-01T00:00:00", "2024-02-29T23:59:59", "2024-03-01T00:00:00", "1 year"},
	}
	for _, c := range cases {
		if code, b := h.Get(dataPath("components", inv.ID, "Wh_sum", c.start, c.under, "US/Eastern", c.gran)); code != 200 {
			t.Errorf("%s just under the limit: %d %s", c.gran, code, b)
		}
		msg := h.errorMessage(dataPath("components", inv.ID, "Wh_sum", c.start, c.at, "US/Eastern", c.gran), 400)
		want := fmt.Sprintf("Time span too long for gran=%s: end must be before start + %s", c.gran, c.limit)
		if msg != want {
			t.Errorf("%s at the limit: %q, want %q", c.gran, msg, want)
		}
	}
	// Across spring-forward, the limit is in wall-clock days.
	if code, b := h.Get(dataPath("sites", site.ID, "Wh_sum", "2024-03-01T00:00:00", "2024-03-31T23:00:00", "US/Pacific", "hourly")); code != 200 {
		t.Errorf("31 wall-clock days over DST: %d %s", code, b)
	}
	for _, g := range []string{"monthly", "yearly"} {
		if code, _ := h.Get(dataPath("sites", site.ID, "Wh_sum", "2015-01-01T00:00:00", "2025-01-01T00:00:00", "UTC", g)); code != 200 {
			t.Errorf("%s has no span limit: %d", g, code)
		}
	}
}

func TestDSTDaysHave23And25HourlyBuckets(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	for _, c := range []struct {
		day, next string
		n         int
	}{{"2024-03-10", "2024-03-11", 23}, {"2024-11-03", "2024-11-04", 25}, {"2024-06-01", "2024-06-02", 24}} {
		rows := h.data(dataPath("sites", site.ID, "Wh_sum", c.day+"T00:00:00", c.next+"T00:00:00", "America/Los_Angeles", "hourly"))
		if len(rows) != c.n {
			t.Errorf("%s: %d hourly buckets, want %d", c.day, len(rows), c.n)
		}
		for i := 1; i < len(rows); i++ {
			if d := rows[i].ts(t).Sub(rows[i-1].ts(t)); d != time.Hour {
				t.Errorf("%s: step %s between %v and %v", c.day, d, rows[i-1]["ts"], rows[i]["ts"])
			}
		}
		daily := h.data(dataPath("sites", site.ID, "Wh_sum", c.day+"T00:00:00", c.next+"T00:00:00", "America/Los_Angeles", "daily"))
		sum := 0.0
		for _, r := range rows {
			v, _ := r.num("Wh_sum")
			sum += v
		}
		dv, _ := daily[0].num("Wh_sum")
		if math.Abs(sum-dv) > 0.001*float64(len(rows))+1e-9*dv {
			t.Errorf("%s: hourly Wh_sum adds to %.3f, daily is %.3f", c.day, sum, dv)
		}
	}
	rows := h.data(dataPath("sites", site.ID, "Wh_sum", "2024-03-10T00:00:00", "2024-03-10T04:00:00", "America/Los_Angeles", "hourly"))
	got := []string{}
	for _, r := range rows {
		got = append(got, r["ts"].(string))
	}
	want := "2024-03-10T00:00:00-08:00 2024-03-10T01:00:00-08:00 2024-03-10T03:00:00-07:00"
	if strings.Join(got, " ") != want {
		t.Errorf("spring-forward timestamps %v, want %s", got, want)
	}
}

func TestBucketAlignment(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	first := func(start, end, tz, gran string) string {
		rows := h.data(dataPath("sites", site.ID, "Wh_sum", start, end, tz, gran))
		if len(rows) == 0 {
			t.Fatalf("%s %s: no rows", gran, start)
		}
		return rows[0]["ts"].(string)
	}
	cases := []struct{ start, end, tz, gran, want string }{
		{"2024-01-15T10:00:00", "2024-06-01T00:00:00", "US/Pacific", "monthly", "2024-02-01T00:00:00-08:00"},
		{"2024-01-01T00:00:00", "2024-06-01T00:00:00", "US/Pacific", "monthly", "2024-01-01T00:00:00-08:00"},
		{"2023-06-01T00:00:00", "2025-01-01T00:00:00", "America/New_York", "yearly", "2024-01-01T00:00:00-05:00"},
		{"2024-07-04T00:00:01", "2024-07-10T00:00:00", "UTC", "daily", "2024-07-05T00:00:00+00:00"},
		{"2024-07-04T10:07:00", "2024-07-04T12:00:00", "UTC", "15min", "2024-07-04T10:15:00+00:00"},
		{"2024-07-04T10:07:00", "2024-07-04T12:00:00", "Asia/Kolkata", "hourly", "2024-07-04T11:00:00+05:30"},
		{"2024-07-04T10:03:00", "2024-07-04T11:00:00", "UTC", "5min", "2024-07-04T10:05:00+00:00"},
	}
	for _, c := range cases {
		if got := first(c.start, c.end, c.tz, c.gran); got != c.want {
			t.Errorf("%s from %s in %s: first ts %s, want %s", c.gran, c.start, c.tz, got, c.want)
		}
	}
	// Monthly buckets end on the last one before end.
	rows := h.data(dataPath("sites", site.ID, "Wh_sum", "2024-01-01T00:00:00", "2024-12-01T00:00:00", "UTC", "monthly"))
	if len(rows) != 11 || rows[10]["ts"] != "2024-11-01T00:00:00+00:00" {
		t.Errorf("monthly Jan..Dec(excl) = %d rows, last %v", len(rows), rows[len(rows)-1]["ts"])
	}
}

func TestBucketsWhereDSTStartsAtMidnight(t *testing.T) {
	// Chile moved clocks from 00:00 to 01:00 on 2024-09-08: that day starts at 01:00.
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 9, 6, 0, 0, 0, 0, loc)
	end := time.Date(2024, 9, 11, 0, 0, 0, 0, loc)
	bs := buckets("daily", start, end, loc)
	if len(bs) != 5 {
		t.Fatalf("daily buckets = %d, want 5", len(bs))
	}
	if got := bs[2].ts.Format(TSLayout); got != "2024-09-08T01:00:00-03:00" {
		t.Errorf("the DST day starts at %s", got)
	}
	if bs[2].m1-bs[2].m0 != 23*60 {
		t.Errorf("the DST day lasts %d minutes", bs[2].m1-bs[2].m0)
	}
	if n := len(buckets("monthly", time.Date(2024, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 1, 1, 0, 0, 0, 0, loc), loc)); n != 12 {
		t.Errorf("monthly buckets = %d", n)
	}
}

// The TSOffset knob changes only how ts is written: the same buckets and
// values, without offset or as UTC instants.
func TestTSOffsetKnob(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	path := dataPath("sites", site.ID, "Wh_sum", "2024-06-01T10:00:00", "2024-06-01T13:00:00", "Pacific/Honolulu", "hourly")
	zone := h.data(path)
	want := []string{"2024-06-01T10:00:00-10:00", "2024-06-01T11:00:00-10:00", "2024-06-01T12:00:00-10:00"}
	for mode, ts := range map[string][]string{
		"":           want,
		TSOffsetZone: want,
		TSOffsetNone: {"2024-06-01T10:00:00", "2024-06-01T11:00:00", "2024-06-01T12:00:00"},
		TSOffsetUTC:  {"2024-06-01T20:00:00+00:00", "2024-06-01T21:00:00+00:00", "2024-06-01T22:00:00+00:00"},
	} {
		h.sim.SetFaults(Faults{TSOffset: mode})
		rows := h.data(path)
		if len(rows) != len(ts) {
			t.Fatalf("tsOffset %q: %d rows, want %d", mode, len(rows), len(ts))
		}
		for i, r := range rows {
			if _, ok := zone[i].num("Wh_sum"); !ok {
				t.Fatalf("row %d has no Wh_sum: choose daylight hours", i)
			}
			if r["ts"] != ts[i] || fmt.Sprint(r["Wh_sum"]) != fmt.Sprint(zone[i]["Wh_sum"]) {
				t.Errorf("tsOffset %q row %d: %v %v, want %s %v", mode, i, r["ts"], r["Wh_sum"], ts[i], zone[i]["Wh_sum"])
			}
		}
	}
	if err := (Faults{TSOffset: "local"}).Validate(); err == nil || !strings.Contains(err.Error(), "tsOffset") {
		t.Errorf("an unknown tsOffset was accepted: %v", err)
	}
}
