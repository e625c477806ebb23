package distribution

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"go.yaml.in/yaml/v3"
)

// pluginID is the id every shipped file must agree on.
const pluginID = "sunfleet-locus-datasource"

// repoPath returns the absolute path of a repository-relative path.
func repoPath(t *testing.T, rel string) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", filepath.FromSlash(rel))
}

// readFile reads a repository file or fails the test naming it.
func readFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(repoPath(t, rel))
	if err != nil {
		t.Fatalf("read %s: %v", rel, err)
	}
	return b
}

// readJSON decodes a repository JSON file into v, rejecting trailing data.
func readJSON(t *testing.T, rel string, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(readFile(t, rel)))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s is not valid JSON: %v", rel, err)
	}
	if dec.More() {
		t.Fatalf("%s has data after its JSON value", rel)
	}
}

// readYAML decodes a repository YAML file into v, rejecting unknown keys
// when v is a struct.
func readYAML(t *testing.T, rel string, v any) {
	t.Helper()
	decodeYAML(t, rel, readFile(t, rel), v)
}

// decodeYAML decodes YAML text into v with unknown struct keys rejected.
func decodeYAML(t *testing.T, name string, text []byte, v any) {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s is not valid YAML for its schema: %v", name, err)
	}
}

// exists reports whether a repository path exists.
func exists(t *testing.T, rel string) bool {
	t.Helper()
	_, err := os.Stat(repoPath(t, rel))
	return err == nil
}
