package distribution

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"testing"
)

// pluginJSON is the part of plugin.json the plugin relies on.
type pluginJSON struct {
	Schema       string          `json:"$schema"`
	Type         string          `json:"type"`
	Name         string          `json:"name"`
	ID           string          `json:"id"`
	Category     string          `json:"category"`
	Metrics      bool            `json:"metrics"`
	Annotations  bool            `json:"annotations"`
	Alerting     bool            `json:"alerting"`
	Backend      bool            `json:"backend"`
	Executable   string          `json:"executable"`
	QueryOptions map[string]bool `json:"queryOptions"`
	Info         struct {
		Description string `json:"description"`
		Author      struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"author"`
		Keywords []string `json:"keywords"`
		Logos    struct {
			Small string `json:"small"`
			Large string `json:"large"`
		} `json:"logos"`
		Links []struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"links"`
		Screenshots []struct {
			Name string `json:"name"`
			Path string `json:"path"`
		} `json:"screenshots"`
		Version string `json:"version"`
		Updated string `json:"updated"`
	} `json:"info"`
	Includes []struct {
		Type string `json:"type"`
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"includes"`
	Dependencies struct {
		GrafanaDependency string   `json:"grafanaDependency"`
		Plugins           []string `json:"plugins"`
	} `json:"dependencies"`
}

func loadPluginJSON(t *testing.T) pluginJSON {
	t.Helper()
	var p pluginJSON
	readJSON(t, "plugin.json", &p)
	return p
}

func TestPluginJSONIdentity(t *testing.T) {
	p := loadPluginJSON(t)
	checks := []struct {
		what      string
		got, want any
	}{
		{"type", p.Type, "datasource"},
		{"id", p.ID, pluginID},
		{"name", p.Name, "Locus Energy"},
		{"backend", p.Backend, true},
		{"executable", p.Executable, "gpx_locus"},
		{"metrics", p.Metrics, true},
		{"annotations", p.Annotations, true},
		{"alerting", p.Alerting, true},
		{"info.version", p.Info.Version, "%VERSION%"},
		{"info.updated", p.Info.Updated, "%TODAY%"},
		{"info.author.name", p.Info.Author.Name, "Sunfleet"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("plugin.json %s = %v, want %v", c.what, c.got, c.want)
		}
	}
	// Grafana's catalogue categories for data sources.
	categories := []string{"tsdb", "logging", "cloud", "tracing", "profiling", "sql", "enterprise", "iot", "other"}
	if !slices.Contains(categories, p.Category) {
		t.Errorf("plugin.json category %q is not one of %v", p.Category, categories)
	}
	if !strings.HasSuffix(p.ID, "-datasource") {
		t.Errorf("plugin id %q must end with -datasource for a data source plugin", p.ID)
	}
	if !strings.HasPrefix(p.Executable, "gpx_") {
		t.Errorf("executable %q must follow Grafana's gpx_<name> convention", p.Executable)
	}
}

func TestPluginJSONCatalogueInfo(t *testing.T) {
	p := loadPluginJSON(t)
	if len(p.Info.Description) < 40 {
		t.Errorf("info.description is too short for the catalogue: %q", p.Info.Description)
	}
	if len(p.Info.Keywords) < 3 {
		t.Errorf("info.keywords has %d entries, want at least 3 for discoverability", len(p.Info.Keywords))
	}
	for _, logo := range []string{p.Info.Logos.Small, p.Info.Logos.Large} {
		if logo == "" {
			t.Fatal("info.logos.small and info.logos.large are required")
		}
		svg := string(readFile(t, path.Join("src", logo)))
		if !strings.Contains(svg, "<svg") {
			t.Errorf("logo %s is not an SVG", logo)
		}
		for _, unsafe := range []string{"<script", "javascript:", "onload=", "<foreignObject"} {
			if strings.Contains(strings.ToLower(svg), strings.ToLower(unsafe)) {
				t.Errorf("logo %s contains %q, which the plugin validator rejects", logo, unsafe)
			}
		}
	}
	if len(p.Info.Screenshots) < 2 {
		t.Errorf("info.screenshots has %d entries, want the config and query editor screenshots", len(p.Info.Screenshots))
	}
	for _, s := range p.Info.Screenshots {
		if s.Name == "" || !strings.HasPrefix(s.Path, "img/") || !strings.HasSuffix(s.Path, ".png") {
			t.Errorf("screenshot %+v must have a name and a path img/<name>.png", s)
		}
	}
	if len(p.Info.Links) == 0 {
		t.Error("info.links is empty: link the documentation and the issue tracker")
	}
	for _, l := range append(p.Info.Links, struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	}{"author", p.Info.Author.URL}) {
		u, err := url.Parse(l.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" || l.Name == "" {
			t.Errorf("link %q -> %q must have a name and an absolute https URL", l.Name, l.URL)
		}
	}
}

func TestPluginJSONGrafanaDependency(t *testing.T) {
	p := loadPluginJSON(t)
	// Declared to what the browser tests run the plugin on
	// (tests/browser/runtimes.mjs): from the release line the plugin is built
	// against (package.json's @grafana/ui) up to the major release of the
	// newest runtime (tests/browser/runtime-13/package.json's @grafana/ui).
	oldest := grafanaUIVersion(t, "package.json")
	newest := grafanaUIVersion(t, "tests/browser/runtime-13/package.json")
	want := fmt.Sprintf(">=%d.%d.0 <%d.0.0", oldest[0], oldest[1], newest[0]+1)
	if got := p.Dependencies.GrafanaDependency; got != want {
		t.Errorf("dependencies.grafanaDependency = %q, want %q (tested: @grafana/ui %d.%d.%d and %d.%d.%d)",
			got, want, oldest[0], oldest[1], oldest[2], newest[0], newest[1], newest[2])
	}
}

// grafanaUIVersion is the exact @grafana/ui version a package.json pins, as [major, minor, patch].
func grafanaUIVersion(t *testing.T, rel string) [3]int {
	t.Helper()
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(readFile(t, rel), &pkg); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	v := pkg.Dependencies["@grafana/ui"]
	var out [3]int
	if _, err := fmt.Sscanf(v, "%d.%d.%d", &out[0], &out[1], &out[2]); err != nil {
		t.Fatalf("%s pins @grafana/ui %q, want an exact MAJOR.MINOR.PATCH: %v", rel, v, err)
	}
	return out
}

func TestPluginJSONIncludesBundledDashboards(t *testing.T) {
	p := loadPluginJSON(t)
	want := map[string]string{"Fleet overview": "dashboards/fleet-overview.json", "Site detail": "dashboards/site-detail.json", "Fleet performance": "dashboards/fleet-performance.json"}
	got := map[string]string{}
	for _, inc := range p.Includes {
		if inc.Type != "dashboard" {
			t.Errorf("include %q has type %q; only dashboards are bundled", inc.Name, inc.Type)
			continue
		}
		got[inc.Name] = inc.Path
		if !exists(t, path.Join("src", inc.Path)) {
			t.Errorf("include %q points to %s, but src/%s does not exist", inc.Name, inc.Path, inc.Path)
		}
	}
	for name, p := range want {
		if got[name] != p {
			t.Errorf("includes: dashboard %q at %q, want %q", name, got[name], p)
		}
	}
}
