package query

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

var updateSchema = flag.Bool("update-schema", false, "rewrite src/generated/query-model.json from the Go query model")

// goldenSchemaPath is the frontend's copy of the query model description.
var goldenSchemaPath = filepath.Join("..", "..", "src", "generated", "query-model.json")

func TestModelSchemaMatchesFrontendGolden(t *testing.T) {
	got := ModelSchema()
	var want map[string]map[string]string
	testkit.JSONFile(t, goldenSchemaPath, got, *updateSchema, "go test ./pkg/query -run Schema -update-schema", &want)
	if diff := schemaDiff(want, got); diff != "" {
		t.Fatalf("query model drifted from %s (update src/types.ts, then run `go test ./pkg/query -run Schema -update-schema`):\n%s", goldenSchemaPath, diff)
	}
}

// goldenShapesPath is the frontend's copy of the resource answer shapes.
var goldenShapesPath = filepath.Join("..", "..", "src", "generated", "resource-shapes.json")

func TestResourceShapesMatchFrontendGolden(t *testing.T) {
	got, err := json.MarshalIndent(ResourceShapes(), "", "  ")
	if err != nil {
		t.Fatalf("marshal shapes: %v", err)
	}
	got = append(got, '\n')
	var want, have any
	raw := testkit.JSONFile(t, goldenShapesPath, ResourceShapes(), *updateSchema, "go test ./pkg/query -run Shapes -update-schema", &want)
	_ = json.Unmarshal(got, &have)
	if !reflect.DeepEqual(want, have) {
		t.Fatalf("resource answers drifted from %s (update src/types.ts and src/resourceShapes.ts, then run `go test ./pkg/query -run Shapes -update-schema`):\nGo:\n%s\nfrontend:\n%s", goldenShapesPath, got, raw)
	}
	// Every kind is one the frontend can mirror.
	if strings.Contains(string(got), "unsupported:") {
		t.Errorf("a resource answer has a kind the frontend cannot mirror:\n%s", got)
	}
}

func TestModelSchemaCoversEveryQueryTypeWithSupportedKinds(t *testing.T) {
	s := ModelSchema()
	if len(s) != len(AllTypes) {
		t.Fatalf("schema has %d query types, AllTypes has %d", len(s), len(AllTypes))
	}
	for _, qt := range AllTypes {
		keys, ok := s[string(qt)]
		if !ok {
			t.Fatalf("schema lacks query type %q", qt)
		}
		for _, k := range []string{"refId", "queryType", "alias"} {
			if keys[k] != KindString {
				t.Errorf("%s.%s = %q, want %q (Base must be flattened)", qt, k, keys[k], KindString)
			}
		}
		for k, kind := range keys {
			if strings.HasPrefix(kind, "unsupported:") {
				t.Errorf("%s.%s has a kind the frontend cannot mirror: %s", qt, k, kind)
			}
		}
	}
	ts := s[string(TypeTimeSeries)]
	wantTS := map[string]string{"entityType": KindString, "siteId": KindString, "fields": KindStringArray, "fieldParams": KindRecord}
	for k, want := range wantTS {
		if ts[k] != want {
			t.Errorf("timeseries.%s = %q, want %q", k, ts[k], want)
		}
	}
	if got := s[string(TypeBulk)]["latestMonthOnly"]; got != KindBoolean {
		t.Errorf("bulk.latestMonthOnly = %q, want boolean", got)
	}
}

func TestKindOfReportsUnsupportedTypes(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{int64(0), KindNumber},
		{0.5, KindNumber},
		{true, KindBoolean},
		{[]string{}, KindStringArray},
		{map[string]string{}, KindRecord},
		{new(string), KindString},
		{[]int{}, "unsupported:[]int"},
		{struct{}{}, "unsupported:struct {}"},
	}
	for _, c := range cases {
		if got := kindOf(reflect.TypeOf(c.v)); got != c.want {
			t.Errorf("kindOf(%T) = %q, want %q", c.v, got, c.want)
		}
	}
}

// schemaDiff lists keys that are missing, extra or of another kind, sorted.
func schemaDiff(want, got map[string]map[string]string) string {
	var lines []string
	for qt, wk := range want {
		gk, ok := got[qt]
		if !ok {
			lines = append(lines, "query type "+qt+": only in the frontend")
			continue
		}
		for k, kind := range wk {
			switch g, ok := gk[k]; {
			case !ok:
				lines = append(lines, qt+"."+k+": only in the frontend ("+kind+")")
			case g != kind:
				lines = append(lines, qt+"."+k+": Go has "+g+", frontend has "+kind)
			}
		}
		for k, kind := range gk {
			if _, ok := wk[k]; !ok {
				lines = append(lines, qt+"."+k+": only in Go ("+kind+")")
			}
		}
	}
	for qt := range got {
		if _, ok := want[qt]; !ok {
			lines = append(lines, "query type "+qt+": only in Go")
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

var goldenEnumsPath = filepath.Join("..", "..", "src", "generated", "enums.json")

// TestEnumsMatchFrontendGolden: every enumerated value (query types, alert
// types, priorities, statuses and scopes, granularities, zone modes, edge
// modes, bulk formats, metadata kinds, node types) is the same on both sides;
// src/__tests__/drift.test.ts compares the TypeScript lists with the file.
func TestEnumsMatchFrontendGolden(t *testing.T) {
	got := Enums()
	if *updateSchema {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(goldenEnumsPath, append(b, '\n'), 0o644); err != nil {
			t.Fatalf("write %s: %v", goldenEnumsPath, err)
		}
	}
	raw, err := os.ReadFile(goldenEnumsPath)
	if err != nil {
		t.Fatalf("read %s (run `go test ./pkg/query -run 'Schema|Enums' -update-schema`): %v", goldenEnumsPath, err)
	}
	var want map[string][]string
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("parse %s: %v", goldenEnumsPath, err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("enums drifted from %s (update src/types.ts, then run with -update-schema):\n got %v\nwant %v", goldenEnumsPath, got, want)
	}
}

// TestEnumsAreWhatTheEngineAccepts: every listed value passes validation
// (the editor offering it means the backend takes it), and node types cover
// the simulator's fleet.
func TestEnumsAreWhatTheEngineAccepts(t *testing.T) {
	en := Enums()
	for _, g := range en["granularities"] {
		q := TimeSeriesQuery{Entity: Entity{SiteID: "1"}, Fields: []string{"W_avg"}, Granularity: g}
		if _, err := resolveTimeSeries(&q); err != nil {
			t.Errorf("granularity %q: %v", g, err)
		}
	}
	for _, m := range en["timeZoneModes"] {
		q := TimeSeriesQuery{Entity: Entity{SiteID: "1"}, Fields: []string{"W_avg"}, TimeZoneMode: TimeZoneMode(m), TimeZone: "UTC"}
		if _, err := resolveTimeSeries(&q); err != nil {
			t.Errorf("timeZoneMode %q: %v", m, err)
		}
	}
	for _, k := range en["alertTypes"] {
		q := AlertsQuery{AlertTypes: []string{k}, Priorities: en["priorities"], Status: en["alertStatuses"][0]}
		if _, err := resolveAlerts(&q); err != nil || len(upstreamAlertTypes(q.AlertTypes)) != 1 {
			t.Errorf("alert type %q: %v (sent upstream: %v)", k, err, upstreamAlertTypes(q.AlertTypes))
		}
	}
	for _, m := range en["edgeModes"] {
		q := TimeSeriesQuery{Entity: Entity{SiteID: "1"}, Fields: []string{"W_avg"}, Edges: m}
		if _, err := resolveTimeSeries(&q); err != nil {
			t.Errorf("edges %q: %v", m, err)
		}
	}
	for _, m := range en["metadataKinds"] {
		q := MetadataQuery{Kind: MetadataKind(m), SiteID: "1"}
		if _, err := resolveMetadata(&q); err != nil {
			t.Errorf("metadata kind %q: %v", m, err)
		}
	}
	for _, nt := range []string{locussim.NodeMeter, locussim.NodeInverter, locussim.NodeWeatherStation} {
		if !contains(NodeTypes, nt) {
			t.Errorf("the simulator's node type %s is not in NodeTypes", nt)
		}
	}
}
