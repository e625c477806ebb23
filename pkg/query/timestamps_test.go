package query

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// simRow is one data row as the simulator sends it with its documented
// offsets, parsed by the standard library (independent of pkg/locus).
type simRow struct {
	ts   time.Time
	vals map[string]float64
}

// simData GETs a data path from the simulator over plain HTTP with its own
// token and parses the rows with time.Parse: the oracle of these tests.
func (e *env) simData(t *testing.T, path string) []simRow {
	t.Helper()
	form := url.Values{"grant_type": {"password"}, "client_id": {locussim.DefaultClientID}, "client_secret": {locussim.DefaultClientSecret},
		"username": {locussim.DefaultUsername}, "password": {locussim.DefaultPassword}}
	resp, err := http.PostForm(e.url+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("oracle login: %v", err)
	}
	req, _ := http.NewRequest("GET", e.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("oracle GET %s: %d %s", path, resp.StatusCode, body)
	}
	var env struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("oracle body: %v", err)
	}
	out := make([]simRow, len(env.Data))
	for i, r := range env.Data {
		ts, err := time.Parse(time.RFC3339, r["ts"].(string))
		if err != nil {
			t.Fatalf("oracle ts %v: %v", r["ts"], err)
		}
		out[i] = simRow{ts: ts.UTC(), vals: map[string]float64{}}
		for k, v := range r {
			if f, isNum := v.(float64); isNum && k != "id" {
				out[i].vals[k] = f
			}
		}
	}
	return out
}

// Issue 10, case 4: a Honolulu site, hourly Wh_sum over one local day, from
// a Locus that writes ts without offset. Every one of the 24 rows is at its
// local hour (10:00Z + i h) with the value the simulator gives that hour,
// and a notice says how the timestamps were read.
func TestOffsetlessTimestampsAreReadInTheRequestZone(t *testing.T) {
	for _, mode := range []string{locussim.TSOffsetNone, locussim.TSOffsetUTC} {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t, nil, nil)
			hnl, _ := time.LoadLocation("Pacific/Honolulu")
			s := e.site(t, "Pacific/Honolulu", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
			from, to := testkit.LocalDay(hnl, 2025, 6, 10)
			want := e.simData(t, fmt.Sprintf("/v3/sites/%d/data?fields=Wh_sum&start=2025-06-10T00:00:00&end=2025-06-11T00:00:00&tz=Pacific/Honolulu&gran=hourly", s.ID))
			if len(want) != 24 {
				t.Fatalf("oracle has %d hourly rows, want 24", len(want))
			}
			e.sim.SetFaults(locussim.Faults{TSOffset: mode})
			resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"],"granularity":"hourly"}`, s.ID),
				From: from, To: to, Interval: time.Hour, MaxDP: 1000})
			f := testkit.Frames(t, resp, "A")[0]
			ts, vs := testkit.Times(t, f), testkit.Values(t, f)
			if len(ts) != 24 {
				t.Fatalf("%d rows, want 24 (notices: %s)", len(ts), testkit.Notices(f))
			}
			for i := range ts {
				at := time.Date(2025, 6, 10, 10+i, 0, 0, 0, time.UTC) // HST is UTC-10, no DST
				if !ts[i].Equal(at) || !want[i].ts.Equal(at) {
					t.Errorf("row %d at %s (oracle %s), want %s", i, ts[i], want[i].ts, at)
				}
				wv, has := want[i].vals["Wh_sum"]
				if (vs[i] != nil) != has || (has && *vs[i] != wv) {
					t.Errorf("row %d (%s): Wh_sum %v, oracle %v (present %v)", i, at, vs[i], wv, has)
				}
			}
			n := testkit.Notices(f)
			switch mode {
			case locussim.TSOffsetNone:
				if !strings.Contains(n, "24 timestamps without a UTC offset") || !strings.Contains(n, "Pacific/Honolulu") {
					t.Errorf("notices %q do not report the 24 offset-less timestamps read in Pacific/Honolulu", n)
				}
			case locussim.TSOffsetUTC:
				if !strings.Contains(n, "24 timestamps whose UTC offset is not that of Pacific/Honolulu") {
					t.Errorf("notices %q do not report the 24 timestamps with another offset", n)
				}
			}
			if strings.Contains(n, "Left out") {
				t.Errorf("rows were left out: %s", n)
			}
		})
	}
}

// A Locus that writes the request zone's wall-clock time with a UTC offset
// (+00:00 instead of -10:00) names instants 10 h early: their offset is
// trusted, so the 10 rows before the window's start are left out and the
// notices say so, with the count, instead of dropping them silently.
func TestRowsOutsideTheirRequestAreReported(t *testing.T) {
	wallAsUTC := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/data") {
				h.ServeHTTP(w, r)
				return
			}
			r.Header.Del("Accept-Encoding")
			rec := &captureWriter{header: http.Header{}}
			h.ServeHTTP(rec, r)
			body := bytes.ReplaceAll(rec.body.Bytes(), []byte(`-10:00"`), []byte(`+00:00"`))
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.WriteHeader(rec.status)
			_, _ = w.Write(body)
		})
	}
	e := newEnv(t, nil, wallAsUTC)
	hnl, _ := time.LoadLocation("Pacific/Honolulu")
	s := e.site(t, "Pacific/Honolulu", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	from, to := testkit.LocalDay(hnl, 2025, 6, 10)
	resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"],"granularity":"hourly"}`, s.ID),
		From: from, To: to, Interval: time.Hour, MaxDP: 1000})
	f := testkit.Frames(t, resp, "A")[0]
	// Rows 00:00..23:00 "+00:00" are 00:00Z..23:00Z; the window is
	// [10:00Z, next day 10:00Z): 10 rows before it, 14 kept.
	if n := len(testkit.Times(t, f)); n != 14 {
		t.Errorf("%d rows kept, want 14", n)
	}
	n := testkit.Notices(f)
	for _, want := range []string{"Left out 10 rows Locus returned outside the period", "the first at 2025-06-09T14:00:00 Pacific/Honolulu",
		"24 timestamps whose UTC offset is not that of Pacific/Honolulu"} {
		if !strings.Contains(n, want) {
			t.Errorf("notices %q lack %q", n, want)
		}
	}
}

// captureWriter buffers a handler's response.
type captureWriter struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (c *captureWriter) Header() http.Header { return c.header }
func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = 200
	}
	return c.body.Write(b)
}
func (c *captureWriter) WriteHeader(s int) {
	if c.status == 0 {
		c.status = s
	}
}

// Bulk months without offsets are read in each request's zone: the same
// rows, every month the 1st at 00:00 in its site's zone, and a notice.
func TestBulkOffsetlessMonthsAreSiteLocal(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Sites = 5 }, nil)
	q := testkit.Query{Ref: "A", JSON: `{"queryType":"bulk","fields":["Wh_sum"]}`, From: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), Interval: time.Hour, MaxDP: 1000}
	base := testkit.Frames(t, testkit.Run(t, e.eng, nil, q), "A")[0]
	e = newEnv(t, func(c *locussim.Config) { c.Sites = 5; c.Faults.TSOffset = locussim.TSOffsetNone }, nil)
	f := testkit.Frames(t, testkit.Run(t, e.eng, nil, q), "A")[0]
	months, ids := testkit.Field(t, f, "time"), testkit.Field(t, f, "site_id")
	if months.Len() == 0 || months.Len() != testkit.Field(t, base, "time").Len() {
		t.Fatalf("%d rows without offsets, %d with", months.Len(), testkit.Field(t, base, "time").Len())
	}
	// The month column is nullable (a site without data is a row without a month).
	month := func(v any) (time.Time, bool) {
		switch x := v.(type) {
		case time.Time:
			return x, true
		case *time.Time:
			if x != nil {
				return *x, true
			}
		}
		return time.Time{}, false
	}
	for i := 0; i < months.Len(); i++ {
		s := e.sim.Fleet().Site(ids.At(i).(int64))
		m, ok := month(months.At(i))
		want, wok := month(testkit.Field(t, base, "time").At(i))
		if !ok || !wok {
			if ok != wok {
				t.Errorf("row %d: month %v without offsets, %v with", i, months.At(i), testkit.Field(t, base, "time").At(i))
			}
			continue
		}
		if l := m.In(s.Location()); l.Day() != 1 || l.Hour() != 0 || !m.Equal(want) {
			t.Errorf("row %d: month %s is not the 1st at 00:00 in %s", i, m, s.Timezone)
		}
	}
	if n := testkit.Notices(f); !strings.Contains(n, "month timestamps without a UTC offset") {
		t.Errorf("notices %q do not report the offset-less months", n)
	}
}
