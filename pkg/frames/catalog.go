package frames

import "github.com/sunfleet/locus-datasource/pkg/locus"

// FieldInfo describes one data field (a dataavailable shortName).
type FieldInfo struct {
	ShortName   string `json:"shortName"`
	BaseField   string `json:"baseField"`
	LongName    string `json:"longName"`
	Source      string `json:"source"`
	Unit        string `json:"unit"`
	Aggregation string `json:"aggregation"`
}

// FieldCatalog indexes dataavailable base fields by shortName.
func FieldCatalog(bfs []locus.BaseField) map[string]FieldInfo {
	cat := make(map[string]FieldInfo, len(bfs)*3)
	for _, bf := range bfs {
		for _, agg := range bf.Aggregations {
			cat[agg.ShortName] = FieldInfo{
				ShortName:   agg.ShortName,
				BaseField:   bf.BaseField,
				LongName:    bf.LongName,
				Source:      bf.Source,
				Unit:        bf.Unit,
				Aggregation: agg.Aggregation,
			}
		}
	}
	return cat
}

// lookup returns the catalog entry of field, or a minimal one naming the
// field itself when the catalog does not know it.
func lookup(cat map[string]FieldInfo, field string) FieldInfo {
	if info, ok := cat[field]; ok {
		return info
	}
	return FieldInfo{ShortName: field, LongName: field}
}
