package locus

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

func val(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func TestDecodeDataReferenceExample(t *testing.T) {
	body := `{
  "statusCode": 200,
  "data": [
    {"id": 123, "ts": "2014-04-01T12:00:00-07:00", "W_avg": 23.717, "Wh_sum": 5936},
    {"id": 123, "ts": "2014-04-01T13:00:00-07:00", "W_avg": 10.373, "Wh_sum": 2372}
  ]
}`
	tab, err := decodeData([]byte(body), []string{"W_avg", "Wh_sum"}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.times[0]; !got.Equal(time.Date(2014, 4, 1, 19, 0, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("first ts = %v, want 2014-04-01 19:00 UTC", got)
	}
	want := [][]string{{"23.717", "10.373"}, {"5936", "2372"}}
	for f := range want {
		for r := range want[f] {
			if got := val(tab.cols[f].Pointers()[r]); got != want[f][r] {
				t.Errorf("col %d row %d = %s, want %s", f, r, got, want[f][r])
			}
		}
	}
}

func TestDecodeDataTolerance(t *testing.T) {
	body := `{"statusCode":200,"extra":{"nested":[1,{"a":null},"x\"y"]},"data":[
	 {"ts":"2020-01-01T00:00:00Z","id":5,"W_avg":null,"unknown":{"deep":[true,false]},"Wh_sum":"12.5"},
	 {"id":5,"ts":"2020-01-01T00:05:00+05:30"},
	 {"id":5,"ts":"2020-01-01T00:10:00+00:00","W_avg":-1.5e3,"Wh_sum":0,"W_avg":7},
	 {"id":5,"ts":"2020-01-01T00:15:00-00:00","W\u005favg":1E+2}
	],"more":"after"}`
	tab, err := decodeData([]byte(body), []string{"W_avg", "Wh_sum"}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	gotW := []string{}
	gotWh := []string{}
	for r := range tab.times {
		gotW = append(gotW, val(tab.cols[0].Pointers()[r]))
		gotWh = append(gotWh, val(tab.cols[1].Pointers()[r]))
	}
	if s := strings.Join(gotW, ","); s != "nil,nil,7,100" {
		t.Errorf("W_avg = %s, want nil,nil,7,100 (null, missing, last duplicate wins, escaped key)", s)
	}
	if s := strings.Join(gotWh, ","); s != "12.5,nil,0,nil" {
		t.Errorf("Wh_sum = %s, want 12.5,nil,0,nil", s)
	}
	if got := tab.times[1]; !got.Equal(time.Date(2019, 12, 31, 18, 35, 0, 0, time.UTC)) {
		t.Errorf("+05:30 ts = %v", got)
	}
}

func TestDecodeDataErrors(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"no data key":      {`{"statusCode":200}`, `no "data" list`},
		"truncated":        {`{"data":[{"id":1,"ts":"2020-01-01T00:00:00Z","W":1`, "ends early"},
		"not an object":    {`[1,2]`, "expected a JSON object"},
		"data not a list":  {`{"data":{}}`, `"data" must be a list`},
		"bad number":       {`{"data":[{"ts":"2020-01-01T00:00:00Z","W":"abc"}]}`, `field "W": value "abc" is not a number`},
		"bad literal":      {`{"data":[{"ts":"2020-01-01T00:00:00Z","W":NaN}]}`, `field "W"`},
		"huge number":      {`{"data":[{"ts":"2020-01-01T00:00:00Z","W":1e999}]}`, "out of range"},
		"missing ts":       {`{"data":[{"id":1,"W":1}]}`, "has no ts"},
		"bad ts":           {`{"data":[{"ts":"2020-13-01T00:00:00Z"}]}`, `ts "2020-13-01T00:00:00Z"`},
		"trailing garbage": {`{"data":[]} x`, "unexpected data after"},
		"html":             {`<html>oops</html>`, "expected a JSON object"},
		"empty":            {``, "ends early"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := decodeData([]byte(c.body), []string{"W"}, false, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
	if _, err := decodeData([]byte(`{"data":[{"ts":"2020-01-01T00:00:00Z"}]}`), []string{"W"}, true, nil); err == nil || !strings.Contains(err.Error(), "has no id") {
		t.Fatalf("bulk row without id: err = %v", err)
	}
}

func TestDecodeDataNullAndEmpty(t *testing.T) {
	for _, body := range []string{`{"data":null}`, `{"data":[]}`} {
		tab, err := decodeData([]byte(body), []string{"W"}, false, nil)
		if err != nil || len(tab.times) != 0 || len(tab.cols) != 1 {
			t.Errorf("%s: rows=%d err=%v", body, len(tab.times), err)
		}
	}
}

func TestSplitByIDSortsAndCapsSlices(t *testing.T) {
	body := `{"data":[
	 {"id":9,"ts":"2020-02-01T00:00:00Z","Wh_sum":2},
	 {"id":3,"ts":"2020-02-01T00:00:00Z","Wh_sum":20},
	 {"id":9,"ts":"2020-01-01T00:00:00Z","Wh_sum":1},
	 {"id":3,"ts":"2020-01-01T00:00:00Z","Wh_sum":null}]}`
	tab, err := decodeData([]byte(body), []string{"Wh_sum"}, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	series := tab.splitByID([]string{"Wh_sum"})
	if len(series) != 2 || series[0].ID != 3 || series[1].ID != 9 {
		t.Fatalf("series ids = %v", series)
	}
	if v := series[0].Values["Wh_sum"].Pointers(); val(v[0]) != "nil" || val(v[1]) != "20" {
		t.Errorf("site 3 = %s,%s; want nil,20", val(v[0]), val(v[1]))
	}
	if v := series[1].Values["Wh_sum"].Pointers(); val(v[0]) != "1" || val(v[1]) != "2" || !series[1].Times[0].Before(series[1].Times[1]) {
		t.Errorf("site 9 not in time order")
	}
	// Appending to one series must not overwrite the next one's data.
	_ = append(series[0].Values["Wh_sum"].Values, 99)
	if val(series[1].Values["Wh_sum"].Pointers()[0]) != "1" {
		t.Error("append to site 3 overwrote site 9")
	}
}

// fiveMinData builds rows of 5-minute data for nFields fields, with a few
// nulls and omitted fields, formatted as Locus does.
func fiveMinData(n, nFields int) ([]byte, []string) {
	fields := make([]string, nFields)
	for i := range fields {
		fields[i] = fmt.Sprintf("F%d_avg", i)
	}
	var b strings.Builder
	b.WriteString(`{"statusCode":200,"data":[`)
	loc := time.FixedZone("", -7*3600)
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, loc)
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":54369,"ts":"`)
		b.WriteString(start.Add(time.Duration(r) * 5 * time.Minute).Format("2006-01-02T15:04:05-07:00"))
		b.WriteByte('"')
		for f, name := range fields {
			if (r+f)%97 == 0 {
				continue // missing
			}
			b.WriteString(`,"`)
			b.WriteString(name)
			b.WriteString(`":`)
			if (r+f)%101 == 0 {
				b.WriteString("null")
			} else {
				fmt.Fprintf(&b, "%.3f", float64((r*31+f*7)%100000)/7)
			}
		}
		b.WriteByte('}')
	}
	b.WriteString("]}")
	return []byte(b.String()), fields
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	body, fields := fiveMinData(5000, 4)
	tab, err := decodeData(body, fields, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Data) != len(tab.times) {
		t.Fatalf("rows %d, want %d", len(tab.times), len(ref.Data))
	}
	for r, row := range ref.Data {
		ts, _ := time.Parse(time.RFC3339, row["ts"].(string))
		if !ts.Equal(tab.times[r]) {
			t.Fatalf("row %d ts %v, want %v", r, tab.times[r], ts)
		}
		for f, name := range fields {
			want, ok := row[name].(float64)
			got := tab.cols[f].Pointers()[r]
			if ok != (got != nil) || (ok && math.Abs(*got-want) > 0) {
				t.Fatalf("row %d %s = %s, want %v", r, name, val(got), row[name])
			}
		}
	}
}

// BenchmarkDecodeYear5Min10Fields decodes one year of 5-minute data for 10
// fields (~1 M values, ~25 MB of JSON). Issue 6 target: well under 250 ms/op,
// allocated bytes close to the size of the resulting columns.
func BenchmarkDecodeYear5Min10Fields(b *testing.B) {
	body, fields := fiveMinData(365*288, 10)
	// The rows carry -07:00, the offset of the request's zone (as Locus
	// sends them): every ts is checked against the zone, none flagged.
	phoenix, err := time.LoadLocation("America/Phoenix")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		tab, err := decodeData(body, fields, false, phoenix)
		if err != nil || tab.tsFlags != nil {
			b.Fatal(err, tab.tsFlags != nil)
		}
		rows = len(tab.times)
	}
	// Resulting columns: times (24 B) + ids (8 B) + per field a pointer (8 B) and a float (8 B).
	b.ReportMetric(float64(rows*(24+8+len(fields)*16))/1e6, "MB-columns")
	b.ReportMetric(float64(rows*len(fields))/1e6, "Mvalues")
}

func TestFastNumberMatchesParseFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		digits := 1 + r.IntN(17)
		mant := r.Uint64N(uint64(math.Pow10(min(digits, 19))))
		s := strconv.FormatUint(mant, 10)
		if frac := r.IntN(len(s) + 1); frac > 0 && frac < len(s) {
			s = s[:len(s)-frac] + "." + s[len(s)-frac:]
		}
		if r.IntN(2) == 0 {
			s = "-" + s
		}
		sc := scanner{b: []byte(s + ",")}
		got, null, err := sc.number()
		want, werr := strconv.ParseFloat(s, 64)
		if (err == nil) != (werr == nil && isJSONNumber([]byte(s))) {
			if isJSONNumber([]byte(s)) {
				t.Fatalf("%q: err %v vs %v", s, err, werr)
			}
			continue
		}
		if err == nil && (null || got != want || sc.i != len(s)) {
			t.Fatalf("%q = %v (consumed %d), want %v", s, got, sc.i, want)
		}
	}
}
