package frames

import "github.com/sunfleet/locus-datasource/pkg/locus"

// fieldOf returns the catalogue's entry of field, or a minimal one naming
// the field itself when the catalogue does not know it.
func fieldOf(cat *locus.Catalog, field string) locus.Field {
	if info, ok := cat.Lookup(field); ok {
		return info
	}
	return locus.Field{ShortName: field, LongName: field}
}
