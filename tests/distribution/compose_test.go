package distribution

import (
	"path"
	"regexp"
	"strings"
	"testing"
)

// composeFile is the part of docker-compose.yaml the demo relies on.
type composeFile struct {
	Services map[string]struct {
		ContainerName string            `yaml:"container_name"`
		Image         string            `yaml:"image"`
		Ports         []string          `yaml:"ports"`
		Volumes       []string          `yaml:"volumes"`
		Environment   map[string]string `yaml:"environment"`
	} `yaml:"services"`
}

// mount is one bind mount of the compose file.
type mount struct{ host, container string }

func loadCompose(t *testing.T) (composeFile, []mount) {
	t.Helper()
	var c composeFile
	readYAML(t, "docker-compose.yaml", &c)
	g, ok := c.Services["grafana"]
	if !ok {
		t.Fatalf("docker-compose.yaml has no grafana service (services: %v)", keys(c.Services))
	}
	var mounts []mount
	for _, v := range g.Volumes {
		host, container, ok := strings.Cut(v, ":")
		if !ok {
			t.Fatalf("volume %q is not host:container", v)
		}
		container, _, _ = strings.Cut(container, ":")
		mounts = append(mounts, mount{host, container})
	}
	return c, mounts
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// hostPathFor maps a path inside the Grafana container to the repository
// path it comes from, through the compose mounts. dist/ is the build output
// of src/, so dist/<x> is looked up in the repository as the file the build
// copies there (src/<x> for dashboards and images).
func hostPathFor(t *testing.T, mounts []mount, containerPath string) (string, bool) {
	t.Helper()
	for _, m := range mounts {
		if containerPath == m.container || strings.HasPrefix(containerPath, m.container+"/") {
			rel := strings.TrimPrefix(strings.TrimPrefix(containerPath, m.container), "/")
			host := path.Clean(path.Join(strings.TrimPrefix(m.host, "./"), rel))
			if after, ok := strings.CutPrefix(host, "dist/"); ok {
				host = path.Join("src", after)
			}
			return host, true
		}
	}
	return "", false
}

func TestComposeIsTheConventionalGrafanaStack(t *testing.T) {
	c, mounts := loadCompose(t)
	g := c.Services["grafana"]
	// A current release by default (13.x, what the browser tests' newest
	// runtime is), another selectable through GRAFANA_VERSION.
	if !regexp.MustCompile(`^grafana/grafana(-enterprise)?:\$\{GRAFANA_VERSION:-13\.\d+\.\d+\}$`).MatchString(g.Image) {
		t.Errorf("image %q: want grafana/grafana-enterprise:${GRAFANA_VERSION:-13.x.y}", g.Image)
	}
	if !slicesContainsPrefix(g.Ports, "3000:3000") {
		t.Errorf("ports %v do not publish Grafana on 3000", g.Ports)
	}
	want := map[string]string{
		"./dist":         "/var/lib/grafana/plugins/" + pluginID,
		"./provisioning": "/etc/grafana/provisioning",
	}
	for host, container := range want {
		found := false
		for _, m := range mounts {
			if m.host == host && m.container == container {
				found = true
			}
		}
		if !found {
			t.Errorf("volumes %v lack %s:%s", g.Volumes, host, container)
		}
	}
	for _, m := range mounts {
		if m.host == "./dist" {
			continue // the build output; .gitignore keeps it out of the repository
		}
		if !exists(t, m.host) {
			t.Errorf("mounted host path %s does not exist", m.host)
		}
	}
	if !strings.Contains(string(readFile(t, ".gitignore")), "dist/") {
		t.Error(".gitignore must ignore dist/, the build output the compose file mounts")
	}
}

func slicesContainsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func TestComposeEnvironment(t *testing.T) {
	c, mounts := loadCompose(t)
	env := c.Services["grafana"].Environment
	p := loadPluginJSON(t)
	if got := env["GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS"]; !strings.Contains(","+got+",", ","+p.ID+",") {
		t.Errorf("GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS = %q, must list the plugin id %q from plugin.json", got, p.ID)
	}
	if env["GF_AUTH_ANONYMOUS_ENABLED"] != "true" || env["GF_AUTH_ANONYMOUS_ORG_ROLE"] != "Admin" {
		t.Errorf("anonymous admin access is not configured: enabled=%q role=%q", env["GF_AUTH_ANONYMOUS_ENABLED"], env["GF_AUTH_ANONYMOUS_ORG_ROLE"])
	}
	home := env["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
	host, ok := hostPathFor(t, mounts, home)
	if !ok {
		t.Fatalf("home dashboard %q is not inside a mounted folder", home)
	}
	if host != "src/dashboards/fleet-overview.json" {
		t.Errorf("home dashboard %q comes from %s, want the bundled Fleet overview (src/dashboards/fleet-overview.json)", home, host)
	}
	if !exists(t, host) {
		t.Errorf("home dashboard source %s does not exist", host)
	}
	for k, v := range env {
		if strings.Contains(k, "PASSWORD") || strings.Contains(k, "SECRET") {
			if v != "${"+k+":-}" {
				t.Errorf("%s = %q: secrets must come from the caller's environment (${%s:-}), never be written here", k, v, k)
			}
		}
	}
}
