package locus

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// randomRows is a data body whose rows vary the way a decoder's fast path
// (the previous row's keys, plain decimals read 8 bytes at a time) must not
// get wrong: keys in a stable order for stretches, then shuffled; fields
// left out or null; whitespace between tokens; unknown keys holding
// nested values; escaped keys; numbers of 1 to 17 digits, negative, with
// exponents, quoted; timestamps with and without fractions, across days
// and before 1970.
func randomRows(r *rand.Rand, n int, fields []string) []byte {
	ws := func() string {
		if r.IntN(6) > 0 {
			return ""
		}
		return []string{" ", "\n", "\t ", "\r\n  "}[r.IntN(4)]
	}
	number := func() string {
		digits := 1 + r.IntN(17)
		s := strconv.FormatUint(r.Uint64N(1<<62)%pow10u[min(digits, 8)]*uint64(max(1, digits-7)), 10)
		if digits > 8 {
			s += strconv.FormatUint(r.Uint64N(1e9), 10)
		}
		if f := r.IntN(len(s) + 1); f > 0 && f < len(s) {
			s = s[:len(s)-f] + "." + s[len(s)-f:]
		}
		switch r.IntN(10) {
		case 0:
			s = "-" + s
		case 1:
			s += []string{"e3", "E-2", "e+1"}[r.IntN(3)]
		case 2:
			s = `"` + s + `"`
		}
		return s
	}
	start := time.Date(1969, 12, 30, 22, 0, 0, 0, time.FixedZone("", -7*3600))
	order := append([]string{"id", "ts"}, fields...)
	var b strings.Builder
	b.WriteString(`{"statusCode":200,"data":[`)
	for row := range n {
		if row > 0 {
			b.WriteString("," + ws())
		}
		if r.IntN(40) == 0 {
			r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		b.WriteString("{" + ws())
		first := true
		member := func(key, value string) {
			if !first {
				b.WriteString("," + ws())
			}
			first = false
			b.WriteString(key + ws() + ":" + ws() + value + ws())
		}
		for _, k := range order {
			switch k {
			case "id":
				member(`"id"`, strconv.Itoa(1+row%3))
			case "ts":
				ts := start.Add(time.Duration(row) * 7 * time.Minute)
				layout := "2006-01-02T15:04:05-07:00"
				if r.IntN(50) == 0 {
					layout = "2006-01-02T15:04:05.000-07:00"
				}
				member(`"ts"`, `"`+ts.Format(layout)+`"`)
			default:
				switch r.IntN(30) {
				case 0: // left out
				case 1:
					member(`"`+k+`"`, "null")
				case 2:
					member(`"`+strings.Replace(k, "_", `\u005f`, 1)+`"`, number())
				default:
					member(`"`+k+`"`, number())
				}
			}
			if r.IntN(60) == 0 {
				member(`"extra"`, `{"a":[1,"}",{"b":null}],"c":"{,}"}`)
			}
		}
		b.WriteString("}")
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// The decoder agrees with encoding/json on every row of bodies that vary
// what its fast paths assume.
func TestDecodeRandomRowsMatchEncodingJSON(t *testing.T) {
	fields := []string{"W_avg", "Wh_sum", "PhV_avg", "A_max"}
	for seed := range uint64(20) {
		body := randomRows(rand.New(rand.NewPCG(seed, 7)), 600, fields)
		tab, err := decodeData(body, fields, true, nil)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		var ref struct {
			Data []map[string]json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &ref); err != nil {
			t.Fatalf("seed %d: encoding/json: %v", seed, err)
		}
		if len(ref.Data) != len(tab.times) {
			t.Fatalf("seed %d: %d rows, want %d", seed, len(tab.times), len(ref.Data))
		}
		for r, row := range ref.Data {
			var ts string
			var id int64
			_ = json.Unmarshal(row["ts"], &ts)
			_ = json.Unmarshal(row["id"], &id)
			want, err := time.Parse(time.RFC3339Nano, ts)
			if err != nil || !want.Equal(tab.times[r]) || tab.ids[r] != id {
				t.Fatalf("seed %d row %d: ts %v id %d, want %s id %d", seed, r, tab.times[r], tab.ids[r], ts, id)
			}
			for f, name := range fields {
				got := tab.cols[f].Pointers()[r]
				raw, ok := row[name]
				if !ok || string(raw) == "null" {
					if got != nil {
						t.Fatalf("seed %d row %d %s = %v, want null", seed, r, name, *got)
					}
					continue
				}
				text := strings.Trim(string(raw), `"`)
				want, err := strconv.ParseFloat(text, 64)
				if err != nil || got == nil || *got != want {
					t.Fatalf("seed %d row %d %s = %s, want %s", seed, r, name, val(got), raw)
				}
			}
		}
	}
}

// Plain decimals are read exactly as strconv.ParseFloat reads them, both
// with 8 bytes to read past the number (the 8-byte path) and at the very
// end of the body (byte by byte).
func TestPlainNumberMatchesParseFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300000; i++ {
		digits := 1 + r.IntN(17)
		s := strconv.FormatUint(r.Uint64N(1<<63)%uint64(pow10[min(digits, 19)]), 10)
		if frac := r.IntN(len(s) + 1); frac > 0 && frac < len(s) {
			s = s[:len(s)-frac] + "." + s[len(s)-frac:]
		}
		if r.IntN(2) == 0 {
			s = "-" + s
		}
		want, werr := strconv.ParseFloat(s, 64)
		for _, tail := range []string{"", ",", `,"W_avg":12345678}`, "}]}"} {
			body := []byte(s + tail)
			v, next, ok := plainNumber(body, 0)
			if !ok {
				continue // left to scanner.number (checked by TestFastNumberMatchesParseFloat)
			}
			if werr != nil || v != want || next != len(s) {
				t.Fatalf("%q: %v (next %d), want %v (%v) ending at %d", body, v, next, want, werr, len(s))
			}
		}
	}
	for _, bad := range []string{"", "-", "01", "-01.5", "1.", ".5", "1e5", "1.5E2", "1.2.3", "+1", "1-", "1234567.123456789"} {
		if v, next, ok := plainNumber([]byte(bad+`,"x":123456789`), 0); ok && bad != "1234567.123456789" {
			t.Errorf("%q read as %v ending at %d: want it left to the general parser", bad, v, next)
		} else if ok {
			t.Errorf("%q (16 significant digits) read on the fast path", bad)
		}
	}
}

// A tsReader reading a run of rows (most sharing the previous row's date
// and offset) gives what time.Parse gives for each, over days, a leap
// day, the years before 1970, and rejects what parseStamp rejects.
func TestTSReaderSameDayMatchesTimeParse(t *testing.T) {
	r := tsReader{}
	zones := []*time.Location{time.FixedZone("", -7*3600), time.FixedZone("", 5*3600+1800), time.UTC}
	at := time.Date(1968, 2, 28, 20, 0, 0, 0, time.UTC)
	for i := range 20000 {
		at = at.Add(time.Duration(1+i%13) * 7 * time.Minute)
		ts := at.In(zones[(i/3000)%len(zones)]).Format("2006-01-02T15:04:05-07:00")
		got, _, err := r.read([]byte(ts))
		want, werr := time.Parse(time.RFC3339, ts)
		if err != nil || werr != nil || !got.Equal(want) {
			t.Fatalf("read(%q) = %v, %v; want %v", ts, got, err, want)
		}
		if i%997 == 0 {
			for _, bad := range []string{ts[:11] + "24:00:00" + ts[19:], ts[:11] + "12:60:00" + ts[19:], ts[:11] + "12:00:6x" + ts[19:], ts[:11] + "1a:00:00" + ts[19:]} {
				if got, _, err := r.read([]byte(bad)); err == nil {
					t.Fatalf("read(%q) = %v, want an error", bad, got)
				}
			}
		}
	}
}

// Three bodies a plain decoder reads one way: a duplicate key's last value
// wins, a null too; a number nobody asked for is skipped however large;
// a repeated "data" list replaces the first, its rows and its timestamp
// report included.
func TestDecodeDuplicateKeysHugeUnrequestedNumbersAndRepeatedData(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := decodeData([]byte(`{"data":[{"ts":"2020-01-01T00:00:00-05:00","W_avg":1,"W_avg":null,"Wh_sum":null,"Wh_sum":2}]}`), []string{"W_avg", "Wh_sum"}, false, ny)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := tab.cols[0].Pointers()[0], tab.cols[1].Pointers()[0]; w != nil || h == nil || *h != 2 {
		t.Errorf("W_avg = %s, Wh_sum = %s; want null (the last value) and 2", val(w), val(h))
	}
	tab, err = decodeData([]byte(`{"data":[{"ts":"2020-01-01T00:00:00-05:00","x":1e400,"y":[-1E-999],"W_avg":3}]}`), []string{"W_avg"}, false, ny)
	if err != nil || *tab.cols[0].Pointers()[0] != 3 {
		t.Fatalf("a huge number in an unrequested key: %v, %v; want W_avg = 3", tab, err)
	}
	if _, err := decodeData([]byte(`{"data":[{"ts":"2020-01-01T00:00:00Z","W_avg":1e400}]}`), []string{"W_avg"}, false, nil); err == nil {
		t.Error("a requested value out of float64's range must be an error")
	}
	body := `{"data":[{"id":3,"ts":"2020-01-01T00:00:00Z"}],"data":[{"id":7,"ts":"2021-01-01T00:00:00-05:00","W_avg":5}]}`
	for _, needIDs := range []bool{false, true} {
		tab, err = decodeData([]byte(body), []string{"W_avg"}, needIDs, ny)
		if err != nil {
			t.Fatalf("needIDs %v: %v", needIDs, err)
		}
		want := time.Date(2021, 1, 1, 5, 0, 0, 0, time.UTC)
		if len(tab.times) != 1 || !tab.times[0].Equal(want) || *tab.cols[0].Pointers()[0] != 5 {
			t.Errorf("needIDs %v: %d rows %v, want the last list's one row at %v", needIDs, len(tab.times), tab.times, want)
		}
		if rep := tab.tsReport(0, len(tab.times)); rep != (TimestampReport{}) {
			t.Errorf("needIDs %v: timestamp report %+v from the list thrown away, want none", needIDs, rep)
		}
	}
}
