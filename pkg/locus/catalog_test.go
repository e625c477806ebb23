package locus

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// rawDataAvailable fetches a dataavailable answer over plain HTTP, without
// the client: the independent truth the catalogue is compared with.
func rawDataAvailable(t *testing.T, e *env, path string) []map[string]any {
	t.Helper()
	form := url.Values{"grant_type": {"password"}, "client_id": {locussim.DefaultClientID}, "client_secret": {locussim.DefaultClientSecret},
		"username": {locussim.DefaultUsername}, "password": {locussim.DefaultPassword}}
	resp, err := http.PostForm(e.srv.URL+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %v (status %d)", err, resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		BaseFields []map[string]any `json:"baseFields"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v", path, resp.StatusCode, err)
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
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	s := e.site(t, 0)
	inv := firstWithType(t, e, locussim.NodeInverter)
	cases := []struct {
		path string
		get  func() (*Catalog, error)
	}{
		{fmt.Sprintf("/v3/sites/%d/dataavailable", s.ID), func() (*Catalog, error) { return a.DataAvailable(bg(), KindSite, s.ID) }},
		{fmt.Sprintf("/v3/components/%d/dataavailable", inv.ID), func() (*Catalog, error) { return a.DataAvailable(bg(), KindComponent, inv.ID) }},
		{"/v3/partners/4242/sites/dataavailable", func() (*Catalog, error) { return a.BulkDataAvailable(bg()) }},
	}
	for _, c := range cases {
		cat, err := c.get()
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		raw := rawDataAvailable(t, e, c.path)
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
					t.Errorf("%s: catalogue lacks %s", c.path, short)
					continue
				}
				if f.BaseField != bf["baseField"] || f.LongName != bf["longName"] || f.Source != bf["source"] || f.Unit != bf["unit"] || f.Aggregation != am["aggregation"] {
					t.Errorf("%s: %s = %+v, want the base field %v with aggregation %v", c.path, short, f, bf, am["aggregation"])
				}
				if !slices.Equal(f.Granularities, grans) {
					t.Errorf("%s: %s granularities %v, want %v", c.path, short, f.Granularities, grans)
				}
				var got []string
				for _, p := range f.FieldParameters {
					got = append(got, p.Param+"="+strings.Join(p.Values, "|"))
				}
				if !slices.Equal(got, params) || f.FieldParameters == nil {
					t.Errorf("%s: %s field parameters %v, want %v (never nil)", c.path, short, got, params)
				}
			}
		}
		var order []string
		for _, f := range cat.Fields() {
			order = append(order, f.ShortName)
		}
		if len(want) == 0 || !slices.Equal(order, want) || cat.Len() != len(want) {
			t.Errorf("%s: catalogue order %v, want the answer's %v", c.path, order, want)
		}
		sorted := slices.Sorted(slices.Values(want))
		if !slices.Equal(cat.Names(), sorted) {
			t.Errorf("%s: Names %v, want sorted %v", c.path, cat.Names(), sorted)
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
