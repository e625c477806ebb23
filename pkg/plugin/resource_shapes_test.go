package plugin

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

var updateShapes = flag.Bool("update-shapes", false, "rewrite src/generated/resources.json from the routes' responses")

// goldenShapesPath is the frontend's copy of the resource response shapes;
// src/__tests__/drift.test.ts checks the TypeScript types against it.
var goldenShapesPath = filepath.Join("..", "..", "src", "generated", "resources.json")

// shapeOf describes a decoded JSON value: "string", "number", "boolean",
// "string[]", an object of key -> shape, or a one-element array holding the
// merged shape of an array's objects. Null is "null" and merges away.
func shapeOf(v any) any {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = shapeOf(e)
		}
		return out
	case []any:
		var merged any = "empty[]"
		for _, e := range x {
			if _, isString := e.(string); isString {
				return "string[]"
			}
			merged = mergeShape(merged, shapeOf(e))
		}
		if merged == "empty[]" {
			return merged
		}
		return []any{merged}
	}
	return fmt.Sprintf("unsupported:%T", v)
}

// mergeShape merges two shapes of one value seen twice: null or an empty
// array gives way to the other, objects merge key by key.
func mergeShape(a, b any) any {
	switch {
	case a == "null" || a == "empty[]":
		return b
	case b == "null" || b == "empty[]":
		return a
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		out := map[string]any{}
		for k, v := range am {
			out[k] = v
		}
		for k, v := range bm {
			if old, ok := out[k]; ok {
				out[k] = mergeShape(old, v)
			} else {
				out[k] = v
			}
		}
		return out
	}
	al, alok := a.([]any)
	bl, blok := b.([]any)
	if alok && blok {
		return []any{mergeShape(al[0], bl[0])}
	}
	if reflect.DeepEqual(a, b) {
		return a
	}
	return fmt.Sprintf("conflict:%v|%v", a, b)
}

// unresolved lists the paths whose shape is not a concrete kind (always
// null, always empty, conflicting): the calls must show every key once.
func unresolved(path string, s any) []string {
	switch x := s.(type) {
	case string:
		if x == "null" || x == "empty[]" || strings.Contains(x, ":") {
			return []string{path + ": " + x}
		}
	case map[string]any:
		var out []string
		for k, v := range x {
			out = append(out, unresolved(path+"."+k, v)...)
		}
		return out
	case []any:
		return unresolved(path+"[]", x[0])
	}
	return nil
}

// TestResourceShapesMatchFrontendGolden calls every resource route against
// the simulator (with parameters that make every optional key appear),
// derives each response's shape from the JSON it sends, and compares it
// with src/generated/resources.json, which the frontend's drift test
// compares with the TypeScript response types.
func TestResourceShapesMatchFrontendGolden(t *testing.T) {
	cfg := locussim.DefaultConfig()
	cfg.Sites = 40
	sim, base := simkit.Serve(t, cfg, nil)
	d, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	sites := sim.Fleet().SitesOfPartner(cfg.PartnerID)
	site := sim.Fleet().FindSite(cfg.PartnerID, func(s *locussim.Site) bool {
		return s.HasLocation && s.HasTypes(locussim.NodeInverter, locussim.NodeWeatherStation)
	})
	if site == nil {
		t.Fatal("the fleet has no located site with inverters and a weather station")
	}
	inv := site.ComponentsOfType(locussim.NodeInverter)[0]
	many := joinIDs(sites[:DefaultFieldUnionEntities+1], func(s *locussim.Site) int64 { return s.ID })
	to := time.Now().Add(-time.Hour).UnixMilli()
	from := to - 7*24*3600*1000
	calls := map[string][]string{
		"clients":           {"/clients"},
		"sites":             {"/sites?limit=0"},
		"site":              {fmt.Sprintf("/sites/%d", site.ID)},
		"siteComponents":    {fmt.Sprintf("/sites/%d/components", site.ID)},
		"components":        {"/components?limit=0&siteId=" + joinIDs(sites, func(s *locussim.Site) int64 { return s.ID }), "/components?nodeId=%25", "/components?query=inverter"},
		"component":         {fmt.Sprintf("/components/%d", inv.ID)},
		"dataavailable":     {fmt.Sprintf("/dataavailable?entityType=component&id=%d", inv.ID), "/dataavailable?entityType=site&id=" + many},
		"bulkDataavailable": {"/bulk/dataavailable"},
		"plan":              {fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&maxDataPoints=500", site.ID, from, to)},
		"timezones":         {"/timezones"},
		"worstSites":        {fmt.Sprintf("/ranking/worst?from=%d&to=%d&limit=5", from, to)},
	}
	got := map[string]any{}
	for name, paths := range calls {
		var shape any = "null"
		if name == "bulkDataavailable" {
			// The partner's bulk fields take no field parameters; the entries
			// are the same Go type (query.CatalogField) as a component's fields, whose
			// parameters show the element shape.
			_, body, _ := callResource(t, d, http.MethodGet, fmt.Sprintf("/dataavailable?entityType=component&id=%d", inv.ID))
			raw, _ := json.Marshal(map[string]any{"fields": body["fields"]})
			var v any
			_ = json.Unmarshal(raw, &v)
			shape = shapeOf(v)
		}
		for _, p := range paths {
			body := getOK(t, d, p)
			raw, _ := json.Marshal(body)
			var v any
			_ = json.Unmarshal(raw, &v)
			shape = mergeShape(shape, shapeOf(v))
		}
		if name == "plan" {
			// Optional keys of /plan (edges, refusals) cannot all show in one
			// answer: its shape is the Go structs' (query.ResourceShapes),
			// which the call above answered with.
			raw, _ := json.Marshal(query.ResourceShapes()["plan"])
			var v any
			_ = json.Unmarshal(raw, &v)
			shape = v
		}
		if bad := unresolved(name, shape); len(bad) > 0 {
			sort.Strings(bad)
			t.Errorf("route %s: shapes not shown by the calls:\n%s", name, strings.Join(bad, "\n"))
		}
		got[name] = shape
	}
	var want map[string]any
	testkit.JSONFile(t, goldenShapesPath, got, *updateShapes, "go test ./pkg/plugin -run ResourceShapes -update-shapes", &want)
	if !reflect.DeepEqual(want, got) {
		g, _ := json.MarshalIndent(got, "", "  ")
		t.Fatalf("resource shapes drifted from %s (update the types in src/types.ts, then run with -update-shapes); the routes send:\n%s", goldenShapesPath, g)
	}
}
