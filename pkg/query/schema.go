package query

import (
	"reflect"
	"strings"
)

// Schema kinds of query model keys, shared with src/generated/query-model.json.
const (
	KindString      = "string"
	KindNumber      = "number"
	KindBoolean     = "boolean"
	KindStringArray = "string[]"
	KindRecord      = "record"
)

// modelTypes maps each query type to the struct that carries it.
var modelTypes = map[QueryType]any{
	TypeTimeSeries: TimeSeriesQuery{},
	TypeLatest:     LatestQuery{},
	TypeBulk:       BulkQuery{},
	TypeAlerts:     AlertsQuery{},
	TypeMetadata:   MetadataQuery{},
	TypeRanking:    RankingQuery{},
}

// ModelSchema describes the JSON shape of every query type: query type ->
// JSON key -> kind ("string", "number", "boolean", "string[]" or "record").
// Embedded structs (Base, Entity) are flattened as encoding/json does. The
// frontend keeps the same description in src/generated/query-model.json and a
// test on each side fails when the two drift.
func ModelSchema() map[string]map[string]string {
	out := make(map[string]map[string]string, len(modelTypes))
	for qt, v := range modelTypes {
		keys := map[string]string{}
		collectKeys(reflect.TypeOf(v), keys)
		out[string(qt)] = keys
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
