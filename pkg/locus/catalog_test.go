package locus

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// answers records the dataavailable answers the simulator sends, as bytes
// on the wire: the independent truth the catalogue is compared with.
type answers struct {
	mu     sync.Mutex
	byPath map[string][]byte
}

func (a *answers) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if strings.HasSuffix(r.URL.Path, "/dataavailable") {
			plain := body
			if rec.Header().Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err == nil {
					plain, _ = io.ReadAll(zr)
				}
			}
			a.mu.Lock()
			a.byPath[r.URL.Path] = plain
			a.mu.Unlock()
		}
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// baseFields decodes the recorded answer of path generically.
func (a *answers) baseFields(t *testing.T, path string) []map[string]any {
	t.Helper()
	a.mu.Lock()
	raw := a.byPath[path]
	a.mu.Unlock()
	var body struct {
		BaseFields []map[string]any `json:"baseFields"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("answer of %s: %v", path, err)
	}
	return body.BaseFields
}

// strs turns a decoded JSON array of strings into a []string.
func strs(v any) []string {
	out := []string{}
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

// The catalogue of a real simulator answer holds one entry per aggregation,
// in the answer's order, each carrying its base field's attributes, as the
// API reference's dataavailable example lays them out (baseFields[].
// aggregations[].shortName).
func TestCatalogFromSimulatorDataAvailable(t *testing.T) {
	rec := &answers{byPath: map[string][]byte{}}
	e := newEnv(t, nil, rec.wrap)
	a := e.api(t, nil)
	site, inv := e.site(t, 0).ID, firstWithType(t, e, locussim.NodeInverter).ID
	for _, kind := range []EntityKind{KindSite, KindComponent, ""} {
		var cat *Catalog
		var err error
		path := "/v3/partners/4242/sites/dataavailable"
		switch kind {
		case KindSite:
			cat, err = a.DataAvailable(bg(), kind, site)
			path = fmt.Sprintf("/v3/sites/%d/dataavailable", site)
		case KindComponent:
			cat, err = a.DataAvailable(bg(), kind, inv)
			path = fmt.Sprintf("/v3/components/%d/dataavailable", inv)
		default:
			cat, err = a.BulkDataAvailable(bg())
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		raw := rec.baseFields(t, path)
		var want []string
		for _, bf := range raw {
			grans := strs(bf["granularities"])
			var params []string
			if ps, ok := bf["fieldParameters"].([]any); ok {
				for _, p := range ps {
					pm := p.(map[string]any)
					params = append(params, pm["param"].(string)+"="+strings.Join(strs(pm["values"]), "|"))
				}
			}
			for _, ag := range bf["aggregations"].([]any) {
				am := ag.(map[string]any)
				short := am["shortName"].(string)
				want = append(want, short)
				f, ok := cat.Lookup(short)
				if !ok {
					t.Errorf("%s: catalogue lacks %s", path, short)
					continue
				}
				if f.BaseField != bf["baseField"] || f.LongName != bf["longName"] || f.Source != bf["source"] || f.Unit != bf["unit"] || f.Aggregation != am["aggregation"] {
					t.Errorf("%s: %s = %+v, want the base field %v with aggregation %v", path, short, f, bf, am["aggregation"])
				}
				if !slices.Equal(f.Granularities, grans) {
					t.Errorf("%s: %s granularities %v, want %v", path, short, f.Granularities, grans)
				}
				var got []string
				for _, p := range f.FieldParameters {
					got = append(got, p.Param+"="+strings.Join(p.Values, "|"))
				}
				if !slices.Equal(got, params) || f.FieldParameters == nil {
					t.Errorf("%s: %s field parameters %v, want %v (never nil)", path, short, got, params)
				}
			}
		}
		var order []string
		for _, f := range cat.Fields() {
			order = append(order, f.ShortName)
		}
		if len(want) == 0 || !slices.Equal(order, want) || cat.Len() != len(want) {
			t.Errorf("%s: catalogue order %v, want the answer's %v", path, order, want)
		}
		sorted := slices.Sorted(slices.Values(want))
		if !slices.Equal(cat.Names(), sorted) {
			t.Errorf("%s: Names %v, want sorted %v", path, cat.Names(), sorted)
		}
	}
}

// By hand, from the API reference: a site's W base field (AC Power,
// Measured, unit W) offers W_avg with aggregation avg; modeled power takes
// the field parameters modelType, irradianceSource and inverterClipping.
func TestCatalogSiteFieldsByHand(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	cat, err := a.DataAvailable(bg(), KindSite, e.site(t, 0).ID)
	if err != nil {
		t.Fatal(err)
	}
	w, ok := cat.Lookup("W_avg")
	if !ok || w.BaseField != "W" || w.LongName != "AC Power" || w.Source != "Measured" || w.Unit != "W" || w.Aggregation != "avg" {
		t.Errorf("W_avg = %+v (found %v)", w, ok)
	}
	if !w.Offers("5min") || !w.Offers("HOURLY") || w.Offers("fortnightly") {
		t.Errorf("W_avg offers %v: 5min and hourly (any case) expected, fortnightly not", w.Granularities)
	}
	m, _ := cat.Lookup("W_m_avg")
	var params []string
	for _, p := range m.FieldParameters {
		params = append(params, p.Param)
	}
	if m.Source != "Modeled" || !slices.Equal(params, []string{"modelType", "irradianceSource", "inverterClipping"}) {
		t.Errorf("W_m_avg = %+v: Modeled with modelType, irradianceSource, inverterClipping expected", m)
	}
	if cat.Has("Mystery_avg") {
		t.Error("a shortName the answer does not list must be unknown")
	}
}

// Add keeps the first entry of a shortName; Merge unions catalogues in
// first-seen order; nil and the zero value are empty catalogues.
func TestCatalogAddMerge(t *testing.T) {
	var none *Catalog
	if none.Len() != 0 || none.Has("W_avg") || len(none.Names()) != 0 || none.Fields() != nil {
		t.Error("a nil catalogue must be empty")
	}
	a := NewCatalog([]BaseField{{BaseField: "W", Unit: "W", Aggregations: []Aggregation{{"W_avg", "avg"}, {"W_max", "max"}}}})
	b := NewCatalog([]BaseField{{BaseField: "W", Unit: "kW", Aggregations: []Aggregation{{"W_max", "max"}}},
		{BaseField: "Wh", Unit: "Wh", Aggregations: []Aggregation{{"Wh_sum", "sum"}}}})
	u := &Catalog{}
	u.Merge(a)
	u.Merge(b)
	u.Merge(nil)
	var order []string
	for _, f := range u.Fields() {
		order = append(order, f.ShortName)
	}
	if !slices.Equal(order, []string{"W_avg", "W_max", "Wh_sum"}) {
		t.Errorf("union order %v", order)
	}
	if f, _ := u.Lookup("W_max"); f.Unit != "W" {
		t.Errorf("the first entry of a shortName must win, got unit %q", f.Unit)
	}
	if u.Add(Field{ShortName: "W_avg"}) || !u.Add(Field{ShortName: "PR", Source: "KPI"}) {
		t.Error("Add must refuse a known shortName and take a new one")
	}
	if f, _ := u.Lookup("PR"); f.Granularities == nil || f.FieldParameters == nil {
		t.Error("an added field's lists must not be nil")
	}
}
