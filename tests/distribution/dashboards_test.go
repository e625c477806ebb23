package distribution

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sunfleet/locus-datasource/pkg/query"
)

// dashboard is the part of a dashboard JSON the tests read.
type dashboard struct {
	UID           string     `json:"uid"`
	Title         string     `json:"title"`
	SchemaVersion int        `json:"schemaVersion"`
	Panels        []dbPanel  `json:"panels"`
	Templating    templating `json:"templating"`
	Annotations   struct {
		List []annotation `json:"list"`
	} `json:"annotations"`
	Time struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"time"`
}

type templating struct {
	List []variable `json:"list"`
}

type dsRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type dbPanel struct {
	ID         int                      `json:"id"`
	Type       string                   `json:"type"`
	Title      string                   `json:"title"`
	Datasource *dsRef                   `json:"datasource"`
	Targets    []map[string]any         `json:"targets"`
	GridPos    struct{ X, Y, W, H int } `json:"gridPos"`
	Repeat     string                   `json:"repeat"`
	Panels     []dbPanel                `json:"panels"`
	TimeFrom   string                   `json:"timeFrom"`
}

type variable struct {
	Type       string          `json:"type"`
	Name       string          `json:"name"`
	Query      json.RawMessage `json:"query"`
	Datasource *dsRef          `json:"datasource"`
	Multi      bool            `json:"multi"`
	IncludeAll bool            `json:"includeAll"`
	AllValue   *string         `json:"allValue"`
	Current    struct {
		Text  any `json:"text"`
		Value any `json:"value"`
	} `json:"current"`
}

type annotation struct {
	Name       string         `json:"name"`
	BuiltIn    int            `json:"builtIn"`
	Datasource *dsRef         `json:"datasource"`
	Target     map[string]any `json:"target"`
}

// bundledDashboards returns every dashboard plugin.json includes, by path.
func bundledDashboards(t *testing.T) map[string]dashboard {
	t.Helper()
	out := map[string]dashboard{}
	for _, inc := range loadPluginJSON(t).Includes {
		var d dashboard
		readJSON(t, path.Join("src", inc.Path), &d)
		out[inc.Path] = d
	}
	if len(out) == 0 {
		t.Fatal("plugin.json includes no dashboards")
	}
	return out
}

// allPanels flattens rows (collapsed rows keep their panels inside).
func allPanels(ps []dbPanel) []dbPanel {
	var out []dbPanel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, allPanels(p.Panels)...)
	}
	return out
}

// grafanaQueryKeys are keys Grafana itself puts in a query next to the model.
var grafanaQueryKeys = map[string]string{"datasource": "object", "hide": query.KindBoolean, "key": query.KindString, "intervalMs": query.KindNumber, "maxDataPoints": query.KindNumber}

// variableQueryKeys mirror LocusVariableQuery in src/types.ts.
var variableQueryKeys = map[string]string{"refId": query.KindString, "kind": query.KindString, "clientId": query.KindString, "siteId": query.KindString, "componentId": query.KindString, "nodeType": query.KindString, "search": query.KindString, "limit": query.KindNumber}

// variableKinds mirror VariableKind in src/types.ts.
var variableKinds = []string{"clients", "sites", "components", "fields", "worstSites"}

// jsonKind names the schema kind of a decoded JSON value.
func jsonKind(v any) string {
	switch x := v.(type) {
	case string:
		return query.KindString
	case bool:
		return query.KindBoolean
	case float64, float32, int, int64, uint64:
		return query.KindNumber
	case []any:
		for _, e := range x {
			if _, ok := e.(string); !ok {
				return "array"
			}
		}
		return query.KindStringArray
	case map[string]any:
		return query.KindRecord
	}
	return fmt.Sprintf("%T", v)
}

// checkQueryModel reports keys of a Locus query that the query model does not have.
func checkQueryModel(where string, q map[string]any) []string {
	var problems []string
	qt, _ := q["queryType"].(string)
	schema, ok := query.ModelSchema()[qt]
	if !ok {
		return []string{fmt.Sprintf("%s: queryType %q is not one of %v", where, qt, query.AllTypes)}
	}
	for k, v := range q {
		if gk, ok := grafanaQueryKeys[k]; ok {
			if k == "datasource" || jsonKind(v) == gk {
				continue
			}
		}
		want, ok := schema[k]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: key %q is not in the %s query model", where, k, qt))
		case k == "fieldParams" && jsonKind(v) == query.KindRecord:
		case jsonKind(v) != want:
			problems = append(problems, fmt.Sprintf("%s: key %q is %s, the model wants %s", where, k, jsonKind(v), want))
		}
	}
	if r, _ := q["refId"].(string); r == "" {
		problems = append(problems, where+": refId is missing")
	}
	return problems
}

var varRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// referencedVariables lists $name and ${name} references in a JSON value.
func referencedVariables(v any) []string {
	b, _ := json.Marshal(v)
	var out []string
	for _, m := range varRef.FindAllStringSubmatch(string(b), -1) {
		if !strings.HasPrefix(m[1], "__") {
			out = append(out, m[1])
		}
	}
	return out
}

func TestDashboardsAreWellFormed(t *testing.T) {
	uids := map[string]string{}
	for file, d := range bundledDashboards(t) {
		if d.UID == "" || d.Title == "" || d.SchemaVersion < 39 {
			t.Errorf("%s: uid %q, title %q, schemaVersion %d: all required, schema for Grafana 12", file, d.UID, d.Title, d.SchemaVersion)
		}
		if other, dup := uids[d.UID]; dup {
			t.Errorf("%s and %s share uid %q", file, other, d.UID)
		}
		uids[d.UID] = file
		ids := map[int]bool{}
		for _, p := range allPanels(d.Panels) {
			if ids[p.ID] {
				t.Errorf("%s: panel id %d is used twice", file, p.ID)
			}
			ids[p.ID] = true
			if p.GridPos.W <= 0 || p.GridPos.H <= 0 || p.GridPos.X+p.GridPos.W > 24 {
				t.Errorf("%s: panel %q has gridPos %+v outside the 24-column grid", file, p.Title, p.GridPos)
			}
		}
	}
}

func TestDashboardsUseTheDatasourceVariable(t *testing.T) {
	for file, d := range bundledDashboards(t) {
		var dsVar *variable
		for i, v := range d.Templating.List {
			if v.Type == "datasource" {
				dsVar = &d.Templating.List[i]
			}
		}
		if dsVar == nil || dsVar.Name != "datasource" || string(dsVar.Query) != `"`+pluginID+`"` {
			t.Errorf("%s: needs a datasource variable named datasource with query %q, got %+v", file, pluginID, dsVar)
			continue
		}
		check := func(what string, ref *dsRef) {
			if ref == nil || ref.Type != pluginID || ref.UID != "${datasource}" {
				t.Errorf("%s: %s uses data source %+v, want {type: %s, uid: ${datasource}} so the dashboard works provisioned and imported", file, what, ref, pluginID)
			}
		}
		for _, p := range allPanels(d.Panels) {
			if p.Type == "row" {
				continue
			}
			check("panel "+p.Title, p.Datasource)
			for _, tg := range p.Targets {
				raw, _ := json.Marshal(tg["datasource"])
				var ref dsRef
				_ = json.Unmarshal(raw, &ref)
				check(fmt.Sprintf("panel %q target %v", p.Title, tg["refId"]), &ref)
			}
		}
		for _, v := range d.Templating.List {
			if v.Type == "query" {
				check("variable "+v.Name, v.Datasource)
			}
		}
		for _, a := range d.Annotations.List {
			if a.BuiltIn == 0 {
				check("annotation "+a.Name, a.Datasource)
			}
		}
	}
}

func TestDashboardQueriesFollowTheQueryModel(t *testing.T) {
	for file, d := range bundledDashboards(t) {
		var problems []string
		targets := 0
		for _, p := range allPanels(d.Panels) {
			if p.Type != "row" && len(p.Targets) == 0 {
				problems = append(problems, fmt.Sprintf("panel %q has no query", p.Title))
			}
			for _, tg := range p.Targets {
				targets++
				problems = append(problems, checkQueryModel(fmt.Sprintf("panel %q target %v", p.Title, tg["refId"]), tg)...)
			}
		}
		for _, a := range d.Annotations.List {
			if a.BuiltIn == 0 {
				problems = append(problems, checkQueryModel("annotation "+a.Name, a.Target)...)
				if a.Target["queryType"] != string(query.TypeAlerts) {
					problems = append(problems, fmt.Sprintf("annotation %q uses queryType %v; Locus alerts are the annotation source", a.Name, a.Target["queryType"]))
				}
			}
		}
		for _, v := range d.Templating.List {
			if v.Type != "query" {
				continue
			}
			var q map[string]any
			if err := json.Unmarshal(v.Query, &q); err != nil {
				problems = append(problems, fmt.Sprintf("variable %q: query is not an object: %s", v.Name, v.Query))
				continue
			}
			if k, _ := q["kind"].(string); !slices.Contains(variableKinds, k) {
				problems = append(problems, fmt.Sprintf("variable %q: kind %q is not one of %v", v.Name, k, variableKinds))
			}
			for k, val := range q {
				if want, ok := variableQueryKeys[k]; !ok || jsonKind(val) != want {
					problems = append(problems, fmt.Sprintf("variable %q: key %q (%s) is not in the variable query model", v.Name, k, jsonKind(val)))
				}
			}
		}
		if targets == 0 {
			problems = append(problems, "no panel queries at all")
		}
		sort.Strings(problems)
		for _, p := range problems {
			t.Errorf("%s: %s", file, p)
		}
	}
}

func TestDashboardVariableReferencesResolve(t *testing.T) {
	for file, d := range bundledDashboards(t) {
		defined := map[string]bool{}
		for _, v := range d.Templating.List {
			defined[v.Name] = true
		}
		for i, v := range d.Templating.List {
			// A variable may only use variables defined before it.
			var q any
			_ = json.Unmarshal(v.Query, &q)
			for _, ref := range referencedVariables(q) {
				pos := slices.IndexFunc(d.Templating.List, func(o variable) bool { return o.Name == ref })
				if pos < 0 || pos >= i {
					t.Errorf("%s: variable %q uses $%s, which is not defined before it", file, v.Name, ref)
				}
			}
		}
		for _, p := range allPanels(d.Panels) {
			for _, ref := range append(referencedVariables(p.Targets), referencedVariables(p.Title)...) {
				if !defined[ref] {
					t.Errorf("%s: panel %q uses $%s, which is not a dashboard variable", file, p.Title, ref)
				}
			}
			if p.Repeat != "" {
				v := d.Templating.List[slices.IndexFunc(d.Templating.List, func(o variable) bool { return o.Name == p.Repeat })]
				if !v.Multi || !v.IncludeAll {
					t.Errorf("%s: %q repeats over $%s, which should be multi-value with All", file, p.Title, p.Repeat)
				}
			}
		}
		for _, a := range d.Annotations.List {
			for _, ref := range referencedVariables(a.Target) {
				if !defined[ref] {
					t.Errorf("%s: annotation %q uses $%s, which is not a dashboard variable", file, a.Name, ref)
				}
			}
		}
	}
}

func TestBundledDashboardsCoverTheIssue(t *testing.T) {
	ds := bundledDashboards(t)
	fleet, site, perf := ds["dashboards/fleet-overview.json"], ds["dashboards/site-detail.json"], ds["dashboards/fleet-performance.json"]
	has := func(d dashboard, pred func(dbPanel) bool) bool { return slices.ContainsFunc(allPanels(d.Panels), pred) }
	target := func(p dbPanel, key string, want any) bool {
		return slices.ContainsFunc(p.Targets, func(tg map[string]any) bool { return fmt.Sprint(tg[key]) == fmt.Sprint(want) })
	}
	checks := []struct {
		what string
		ok   bool
	}{
		{"fleet: a geomap fed by a bulk table of the newest month", has(fleet, func(p dbPanel) bool {
			return p.Type == "geomap" && target(p, "queryType", "bulk") && target(p, "latestMonthOnly", true) && target(p, "format", "table")
		})},
		{"fleet: a bulk table with energy, expected energy and EER", has(fleet, func(p dbPanel) bool {
			return p.Type == "table" && target(p, "queryType", "bulk") && target(p, "fields", []any{"Wh_sum", "Wh_e_sum", "EER_avg", "GEER_avg"})
		})},
		{"fleet: an open alerts table", has(fleet, func(p dbPanel) bool {
			return p.Type == "table" && target(p, "queryType", "alerts") && target(p, "status", "open")
		})},
		{"fleet: total power", has(fleet, func(p dbPanel) bool { return p.Type == "timeseries" && target(p, "fields", []any{"W_avg"}) })},
		{"site: power vs modeled", has(site, func(p dbPanel) bool {
			return target(p, "fields", []any{"W_avg"}) && target(p, "fields", []any{"W_m_avg"}) && target(p, "entityType", "site")
		})},
		{"site: daily energy vs expected", has(site, func(p dbPanel) bool {
			return target(p, "granularity", "daily") && target(p, "fields", []any{"Wh_e_sum"})
		})},
		{"site: weather station irradiance", has(site, func(p dbPanel) bool { return target(p, "componentId", "$weatherstation") })},
		{"site: a row repeated over $component", has(site, func(p dbPanel) bool { return p.Type == "row" && p.Repeat == "component" })},
		{"performance: a ranking table", has(perf, func(p dbPanel) bool { return p.Type == "table" && target(p, "queryType", "ranking") })},
		{"performance: a performance index map from the ranking", has(perf, func(p dbPanel) bool { return p.Type == "geomap" && target(p, "queryType", "ranking") })},
		{"performance: a specific yield distribution", has(perf, func(p dbPanel) bool { return p.Type == "histogram" && target(p, "queryType", "ranking") })},
		{"performance: daily performance index of the worst sites, picked by a worstSites variable", has(perf, func(p dbPanel) bool {
			return p.Type == "timeseries" && target(p, "fields", []any{"performanceIndex"}) && target(p, "granularity", "daily") &&
				slices.ContainsFunc(perf.Templating.List, func(v variable) bool {
					var q struct {
						Kind string `json:"kind"`
					}
					_ = json.Unmarshal(v.Query, &q)
					return q.Kind == "worstSites" && (target(p, "siteId", "$"+v.Name) || target(p, "siteId", "${"+v.Name+"}"))
				})
		})},
		{"site: Locus alerts as annotations", slices.ContainsFunc(site.Annotations.List, func(a annotation) bool {
			return a.Target["queryType"] == "alerts" && a.Target["siteId"] == "$site"
		})},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("missing: %s", c.what)
		}
	}
}

// TestBulkPanelsShareOneUpstreamCall keeps every fleet bulk query of a
// dashboard identical: Locus serves one request at a time per account, and
// identical queries are answered from one set of upstream calls.
func TestBulkPanelsShareOneUpstreamCall(t *testing.T) {
	for file, d := range bundledDashboards(t) {
		shapes := map[string]bool{}
		for _, p := range allPanels(d.Panels) {
			for _, tg := range p.Targets {
				if tg["queryType"] != string(query.TypeBulk) {
					continue
				}
				shape := map[string]any{}
				for k, v := range tg {
					if k != "refId" && k != "datasource" {
						shape[k] = v
					}
				}
				b, _ := json.Marshal(shape)
				shapes[string(b)] = true
			}
		}
		if len(shapes) > 1 {
			t.Errorf("%s: bulk panels use %d different queries %v; give them the same fields and options", file, len(shapes), sortedKeys(shapes))
		}
	}
}

// TestDashboardLinksPointToBundledDashboards checks every /d/<uid> link
// (dashboard links and data links) targets a dashboard the plugin ships.
func TestDashboardLinksPointToBundledDashboards(t *testing.T) {
	ds := bundledDashboards(t)
	uids := map[string]bool{}
	for _, d := range ds {
		uids[d.UID] = true
	}
	linkRe := regexp.MustCompile(`/d/([A-Za-z0-9_-]+)`)
	links := 0
	for _, inc := range loadPluginJSON(t).Includes {
		text := string(readFile(t, path.Join("src", inc.Path)))
		for _, m := range linkRe.FindAllStringSubmatch(text, -1) {
			links++
			if !uids[m[1]] {
				t.Errorf("%s links to dashboard uid %q, which the plugin does not ship (uids %v)", inc.Path, m[1], sortedKeys(uids))
			}
		}
	}
	if links == 0 {
		t.Error("the bundled dashboards do not link to each other (fleet -> site detail and back)")
	}
}
