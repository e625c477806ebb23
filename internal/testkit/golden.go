package testkit

import (
	"flag"
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
