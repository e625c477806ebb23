package query

import (
	"reflect"
	"strings"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// Schema kinds of query model keys, shared with src/generated/query-model.json.
const (
	KindString      = "string"
	KindNumber      = "number"
	KindBoolean     = "boolean"
	KindStringArray = "string[]"
	KindRecord      = "record"
)

// ModelSchema describes the JSON shape of every query type: query type ->
// JSON key -> kind ("string", "number", "boolean", "string[]" or "record").
// Embedded structs (Base, Entity) are flattened as encoding/json does. The
// frontend keeps the same description in src/generated/query-model.json and a
// test on each side fails when the two drift.
func ModelSchema() map[string]map[string]string {
	out := make(map[string]map[string]string, len(queryTypes))
	for _, qt := range queryTypes {
		keys := map[string]string{}
		collectKeys(reflect.TypeOf(qt.model), keys)
		out[string(qt.name)] = keys
	}
	return out
}

// collectKeys adds the JSON keys of struct type t to keys.
func collectKeys(t reflect.Type, keys map[string]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			collectKeys(f.Type, keys)
			continue
		}
		if name == "" {
			name = f.Name
		}
		keys[name] = kindOf(f.Type)
	}
}

// kindOf names the JSON kind of a Go type; unknown kinds are reported as
// "unsupported:<go type>" so the drift test shows them instead of hiding them.
func kindOf(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return KindString
	case reflect.Bool:
		return KindBoolean
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return KindNumber
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return KindStringArray
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			return KindRecord
		}
	case reflect.Pointer:
		return kindOf(t.Elem())
	}
	return "unsupported:" + t.String()
}

// ResourceShapes describes the JSON shape of the resource answers the query
// engine defines, by resource: "plan" is the /plan answer (Plan). A key's
// kind is as in ModelSchema; a list of objects is a one-element array
// holding the element's shape, an object its shape, a time "string" (RFC
// 3339). The frontend keeps the same description in
// src/generated/resource-shapes.json (src/resourceShapes.ts, type-checked
// against PlanInfo in src/types.ts) and a test on each side fails when the
// two drift.
func ResourceShapes() map[string]any {
	return map[string]any{"plan": shapeOf(reflect.TypeOf(QueryPlan{}))}
}

// shapeKind describes one value of type t (see ResourceShapes).
func shapeKind(t reflect.Type) any {
	switch {
	case t == reflect.TypeOf(time.Time{}):
		return KindString
	case t.Kind() == reflect.Pointer:
		return shapeKind(t.Elem())
	case t.Kind() == reflect.Struct:
		return shapeOf(t)
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.String:
		return []any{shapeKind(t.Elem())}
	}
	return kindOf(t)
}

// shapeOf describes the JSON keys of struct type t.
func shapeOf(t reflect.Type) map[string]any {
	out := map[string]any{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = shapeKind(f.Type)
	}
	return out
}

// NodeTypes are the Locus component node types the plugin names (the
// bundled dashboards' variables, the simulator's fleet). Locus may report
// others; a node type filter passes any value through.
var NodeTypes = []string{"METER", "INVERTER", "WEATHERSTATION"}

// Enums lists every enumerated value of the query model and the API the
// frontend must agree with: enum name -> values in the order editors offer
// them. The frontend keeps the same lists in src/generated/enums.json and a
// test on each side fails when the two drift.
func Enums() map[string][]string {
	return map[string][]string{
		"queryTypes":    names(AllTypes),
		"alertTypes":    names(knownAlertTypes),
		"priorities":    names(knownPriorities),
		"alertStatuses": names(knownStatuses),
		"alertScopes":   names(alertScopes),
		"granularities": append([]string{GranularityAuto}, names(planner.All)...),
		"timeZoneModes": names(tzModes),
		"bulkFormats":   names(bulkFormats),
		"metadataKinds": names(metadataKinds),
		"nodeTypes":     names(NodeTypes),
		"edgeModes":     names([]planner.EdgeMode{planner.EdgesExact, planner.EdgesOmit}),
	}
}

// names copies string-like values as strings.
func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
