package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

// settingsFor are data source settings for the origin's main account;
// overrides replace (nil: remove) jsonData keys, secrets replace secureJsonData.
func settingsFor(o *origin, overrides map[string]any, sec map[string]string) backend.DataSourceInstanceSettings {
	secure := map[string]string{"password": testPassword, "clientSecret": testClientSecret}
	maps.Copy(secure, sec)
	s := simkit.Settings(o.url, overrides, secure)
	s.UID = "faults"
	return s
}

// fastRetries shortens the client's retry delays and timeout so a scenario
// takes seconds; budget is the retry budget (MaxRetries).
func fastRetries(budget int) func(*locus.Config) {
	return func(c *locus.Config) {
		// Doubling from 1 ms up to 64 ms: quick when a fault clears at
		// once, and 10 retries still span about 0.4 s, longer than a
		// loaded machine takes to run the simulator's handler that frees
		// the account's slot after the client has read the last byte
		// (until then the next request meets a 429, as at Locus).
		c.RetryBaseDelay = time.Millisecond
		c.RetryMaxDelay = 64 * time.Millisecond
		c.MaxRetries = budget
		c.Timeout = 5 * time.Second
	}
}

// newHost builds a datasource instance through the exported factory path;
// it logs to backend.Logger (captured by TestMain).
func newHost(t testing.TB, s backend.DataSourceInstanceSettings, tune func(*locus.Config)) *plugin.Datasource {
	t.Helper()
	if tune == nil {
		tune = fastRetries(4)
	}
	d := plugin.NewDatasourceWithOptions(s, plugin.Options{Tune: tune})
	t.Cleanup(d.Dispose)
	return d
}

// run sends the panels in one QueryData request, records the outcome in the
// figures and the surface capture, and returns the response.
func run(ctx context.Context, t testing.TB, d *plugin.Datasource, panels ...testkit.Query) *backend.QueryDataResponse {
	t.Helper()
	resp, err := d.QueryData(ctx, testkit.Request(nil, panels...))
	if err != nil {
		surface.add("QueryData error: " + err.Error())
		t.Fatalf("QueryData returned an error instead of per-query responses: %v", err)
	}
	record(resp)
	return resp
}

// record counts a response's outcomes and captures its errors and meta.
func record(resp *backend.QueryDataResponse) {
	for _, r := range resp.Responses {
		if r.Error != nil {
			figures.errors.Add(1)
			surface.add("query error: " + r.Error.Error())
			continue
		}
		figures.completed.Add(1)
		for _, f := range r.Frames {
			if f.Meta != nil {
				b, _ := json.Marshal(f.Meta)
				surface.add("frame meta: " + string(b))
			}
		}
	}
}

// sameFrames asserts got equals want value by value (names, labels, types,
// every cell) and returns the number of values compared.
func sameFrames(t testing.TB, what string, want, got data.Frames) int {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%s: %d frames, want %d (as without faults)", what, len(got), len(want))
	}
	n := 0
	for i := range want {
		wf, gf := want[i], got[i]
		if wf.Name != gf.Name || len(wf.Fields) != len(gf.Fields) {
			t.Fatalf("%s frame %d: %q with %d fields, want %q with %d", what, i, gf.Name, len(gf.Fields), wf.Name, len(wf.Fields))
		}
		for j := range wf.Fields {
			wc, gc := wf.Fields[j], gf.Fields[j]
			if wc.Name != gc.Name || wc.Labels.String() != gc.Labels.String() || wc.Type() != gc.Type() || wc.Len() != gc.Len() {
				t.Fatalf("%s frame %d field %d: %s%s %s×%d, want %s%s %s×%d", what, i, j,
					gc.Name, gc.Labels, gc.Type(), gc.Len(), wc.Name, wc.Labels, wc.Type(), wc.Len())
			}
			for k := 0; k < wc.Len(); k++ {
				if a, b := cell(wc, k), cell(gc, k); a != b {
					t.Fatalf("%s frame %q field %q row %d: %s, want %s (as without faults)", what, wf.Name, wc.Name, k, b, a)
				}
				n++
			}
		}
	}
	figures.compared.Add(int64(n))
	return n
}

// cell renders one value exactly (pointers dereferenced, floats in full).
func cell(f *data.Field, i int) string {
	v, ok := f.ConcreteAt(i)
	if !ok {
		return "null"
	}
	switch x := v.(type) {
	case float64:
		return fmt.Sprintf("%b", x) // exact bits, not a rounded decimal
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(x)
	}
}

// resource calls a resource route and returns its status and body (captured).
func resource(t testing.TB, d *plugin.Datasource, method, pathQuery string) (int, string) {
	t.Helper()
	got, err := testkit.CallResource(context.Background(), d, testkit.ResourceRequest(method, pathQuery))
	if err != nil {
		t.Fatalf("CallResource %s %s: %v", method, pathQuery, err)
	}
	surface.add(fmt.Sprintf("resource %s %s: %d %s", method, pathQuery, got.Status, got.Body))
	return got.Status, string(got.Body)
}

// health runs a health check and captures its messages.
func health(t testing.TB, d *plugin.Datasource) *backend.CheckHealthResult {
	t.Helper()
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatalf("CheckHealth: %v", err)
	}
	surface.add("health: " + res.Status.String() + " " + res.Message + " " + string(res.JSONDetails))
	return res
}

// rawToken obtains a password-grant access token of the main account
// directly, as another program using the same Locus account would.
func rawToken(t testing.TB, o *origin) string {
	t.Helper()
	form := "grant_type=password&client_id=" + locussim.DefaultClientID + "&client_secret=" + url.QueryEscape(testClientSecret) +
		"&username=" + locussim.DefaultUsername + "&password=" + url.QueryEscape(testPassword)
	resp, err := http.Post(o.url+"/oauth/token", "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	defer resp.Body.Close()
	var tr struct {
		Access string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || tr.Access == "" {
		t.Fatalf("token answer: %v", err)
	}
	secrets.add(tr.Access)
	return tr.Access
}

// drain reads and closes a body.
func drain(r io.ReadCloser) {
	_, _ = io.Copy(io.Discard, r)
	_ = r.Close()
}
