package distribution

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// option is one template variable option (text = name, value = id).
type option struct{ text, value string }

// resolvedVar is a template variable with its options and selection.
type resolvedVar struct {
	options  []option
	selected []string
	all      bool
	allValue *string
}

// render is how a query sees the variable (csv, like the frontend's ids).
// As in Grafana, an empty custom all value counts as none: All then means
// every option. Empty values (a variable's warning option, value "") are
// dropped, as the frontend's id interpolation (splitList) drops them.
func (v resolvedVar) render() string {
	if v.all && v.allValue != nil && *v.allValue != "" {
		return *v.allValue
	}
	var vals []string
	for _, s := range v.selected {
		if s != "" {
			vals = append(vals, s)
		}
	}
	return strings.Join(vals, ",")
}

// variableOptions lists a variable's options the way src/variables.ts does:
// from the resource routes, text = name and value = id; tr is the
// dashboard's range (a worstSites variable ranks over it).
func variableOptions(b *demoBackend, q map[string]string, tr backend.TimeRange) []option {
	switch q["kind"] {
	case "worstSites":
		params := url.Values{"from": {fmt.Sprint(tr.From.UnixMilli())}, "to": {fmt.Sprint(tr.To.UnixMilli())}, "limit": {q["limit"]}}
		for _, k := range []string{"clientId", "siteId"} {
			if q[k] != "" {
				params.Set(k, q[k])
			}
		}
		var body struct {
			Sites []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"sites"`
			Total int `json:"total"`
		}
		b.resource("ranking/worst", params, &body)
		var out []option
		for _, s := range body.Sites {
			out = append(out, option{s.Name, fmt.Sprint(s.ID)})
		}
		if body.Total > len(body.Sites) {
			out = append(out, option{fmt.Sprintf("⚠ worst %d of %d sites", len(body.Sites), body.Total), ""})
		}
		return out
	case "clients":
		var body struct {
			Clients []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"clients"`
		}
		b.resource("clients", nil, &body)
		var out []option
		for _, c := range body.Clients {
			out = append(out, option{c.Name, fmt.Sprint(c.ID)})
		}
		return out
	case "sites":
		params := url.Values{"query": {q["search"]}, "limit": {"500"}}
		if q["clientId"] != "" {
			params.Set("clientId", q["clientId"]) // src/variables.ts passes the interpolated list as is
		}
		var body struct {
			Sites []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"sites"`
		}
		b.resource("sites", params, &body)
		var out []option
		for _, s := range body.Sites {
			out = append(out, option{s.Name, fmt.Sprint(s.ID)})
		}
		return out
	case "components":
		site := strings.Split(q["siteId"], ",")[0]
		if site == "" {
			return nil
		}
		var body struct {
			Components []struct {
				ID       int64  `json:"id"`
				Name     string `json:"name"`
				NodeType string `json:"nodeType"`
			} `json:"components"`
		}
		b.resource("sites/"+site+"/components", nil, &body)
		var out []option
		for _, c := range body.Components {
			if q["nodeType"] == "" || strings.EqualFold(c.NodeType, q["nodeType"]) {
				out = append(out, option{c.Name, fmt.Sprint(c.ID)})
			}
		}
		return out
	}
	b.t.Fatalf("variable kind %q is not handled by this test", q["kind"])
	return nil
}

// currentValues reads a variable's saved selection ("$__all" for All).
func currentValues(v variable) []string {
	switch x := v.Current.Value.(type) {
	case string:
		if x == "" {
			return nil
		}
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}

// resolveVariables computes every variable's options and default selection
// in dashboard order, as Grafana does when the dashboard opens, and checks
// that the saved selections exist in the demo.
func resolveVariables(t *testing.T, b *demoBackend, file string, d dashboard) map[string]resolvedVar {
	t.Helper()
	tr := relativeRange(t, d.Time.From, d.Time.To, time.Now())
	vars := map[string]resolvedVar{}
	for _, v := range d.Templating.List {
		switch v.Type {
		case "datasource":
			vars[v.Name] = resolvedVar{selected: []string{demoUID}}
			continue
		case "query":
		default:
			t.Fatalf("%s: variable %q has type %q, which this test does not resolve", file, v.Name, v.Type)
		}
		var raw map[string]any
		if err := json.Unmarshal(v.Query, &raw); err != nil {
			t.Fatalf("%s: variable %q: %v", file, v.Name, err)
		}
		q := map[string]string{}
		for k, val := range raw {
			q[k] = interpolate(fmt.Sprint(val), vars)
		}
		opts := variableOptions(b, q, tr)
		if len(opts) == 0 {
			t.Errorf("%s: variable %q has no options in the demo (query %v)", file, v.Name, q)
			vars[v.Name] = resolvedVar{}
			continue
		}
		rv := resolvedVar{options: opts, allValue: v.AllValue}
		cur := currentValues(v)
		switch {
		case len(cur) == 1 && cur[0] == "$__all":
			if !v.IncludeAll {
				t.Errorf("%s: variable %q selects All but does not include All", file, v.Name)
			}
			rv.all = true
			for _, o := range opts {
				rv.selected = append(rv.selected, o.value)
			}
		case len(cur) > 0:
			for _, c := range cur {
				i := slices.IndexFunc(opts, func(o option) bool { return o.value == c })
				if i < 0 {
					t.Errorf("%s: variable %q defaults to %q, which the demo does not offer (options %v)", file, v.Name, c, opts)
					continue
				}
				if text, ok := v.Current.Text.(string); ok && len(cur) == 1 && text != opts[i].text {
					t.Errorf("%s: variable %q shows %q for %s, the demo calls it %q", file, v.Name, text, c, opts[i].text)
				}
			}
			rv.selected = cur
		default:
			rv.selected = []string{opts[0].value}
		}
		vars[v.Name] = rv
	}
	return vars
}

var varPattern = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[a-z]+)?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// interpolate replaces $name and ${name} with the variable's rendering;
// unknown names stay as they are.
func interpolate(s string, vars map[string]resolvedVar) string {
	return varPattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := varPattern.FindStringSubmatch(m)
		name := sub[1] + sub[2]
		if v, ok := vars[name]; ok {
			return v.render()
		}
		return m
	})
}

// interpolateModel applies the variables to every string of a query model.
func interpolateModel(q map[string]any, vars map[string]resolvedVar) map[string]any {
	out := map[string]any{}
	for k, v := range q {
		switch x := v.(type) {
		case string:
			out[k] = interpolate(x, vars)
		case []any:
			var list []any
			for _, e := range x {
				if s, ok := e.(string); ok {
					for _, part := range strings.Split(interpolate(s, vars), ",") {
						list = append(list, part)
					}
				} else {
					list = append(list, e)
				}
			}
			out[k] = list
		default:
			out[k] = v
		}
	}
	return out
}

// panelRun is one panel instance to query (repeated rows give several).
type panelRun struct {
	title string
	panel dbPanel
	vars  map[string]resolvedVar
}

// expandRepeats instantiates panels of repeated rows once per value of the
// row's variable, as Grafana does.
func expandRepeats(d dashboard, vars map[string]resolvedVar) []panelRun {
	var runs []panelRun
	repeat := ""
	for _, p := range d.Panels {
		if p.Type == "row" {
			repeat = p.Repeat
			for _, inner := range p.Panels { // collapsed rows keep their panels inside
				runs = append(runs, instances(inner, repeat, vars)...)
			}
			continue
		}
		runs = append(runs, instances(p, repeat, vars)...)
	}
	return runs
}

func instances(p dbPanel, repeat string, vars map[string]resolvedVar) []panelRun {
	if repeat == "" {
		return []panelRun{{p.Title, p, vars}}
	}
	var out []panelRun
	for _, value := range vars[repeat].selected {
		scoped := map[string]resolvedVar{}
		for k, v := range vars {
			scoped[k] = v
		}
		scoped[repeat] = resolvedVar{selected: []string{value}, options: vars[repeat].options}
		out = append(out, panelRun{fmt.Sprintf("%s [%s=%s]", p.Title, repeat, value), p, scoped})
	}
	return out
}

// TestProvisionedDashboardsGetDataFromTheBackend opens every provisioned
// dashboard the way Grafana would against the demo data source: resolves
// its variables through the resource routes, then runs every panel's queries
// (repeated rows once per value) and the annotation query through the
// plugin's QueryData, and checks each gets data and no error.
func TestProvisionedDashboardsGetDataFromTheBackend(t *testing.T) {
	for name, start := range backends {
		t.Run(name, func(t *testing.T) { openProvisionedDashboards(t, start(t)) })
	}
}

// backends are the two ways the tests reach the plugin: the data source
// in-process, and the built binary over gRPC as Grafana (and the compose
// stack) runs it.
var backends = map[string]func(*testing.T) *demoBackend{
	"in-process":   newDemoBackend,
	"built binary": newBinaryDemoBackend,
}

func openProvisionedDashboards(t *testing.T, b *demoBackend) {
	now := time.Now()
	files := provisionedDashboards(t)
	if len(files) == 0 {
		t.Fatal("no provisioned dashboards")
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			b.t = t
			var d dashboard
			readJSON(t, file, &d)
			vars := resolveVariables(t, b, file, d)
			runs := expandRepeats(d, vars)
			queried := 0
			for _, run := range runs {
				if len(run.panel.Targets) == 0 {
					continue
				}
				tr := relativeRange(t, d.Time.From, d.Time.To, now)
				if run.panel.TimeFrom != "" {
					tr = relativeRange(t, "now-"+run.panel.TimeFrom, "now", now)
				}
				width := int64(run.panel.GridPos.W) * 1600 / 24
				for _, target := range run.panel.Targets {
					q := interpolateModel(target, run.vars)
					resp := b.query(q, tr, width, false)
					queried++
					checkPanelResponse(t, fmt.Sprintf("%s / %q %v", d.Title, run.title, q["refId"]), q, resp, b)
				}
			}
			for _, a := range d.Annotations.List {
				if a.BuiltIn != 0 {
					continue
				}
				q := interpolateModel(a.Target, vars)
				resp := b.query(q, relativeRange(t, d.Time.From, d.Time.To, now), 1000, false)
				queried++
				checkPanelResponse(t, fmt.Sprintf("%s / annotation %q", d.Title, a.Name), q, resp, b)
				for _, f := range resp.Frames {
					for _, col := range []string{"time", "timeEnd", "title", "text", "tags"} {
						if fieldByName(f, col) == nil {
							t.Errorf("annotation %q: frame lacks the %s column the frontend maps to regions", a.Name, col)
						}
					}
				}
			}
			if queried == 0 {
				t.Errorf("%s: no query ran", file)
			}
		})
	}
}

// checkPanelResponse asserts a query answered without error and, where the
// demo fleet has data, with data.
func checkPanelResponse(t *testing.T, where string, q map[string]any, resp backend.DataResponse, b *demoBackend) {
	t.Helper()
	if resp.Error != nil {
		t.Errorf("%s: error %v (query %v)", where, resp.Error, q)
		return
	}
	if len(resp.Frames) == 0 {
		t.Errorf("%s: no frames (query %v)", where, q)
		return
	}
	rows, values := 0, 0
	for _, f := range resp.Frames {
		n, _ := f.RowLen()
		rows += n
		values += nonNullNumbers(f)
	}
	t.Logf("%s: %d frames, %d rows, %d values", where, len(resp.Frames), rows, values)
	switch q["queryType"] {
	case "timeseries", "latest":
		if values == 0 {
			t.Errorf("%s: %d frames, %d rows but no value (query %v)", where, len(resp.Frames), rows, q)
		}
		// One series per entity and field: every field of every entity asked for.
		ids := strings.Split(stringOf(q["siteId"])+stringOf(q["componentId"]), ",")
		fields, _ := q["fields"].([]any)
		if want := len(ids) * len(fields); len(resp.Frames) < want {
			t.Errorf("%s: %d frames for %d entities x %d fields", where, len(resp.Frames), len(ids), len(fields))
		}
	case "bulk":
		var sites struct {
			Total int `json:"total"`
		}
		b.resource("sites", url.Values{"limit": {"500"}}, &sites)
		if q["latestMonthOnly"] == true && rows != sites.Total {
			t.Errorf("%s: %d rows, want one per site (%d)", where, rows, sites.Total)
		}
		for _, f := range resp.Frames {
			for _, col := range []string{"site", "latitude", "longitude"} {
				field := fieldByName(f, col)
				if field == nil {
					t.Errorf("%s: the bulk table lacks %s (the Geomap needs name, latitude and longitude)", where, col)
					continue
				}
				for i := 0; i < field.Len(); i++ {
					if v, ok := field.ConcreteAt(i); !ok || v == nil || v == "" {
						t.Errorf("%s: row %d has no %s", where, i, col)
					}
				}
			}
		}
		if values == 0 {
			t.Errorf("%s: no values", where)
		}
	case "metadata":
		if rows == 0 {
			t.Errorf("%s: empty metadata table", where)
		}
	case "ranking":
		var sites struct {
			Total int `json:"total"`
		}
		b.resource("sites", url.Values{"limit": {"500"}}, &sites)
		if rows != sites.Total {
			t.Errorf("%s: %d ranking rows, want one per site (%d)", where, rows, sites.Total)
		}
		for _, col := range []string{"specificYield", "performanceIndex", "performanceRatio", "availability"} {
			for _, f := range resp.Frames {
				field := fieldByName(f, col)
				if field == nil {
					t.Errorf("%s: the ranking lacks %s", where, col)
					continue
				}
				n := 0
				for i := 0; i < field.Len(); i++ {
					if v, ok := field.ConcreteAt(i); ok && v != nil {
						n++
					}
				}
				if n == 0 {
					t.Errorf("%s: no site has a %s", where, col)
				}
			}
		}
	case "alerts":
		for _, f := range resp.Frames {
			for _, col := range []string{"time", "priority", "alertType", "site", "siteId"} {
				if fieldByName(f, col) == nil {
					t.Errorf("%s: alerts frame lacks %s, which the dashboard shows", where, col)
				}
			}
		}
		// The demo fleet always has open alerts (the simulator anchors some).
		if q["status"] == "open" && q["scope"] == "partner" && rows == 0 {
			t.Errorf("%s: no open alerts, but the demo fleet has some", where)
		}
		if site := stringOf(q["siteId"]); site != "" {
			for _, f := range resp.Frames {
				if col := fieldByName(f, "siteId"); col != nil {
					for i := 0; i < col.Len(); i++ {
						if fmt.Sprint(col.At(i)) != site {
							t.Errorf("%s: row %d belongs to site %v, not %s", where, i, col.At(i), site)
						}
					}
				}
			}
		}
	default:
		t.Errorf("%s: unexpected queryType %v", where, q["queryType"])
	}
}

// sortedKeys is a stable list of a set's members for messages.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
