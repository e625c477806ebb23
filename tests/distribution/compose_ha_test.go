package distribution

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

// haCompose is the part of docker-compose.ha.yaml the HA example relies on.
type haCompose struct {
	XGrafana any `yaml:"x-grafana"`
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Hostname    string            `yaml:"hostname"`
		DependsOn   []string          `yaml:"depends_on"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		Environment map[string]string `yaml:"environment"`
	} `yaml:"services"`
}

// TestHAComposeSharesOneRedisAndOneDatabase checks the high-availability
// example statically (no Docker here): two Grafana replicas with the plugin
// and the HA provisioning, one Postgres database, one Redis that both the
// replicas' remote cache and the data source's shared state point at.
func TestHAComposeSharesOneRedisAndOneDatabase(t *testing.T) {
	var c haCompose
	readYAML(t, "docker-compose.ha.yaml", &c)
	for _, s := range []string{"grafana-1", "grafana-2", "redis", "postgres"} {
		if _, ok := c.Services[s]; !ok {
			t.Fatalf("docker-compose.ha.yaml has no %s service (services: %v)", s, keys(c.Services))
		}
	}
	ports := map[string]bool{}
	for _, name := range []string{"grafana-1", "grafana-2"} {
		g := c.Services[name]
		if !regexp.MustCompile(`^grafana/grafana(-enterprise)?:\$\{GRAFANA_VERSION:-1[23]\.\d+\.\d+\}$`).MatchString(g.Image) {
			t.Errorf("%s image %q: want a pinned Grafana 12 or 13 release selectable with GRAFANA_VERSION", name, g.Image)
		}
		for _, p := range g.Ports {
			ports[p] = true
		}
		env := g.Environment
		want := map[string]string{
			"GF_DATABASE_TYPE":                          "postgres",
			"GF_DATABASE_HOST":                          "postgres:5432",
			"GF_REMOTE_CACHE_TYPE":                      "redis",
			"LOCUS_SHARED_STATE_URL":                    "redis://redis:6379/0",
			"GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS": "sunfleet-locus-datasource",
		}
		for k, v := range want {
			if env[k] != v {
				t.Errorf("%s: %s = %q, want %q", name, k, env[k], v)
			}
		}
		if !strings.Contains(env["GF_UNIFIED_ALERTING_HA_PEERS"], "grafana-1") || !strings.Contains(env["GF_UNIFIED_ALERTING_HA_PEERS"], "grafana-2") {
			t.Errorf("%s: alerting HA peers %q must list both replicas", name, env["GF_UNIFIED_ALERTING_HA_PEERS"])
		}
		mounts := strings.Join(g.Volumes, " ")
		for _, m := range []string{"./dist:/var/lib/grafana/plugins/sunfleet-locus-datasource", "./provisioning-ha/datasources:/etc/grafana/provisioning/datasources"} {
			if !strings.Contains(mounts, m) {
				t.Errorf("%s does not mount %s", name, m)
			}
		}
	}
	if len(ports) != 2 {
		t.Errorf("the replicas publish %v: want two different host ports", ports)
	}

	// The provisioned data source decodes into valid settings with the
	// shared state on, once Grafana expands the environment.
	var f datasourcesFile
	text := strings.NewReplacer("$__env{LOCUS_SHARED_STATE_URL}", "redis://redis:6379/0", "$__env{LOCUS_SHARED_STATE_PASSWORD}", "").Replace(string(readFile(t, "provisioning-ha/datasources/locus.yaml")))
	decodeYAML(t, "provisioning-ha/datasources/locus.yaml", []byte(text), &f)
	if len(f.Datasources) != 1 {
		t.Fatalf("HA provisioning has %d data sources, want 1", len(f.Datasources))
	}
	ds := f.Datasources[0]
	st, err := plugin.LoadSettings(settingsOf(t, ds))
	if err != nil {
		t.Fatalf("HA data source settings: %v", err)
	}
	if st.SharedStateURL != "redis://redis:6379/0" {
		t.Errorf("HA data source sharedStateUrl = %q", st.SharedStateURL)
	}
}
