package plugin

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func metadataQuery(ref string) backend.DataQuery {
	now := time.Now()
	return backend.DataQuery{RefID: ref, TimeRange: backend.TimeRange{From: now.Add(-time.Hour), To: now},
		JSON: json.RawMessage(`{"queryType":"metadata","kind":"sites"}`)}
}

func TestDisposeClosesOnlyItsInstance(t *testing.T) {
	sim, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	old, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	replacement, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	ctx := context.Background()
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{metadataQuery("A")}}
	if r, _ := old.QueryData(ctx, req); r.Responses["A"].Error != nil {
		t.Fatalf("before dispose: %v", r.Responses["A"].Error)
	}

	old.Dispose()
	r, _ := old.QueryData(ctx, req)
	if r.Responses["A"].Error == nil {
		t.Fatal("a disposed instance must not query Locus any more")
	}
	if status, body, _ := callResource(t, old, "GET", "/clients"); status < 400 {
		t.Fatalf("disposed instance served /clients: %d %s", status, body)
	}

	// The replacement instance of the same account keeps working: the shared
	// account queue survives the old instance's Close.
	sim.ResetStats()
	r, _ = replacement.QueryData(ctx, req)
	if err := r.Responses["A"].Error; err != nil {
		t.Fatalf("replacement instance: %v", err)
	}
	if got := sim.Stats().API; got == 0 {
		t.Fatalf("replacement instance made no upstream call")
	}
}

func TestQueryDataWithInvalidSettings(t *testing.T) {
	d, logs := newTestDatasource(t, backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"partnerId":4242,"clientId":"c","username":"u","maxConcurrentRequests":50}`),
		DecryptedSecureJSONData: map[string]string{"password": "pw-never-shown", "clientSecret": "cs-never-shown"},
	})
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{metadataQuery("A"), metadataQuery("B")}}
	r, err := d.QueryData(context.Background(), req)
	if err != nil {
		t.Fatalf("QueryData must report per query, got %v", err)
	}
	for _, ref := range []string{"A", "B"} {
		resp := r.Responses[ref]
		if resp.Error == nil || resp.Status != backend.StatusBadRequest || resp.ErrorSource != backend.ErrorSourceDownstream {
			t.Fatalf("%s: %+v", ref, resp)
		}
		msg := resp.Error.Error()
		if !strings.Contains(msg, "maxConcurrentRequests") || !strings.Contains(msg, "use 1 to 10") {
			t.Errorf("%s: error %q should name the setting and its range", ref, msg)
		}
	}
	testkit.AssertNoSecrets(t, "logs", logs.String(), "pw-never-shown", "cs-never-shown")
	if !strings.Contains(logs.String(), "invalid settings") {
		t.Errorf("the settings error should be logged once: %s", logs.String())
	}
}

func TestInstancesHaveSeparateCaches(t *testing.T) {
	sim, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	a, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	b, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	for i, d := range []*Datasource{a, a, b} {
		if status, body, _ := callResource(t, d, "GET", "/clients"); status != 200 {
			t.Fatalf("call %d: %d %s", i, status, body)
		}
	}
	if got := sim.Stats().Count("GET /v3/partners/{id}/clients"); got != 2 {
		t.Errorf("3 calls over 2 instances made %d upstream client list calls, want 2 (cache per instance)", got)
	}
}
