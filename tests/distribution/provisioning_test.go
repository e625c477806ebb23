package distribution

import (
	"encoding/json"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

// provisionedDatasource is one entry of provisioning/datasources/*.yaml.
type provisionedDatasource struct {
	Name           string            `yaml:"name"`
	UID            string            `yaml:"uid"`
	Type           string            `yaml:"type"`
	Access         string            `yaml:"access"`
	IsDefault      bool              `yaml:"isDefault"`
	Editable       bool              `yaml:"editable"`
	JSONData       map[string]any    `yaml:"jsonData"`
	SecureJSONData map[string]string `yaml:"secureJsonData"`
}

type datasourcesFile struct {
	APIVersion  int                     `yaml:"apiVersion"`
	Datasources []provisionedDatasource `yaml:"datasources"`
}

const datasourcesPath = "provisioning/datasources/locus.yaml"

// demoUID is the uid of the demo data source the dashboards and the alert rule use.
const demoUID = "locus-demo"

func loadDatasources(t *testing.T) datasourcesFile {
	t.Helper()
	var f datasourcesFile
	readYAML(t, datasourcesPath, &f)
	if f.APIVersion != 1 {
		t.Fatalf("%s apiVersion = %d, want 1", datasourcesPath, f.APIVersion)
	}
	return f
}

// settingsOf converts a provisioned entry into the settings Grafana would
// hand the plugin.
func settingsOf(t *testing.T, ds provisionedDatasource) backend.DataSourceInstanceSettings {
	t.Helper()
	raw, err := json.Marshal(ds.JSONData)
	if err != nil {
		t.Fatalf("jsonData of %q: %v", ds.Name, err)
	}
	return backend.DataSourceInstanceSettings{UID: ds.UID, Name: ds.Name, JSONData: raw, DecryptedSecureJSONData: ds.SecureJSONData}
}

func TestDemoDatasourceIsValidAndHasNoSecrets(t *testing.T) {
	f := loadDatasources(t)
	if len(f.Datasources) != 1 {
		t.Fatalf("%s provisions %d data sources, want only the demo one active (the real-account example stays commented)", datasourcesPath, len(f.Datasources))
	}
	ds := f.Datasources[0]
	if ds.UID != demoUID || ds.Type != pluginID || ds.Access != "proxy" {
		t.Errorf("demo data source uid=%q type=%q access=%q, want uid %q, type %q, access proxy", ds.UID, ds.Type, ds.Access, demoUID, pluginID)
	}
	if !ds.IsDefault {
		t.Error("the demo data source should be the default, so the dashboards' ${datasource} variable picks it")
	}
	if len(ds.SecureJSONData) != 0 {
		t.Errorf("the demo data source must need no secrets, has secureJsonData keys %v", keys(ds.SecureJSONData))
	}
	st, err := plugin.LoadSettings(settingsOf(t, ds))
	if err != nil {
		t.Fatalf("the plugin rejects the demo data source settings: %v", err)
	}
	if !st.DemoMode {
		t.Error("the demo data source does not enable demo mode")
	}
}

// commentedExample returns the real-account example of the datasources file,
// uncommented, with $__env{NAME} replaced by env(NAME).
func commentedExample(t *testing.T, env func(string) string) (datasourcesFile, []string) {
	t.Helper()
	var lines []string
	in := false
	for _, line := range strings.Split(string(readFile(t, datasourcesPath)), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "# - name:") {
			in = true
		}
		if !in {
			continue
		}
		if !strings.HasPrefix(trimmed, "#") {
			break
		}
		body := strings.TrimPrefix(strings.TrimLeft(line, " "), "#")
		if strings.HasPrefix(strings.TrimSpace(body), "#") {
			continue // a comment inside the example
		}
		lines = append(lines, "  "+strings.TrimPrefix(body, " "))
	}
	if len(lines) == 0 {
		t.Fatalf("%s has no commented real-account example (a block starting with '# - name:')", datasourcesPath)
	}
	envRef := regexp.MustCompile(`\$__env\{([A-Z_][A-Z0-9_]*)\}`)
	var refs []string
	text := "apiVersion: 1\ndatasources:\n" + strings.Join(lines, "\n") + "\n"
	text = envRef.ReplaceAllStringFunc(text, func(m string) string {
		name := envRef.FindStringSubmatch(m)[1]
		refs = append(refs, name)
		return env(name)
	})
	var f datasourcesFile
	decodeYAML(t, datasourcesPath+" (commented example)", []byte(text), &f)
	return f, refs
}

func TestRealAccountExampleUsesEnvironmentSecrets(t *testing.T) {
	values := map[string]string{"LOCUS_CLIENT_ID": "my-client", "LOCUS_USERNAME": "ops@example.com", "LOCUS_CLIENT_SECRET": "s3cret", "LOCUS_PASSWORD": "pa55"}
	f, refs := commentedExample(t, func(name string) string {
		v, ok := values[name]
		if !ok {
			t.Errorf("the example references $__env{%s}, which the README and docker-compose.yaml do not document", name)
		}
		return v
	})
	if len(f.Datasources) != 1 {
		t.Fatalf("commented example has %d data sources, want 1", len(f.Datasources))
	}
	ds := f.Datasources[0]
	if ds.Type != pluginID || ds.UID == demoUID {
		t.Errorf("example type=%q uid=%q: want type %q and a uid other than the demo's", ds.Type, ds.UID, pluginID)
	}
	for _, secret := range []string{"password", "clientSecret"} {
		if _, ok := ds.SecureJSONData[secret]; !ok {
			t.Errorf("example secureJsonData lacks %s", secret)
		}
	}
	for _, secret := range []string{"LOCUS_CLIENT_SECRET", "LOCUS_PASSWORD"} {
		if !slices.Contains(refs, secret) {
			t.Errorf("example does not take %s from the environment", secret)
		}
	}
	for k := range ds.JSONData {
		if strings.Contains(strings.ToLower(k), "password") || strings.Contains(strings.ToLower(k), "secret") {
			t.Errorf("jsonData.%s would store a secret in clear text: secrets belong in secureJsonData", k)
		}
	}
	st, err := plugin.LoadSettings(settingsOf(t, ds))
	if err != nil {
		t.Fatalf("the plugin rejects the example settings once the environment is filled in: %v", err)
	}
	if st.DemoMode || st.ClientID != "my-client" || st.Username != "ops@example.com" || st.AuthType != plugin.AuthPassword {
		t.Errorf("example decoded to demo=%v clientId=%q username=%q authType=%q", st.DemoMode, st.ClientID, st.Username, st.AuthType)
	}
	// Compose passes every variable the example reads.
	c, _ := loadCompose(t)
	for _, name := range refs {
		if _, ok := c.Services["grafana"].Environment[name]; !ok {
			t.Errorf("docker-compose.yaml does not pass %s to Grafana, which the example reads", name)
		}
	}
}

// dashboardProviders is provisioning/dashboards/*.yaml.
type dashboardProviders struct {
	APIVersion int `yaml:"apiVersion"`
	Providers  []struct {
		Name                  string `yaml:"name"`
		OrgID                 int    `yaml:"orgId"`
		Folder                string `yaml:"folder"`
		Type                  string `yaml:"type"`
		DisableDeletion       bool   `yaml:"disableDeletion"`
		AllowUIUpdates        bool   `yaml:"allowUiUpdates"`
		UpdateIntervalSeconds int    `yaml:"updateIntervalSeconds"`
		Options               struct {
			Path                      string `yaml:"path"`
			FoldersFromFilesStructure bool   `yaml:"foldersFromFilesStructure"`
		} `yaml:"options"`
	} `yaml:"providers"`
}

// provisionedDashboards returns the repository paths of every dashboard the
// compose stack provisions.
func provisionedDashboards(t *testing.T) []string {
	t.Helper()
	var f dashboardProviders
	readYAML(t, "provisioning/dashboards/locus.yaml", &f)
	if f.APIVersion != 1 || len(f.Providers) == 0 {
		t.Fatalf("provisioning/dashboards/locus.yaml: apiVersion %d with %d providers, want 1 and at least one", f.APIVersion, len(f.Providers))
	}
	c, mounts := loadCompose(t)
	env := c.Services["grafana"].Environment
	var out []string
	for _, p := range f.Providers {
		if p.Type != "file" {
			t.Fatalf("provider %q has type %q, want file", p.Name, p.Type)
		}
		// Grafana expands $VAR and ${VAR} in provisioning files; the compose
		// environment sets what this one uses.
		containerPath := os.Expand(p.Options.Path, func(k string) string {
			v, ok := env[k]
			if !ok {
				t.Errorf("provider %q uses $%s, which docker-compose.yaml does not set", p.Name, k)
			}
			return v
		})
		dir, ok := hostPathFor(t, mounts, containerPath)
		if !ok {
			t.Fatalf("provider %q reads %s, which no compose volume mounts", p.Name, p.Options.Path)
		}
		entries, err := os.ReadDir(repoPath(t, dir))
		if err != nil {
			t.Fatalf("provider %q: %s (from %s): %v", p.Name, dir, p.Options.Path, err)
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".json") {
				out = append(out, path.Join(dir, e.Name()))
			}
		}
	}
	return out
}

func TestDashboardProviderServesTheBundledDashboards(t *testing.T) {
	got := provisionedDashboards(t)
	p := loadPluginJSON(t)
	for _, inc := range p.Includes {
		if !slices.Contains(got, path.Join("src", inc.Path)) {
			t.Errorf("bundled dashboard %s is not provisioned for the demo (provisioned: %v)", inc.Path, got)
		}
	}
	if len(got) != len(p.Includes) {
		t.Errorf("provisioned %v, but plugin.json includes %d dashboards: ship what you provision", got, len(p.Includes))
	}
}
