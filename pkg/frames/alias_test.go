package frames

import (
	"strings"
	"testing"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

func TestAlias(t *testing.T) {
	vars := map[string]string{"site": "Sunny Acres", "field": "W_avg", "empty": ""}
	cases := map[string]string{
		"":                       "",
		"plain text":             "plain text",
		"{{site}}":               "Sunny Acres",
		"{{ site }} – {{field}}": "Sunny Acres – W_avg",
		"{{site}}{{site}}":       "Sunny AcresSunny Acres",
		"{{nope}} {{site}}":      "{{nope}} Sunny Acres",
		"{{site":                 "{{site",
		"{{site}} {{":            "Sunny Acres {{",
		"}}{{site}}{{":           "}}Sunny Acres{{",
		"{{empty}}x":             "x",
		"{{{site}}}":             "{Sunny Acres}",
		"{{{{site}}}}":           "{{Sunny Acres}}",
		"{{a{{site}}":            "{{aSunny Acres",
		"$site {site}":           "$site {site}",
	}
	for in, want := range cases {
		if got := Alias(in, vars); got != want {
			t.Errorf("Alias(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAliasVarsAndDefaultName(t *testing.T) {
	cat := locus.NewCatalog(sampleBaseFields())
	names := EntityNames{SiteID: 101, SiteName: "Sunny Acres", ComponentID: 54369, ComponentName: "Inverter 1"}
	got := Alias("{{site}}|{{siteId}}|{{component}}|{{componentId}}|{{field}}|{{longName}}|{{aggregation}}|{{source}}|{{unit}}", AliasVars(names, fieldOf(cat, "W_m_avg")))
	if want := "Sunny Acres|101|Inverter 1|54369|W_m_avg|AC Power|avg|Modeled|W"; got != want {
		t.Errorf("all variables: %q, want %q", got, want)
	}
	if got := DefaultDisplayName(names, fieldOf(cat, "Wh_sum")); got != "Sunny Acres Inverter 1 AC Energy (sum)" {
		t.Errorf("component default name %q", got)
	}
	if got := DefaultDisplayName(EntityNames{SiteID: 1, SiteName: "S"}, fieldOf(cat, "Wh_sum")); got != "S AC Energy (sum)" {
		t.Errorf("site default name %q", got)
	}
	if got := DefaultDisplayName(names, fieldOf(cat, "W_m_avg")); got != "Sunny Acres Inverter 1 AC Power (Modeled, avg)" {
		t.Errorf("a modeled field must be told apart from the measured one of the same long name, got %q", got)
	}
	if got := DefaultDisplayName(EntityNames{SiteID: 1, SiteName: "S"}, fieldOf(cat, "Mystery_x")); got != "S Mystery_x" {
		t.Errorf("unknown field default name %q", got)
	}
	if got := displayName("{{component}}", EntityNames{SiteID: 1, SiteName: "S"}, fieldOf(cat, "Wh_sum")); got != "S AC Energy (sum)" {
		t.Errorf("an alias that expands to nothing must fall back to the default name, got %q", got)
	}
	if got := displayName("  ", EntityNames{SiteID: 1, SiteName: "S"}, fieldOf(cat, "Wh_sum")); got != "S AC Energy (sum)" {
		t.Errorf("a blank alias must give the default name, got %q", got)
	}
	if v := AliasVars(EntityNames{SiteID: 1}, locus.Field{})["componentId"]; v != "" {
		t.Errorf("componentId for site-level data = %q, want empty", v)
	}
}

// FuzzAlias checks that Alias never panics, leaves brace-free text alone and
// substitutes every known variable it is given.
func FuzzAlias(f *testing.F) {
	for _, s := range []string{"", "{{site}}", "{{ site }} {{x}}", "{{", "}}", "{{{{}}}}", "a{{site}}b{{field}}c", "\xff{{site}}"} {
		f.Add(s)
	}
	vars := map[string]string{"site": "S{{field}}", "field": "F"}
	f.Fuzz(func(t *testing.T, tmpl string) {
		got := Alias(tmpl, vars)
		if !strings.Contains(tmpl, "{{") && got != tmpl {
			t.Fatalf("Alias(%q) = %q; text without {{ must pass through", tmpl, got)
		}
		if tmpl == "{{site}}" && got != "S{{field}}" {
			t.Fatalf("substituted values must not be expanded again: %q", got)
		}
		if strings.Contains(tmpl, "{{site}}") && !strings.Contains(got, "S{{field}}") {
			t.Fatalf("Alias(%q) = %q lost the site value", tmpl, got)
		}
	})
}
