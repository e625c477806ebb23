package distribution

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// alertRulesFile is Grafana's alerting file-provisioning format (rules part).
type alertRulesFile struct {
	APIVersion int `yaml:"apiVersion"`
	Groups     []struct {
		OrgID    int         `yaml:"orgId"`
		Name     string      `yaml:"name"`
		Folder   string      `yaml:"folder"`
		Interval string      `yaml:"interval"`
		Rules    []alertRule `yaml:"rules"`
	} `yaml:"groups"`
}

type alertRule struct {
	UID          string            `yaml:"uid"`
	Title        string            `yaml:"title"`
	Condition    string            `yaml:"condition"`
	Data         []alertQuery      `yaml:"data"`
	NoDataState  string            `yaml:"noDataState"`
	ExecErrState string            `yaml:"execErrState"`
	For          string            `yaml:"for"`
	Annotations  map[string]string `yaml:"annotations"`
	Labels       map[string]string `yaml:"labels"`
	IsPaused     bool              `yaml:"isPaused"`
}

type alertQuery struct {
	RefID             string `yaml:"refId"`
	RelativeTimeRange struct {
		From int64 `yaml:"from"`
		To   int64 `yaml:"to"`
	} `yaml:"relativeTimeRange"`
	DatasourceUID string         `yaml:"datasourceUid"`
	Model         map[string]any `yaml:"model"`
}

const alertRulesPath = "provisioning/alerting/locus-alert-rules.yaml"

// exprUID is the uid of Grafana's server-side expressions.
const exprUID = "__expr__"

func loadAlertRules(t *testing.T) []alertRule {
	t.Helper()
	var f alertRulesFile
	readYAML(t, alertRulesPath, &f)
	if f.APIVersion != 1 || len(f.Groups) == 0 {
		t.Fatalf("%s: apiVersion %d with %d groups, want 1 and at least one group", alertRulesPath, f.APIVersion, len(f.Groups))
	}
	var rules []alertRule
	for _, g := range f.Groups {
		if g.Name == "" || g.Folder == "" || !regexp.MustCompile(`^\d+[smh]$`).MatchString(g.Interval) || g.OrgID < 1 {
			t.Errorf("group %q: needs name, folder, orgId and an interval such as 5m (got folder %q, interval %q, orgId %d)", g.Name, g.Folder, g.Interval, g.OrgID)
		}
		rules = append(rules, g.Rules...)
	}
	return rules
}

// expressionInputs lists the refIds an expression model reads.
func expressionInputs(model map[string]any) []string {
	switch model["type"] {
	case "math":
		var out []string
		for _, m := range regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`).FindAllStringSubmatch(fmt.Sprint(model["expression"]), -1) {
			out = append(out, m[1])
		}
		return out
	default:
		return []string{fmt.Sprint(model["expression"])}
	}
}

func TestAlertRulesAreWellFormed(t *testing.T) {
	rules := loadAlertRules(t)
	validStates := map[string][]string{
		"noDataState":  {"NoData", "Alerting", "OK", "KeepLast"},
		"execErrState": {"Error", "Alerting", "OK", "KeepLast"},
	}
	for _, r := range rules {
		if r.UID == "" || r.Title == "" || r.Annotations["summary"] == "" {
			t.Errorf("rule %q: uid, title and a summary annotation are required", r.Title)
		}
		if !slices.Contains(validStates["noDataState"], r.NoDataState) || !slices.Contains(validStates["execErrState"], r.ExecErrState) {
			t.Errorf("rule %q: noDataState %q / execErrState %q not in %v", r.Title, r.NoDataState, r.ExecErrState, validStates)
		}
		refs := map[string]alertQuery{}
		for _, q := range r.Data {
			if _, dup := refs[q.RefID]; dup {
				t.Errorf("rule %q: refId %s is used twice", r.Title, q.RefID)
			}
			refs[q.RefID] = q
			if q.Model["refId"] != q.RefID {
				t.Errorf("rule %q: model.refId %v differs from refId %s", r.Title, q.Model["refId"], q.RefID)
			}
		}
		if _, ok := refs[r.Condition]; !ok {
			t.Errorf("rule %q: condition %q is not one of its refIds", r.Title, r.Condition)
		}
		locusQueries := 0
		for _, q := range r.Data {
			switch q.DatasourceUID {
			case exprUID:
				typ := fmt.Sprint(q.Model["type"])
				if !slices.Contains([]string{"math", "reduce", "threshold", "resample", "classic_conditions"}, typ) {
					t.Errorf("rule %q: expression %s has unknown type %q", r.Title, q.RefID, typ)
				}
				for _, in := range expressionInputs(q.Model) {
					if _, ok := refs[in]; !ok {
						t.Errorf("rule %q: expression %s reads %s, which is not a refId of the rule", r.Title, q.RefID, in)
					}
				}
			case demoUID:
				locusQueries++
				if q.RelativeTimeRange.From <= q.RelativeTimeRange.To {
					t.Errorf("rule %q: query %s has relativeTimeRange from %d <= to %d", r.Title, q.RefID, q.RelativeTimeRange.From, q.RelativeTimeRange.To)
				}
				for _, p := range checkQueryModel(fmt.Sprintf("rule %q query %s", r.Title, q.RefID), q.Model) {
					t.Error(p)
				}
				for _, ref := range referencedVariables(q.Model) {
					t.Errorf("rule %q query %s uses $%s: alert rules have no dashboard variables", r.Title, q.RefID, ref)
				}
			default:
				t.Errorf("rule %q: query %s uses data source %q; the example must use the demo data source %q", r.Title, q.RefID, q.DatasourceUID, demoUID)
			}
		}
		if locusQueries == 0 {
			t.Errorf("rule %q does not query Locus", r.Title)
		}
	}
	if !slices.ContainsFunc(rules, func(r alertRule) bool { return strings.EqualFold(r.Title, "Zero generation during daylight") }) {
		t.Error(`the example rule "Zero generation during daylight" is missing`)
	}
}
