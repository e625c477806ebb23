package locus

import (
	"encoding/json"
	"testing"
)

// FuzzDecodeData feeds arbitrary bodies to the data decoder: it must never
// panic, and whenever it accepts a body that encoding/json also accepts, the
// two must agree on the row count and every requested field's values.
func FuzzDecodeData(f *testing.F) {
	seeds := []string{
		`{"statusCode":200,"data":[{"id":123,"ts":"2014-04-01T12:00:00-07:00","W_avg":23.717,"Wh_sum":5936}]}`,
		`{"data":[{"id":1,"ts":"2020-01-01T00:00:00Z","W_avg":null},{"id":1,"ts":"2020-01-01T00:05:00+05:30"}]}`,
		`{"data":[{"id":2,"ts":"2020-01-01T00:00:00Z","Wh_sum":"1e3","x":{"y":[1,"2",null,true]}}]}`,
		`{"data":null}`, `{"data":[]}`, `{}`, `[]`, `{"data":[{"ts":"bad"}]}`, `{"data":[{"ts":"2020-01-01T00:00:00Z","W_avg":-0.0e-0}]}`,
		`{"data":[{"id":1,"ts":"2020-01-01T00:00:00Z","W\u005favg":1}]}`, `{"data":[{`, `{"data":[{"id":1e2,"ts":"2020-01-01T00:00:00Z"}]}`,
		`{"data":[{"id":9,"ts":"2020-02-01T00:00:00Z","Wh_sum":2},{"id":3,"ts":"2020-02-01T00:00:00Z"},{"id":9,"ts":"2020-01-01T00:00:00Z","Wh_sum":null}]}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	fields := []string{"W_avg", "Wh_sum"}
	f.Fuzz(func(t *testing.T, body []byte) {
		tab, err := decodeData(body, fields, false, nil)
		if err != nil {
			return
		}
		if len(tab.cols) != len(fields) {
			t.Fatalf("%d columns for %d fields", len(tab.cols), len(fields))
		}
		for _, c := range tab.cols {
			if c.Len() != len(tab.times) || (c.Valid != nil && len(c.Valid) != len(tab.times)) {
				t.Fatalf("column length %d (valid %d) != %d rows", c.Len(), len(c.Valid), len(tab.times))
			}
		}
		checkBulkSplit(t, body, fields)
		var env map[string]json.RawMessage
		var rows []map[string]json.RawMessage
		if json.Unmarshal(body, &env) != nil || json.Unmarshal(env["data"], &rows) != nil {
			return
		}
		if len(rows) != len(tab.times) {
			t.Fatalf("%d rows, encoding/json sees %d", len(tab.times), len(rows))
		}
		for r, row := range rows {
			for i, name := range fields {
				raw, ok := row[name]
				got := tab.cols[i].Pointers()[r]
				if !ok || string(raw) == "null" {
					if got != nil {
						t.Fatalf("row %d %s = %v, want nil", r, name, *got)
					}
					continue
				}
				var want float64
				if json.Unmarshal(raw, &want) != nil {
					var s string
					if json.Unmarshal(raw, &s) != nil || json.Unmarshal([]byte(s), &want) != nil {
						continue
					}
				}
				if got == nil || *got != want {
					t.Fatalf("row %d %s = %v, want %v", r, name, got, want)
				}
			}
		}
	})
}

// checkBulkSplit decodes body as bulk data and checks the per-site split:
// every row lands in exactly one series, series in id order, each in time order.
func checkBulkSplit(t *testing.T, body []byte, fields []string) {
	tab, err := decodeData(body, fields, true, nil)
	if err != nil {
		return
	}
	rows := len(tab.times)
	series := tab.splitByID(fields)
	total := 0
	for i, s := range series {
		if i > 0 && series[i-1].ID >= s.ID {
			t.Fatalf("series %d id %d after id %d", i, s.ID, series[i-1].ID)
		}
		for j := 1; j < len(s.Times); j++ {
			if s.Times[j].Before(s.Times[j-1]) {
				t.Fatalf("series %d not in time order", s.ID)
			}
		}
		for _, f := range fields {
			if s.Values[f].Len() != len(s.Times) {
				t.Fatalf("series %d field %s has %d values for %d times", s.ID, f, s.Values[f].Len(), len(s.Times))
			}
		}
		total += len(s.Times)
	}
	if total != rows {
		t.Fatalf("split %d rows into series holding %d", rows, total)
	}
}
