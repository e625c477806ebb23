package testkit

import (
	"encoding/json"
	"flag"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
)

// UpdateGolden rewrites golden files instead of comparing with them:
// go test ./pkg/query -run Golden -update-golden. Off by default.
var UpdateGolden = flag.Bool("update-golden", false, "rewrite the golden files instead of comparing with them")

// CheckGolden compares a response with the golden file dir/name.jsonc
// (the SDK's golden format: a readable frame dump, then the JSON), or
// rewrites it under -update-golden. Two things of the frames' meta depend on
// the machine's timing, not on the query, and are normalised first so the
// file is the same on a loaded machine: the lines of the executed query
// string (calls sent concurrently, listed as they went out) are sorted, and
// the keys volatile of the meta custom object (queue waits) are removed.
func CheckGolden(t *testing.T, dir, name string, r backend.DataResponse, volatile ...string) {
	t.Helper()
	for _, f := range r.Frames {
		if f.Meta == nil {
			continue
		}
		calls := strings.Split(f.Meta.ExecutedQueryString, "\n")
		sort.Strings(calls)
		f.Meta.ExecutedQueryString = strings.Join(calls, "\n")
		if m := CustomMeta(t, f); m != nil && len(volatile) > 0 {
			for _, k := range volatile {
				delete(m, k)
			}
			f.Meta.Custom = m
		}
	}
	experimental.CheckGoldenJSONResponse(t, dir, name, &r, *UpdateGolden)
}

// JSONFile keeps a JSON file the frontend reads (src/generated/*.json). With
// update it first rewrites path with v, indented two spaces and ending in a
// newline; then it reads path and decodes it into want (a pointer). rerun is
// the command that rewrites the file, named when the file is missing. It
// returns the file's bytes.
func JSONFile(t testing.TB, path string, v any, update bool, rerun string, want any) []byte {
	t.Helper()
	if update {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatalf("marshal %s: %v", path, err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatalf("write %s: %v", path, err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s (run `%s` to create it): %v", path, rerun, err)
	}
	if err := json.Unmarshal(raw, want); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return raw
}
