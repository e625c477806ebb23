package locus

import (
	"sort"
	"strings"
)

// Field is one data field of a dataavailable response: a base field with
// one of its aggregations, addressed by its shortName (W_avg, Wh_sum). The
// base field's attributes repeat on each of its shortNames. Granularities
// and FieldParameters are never nil (empty when Locus lists none). Unit is
// Locus' spelling; the Grafana unit id is frames.GrafanaUnit(Unit), the one
// unit mapping.
type Field struct {
	ShortName   string `json:"shortName"`
	BaseField   string `json:"baseField"`
	LongName    string `json:"longName"`
	Source      string `json:"source"` // Measured, Modeled or Expected (KPI for derived fields)
	Unit        string `json:"unit"`
	Aggregation string `json:"aggregation"` // avg, sum, min, max, ...
	// Granularities are the API's granularity names the field offers
	// (1min, 5min, ..., latest), as Locus lists them.
	Granularities []string `json:"granularities"`
	// FieldParameters are the data-call parameters the field accepts.
	FieldParameters []FieldParameter `json:"fieldParameters"`
}

// Offers reports whether the field lists granularity gran (an API
// granularity name, compared without regard to case).
func (f Field) Offers(gran string) bool {
	for _, s := range f.Granularities {
		if strings.EqualFold(s, gran) {
			return true
		}
	}
	return false
}

// Catalog is the field catalogue of one dataavailable response (a site's,
// a component's or the partner's bulk fields): one Field per shortName, in
// the order Locus sent them, indexed by shortName. Field names are never
// assumed: every name comes from the response. The zero value and nil are
// empty catalogues; a Catalog is not safe for concurrent Add.
type Catalog struct {
	fields []Field
	byName map[string]int
}

// NewCatalog builds the catalogue of a dataavailable response's base
// fields: one Field per aggregation. A shortName listed twice keeps its
// first entry.
func NewCatalog(bfs []BaseField) *Catalog {
	c := &Catalog{fields: make([]Field, 0, len(bfs)*2), byName: make(map[string]int, len(bfs)*2)}
	for _, bf := range bfs {
		grans := bf.Granularities
		if grans == nil {
			grans = []string{}
		}
		params := bf.FieldParameters
		if params == nil {
			params = []FieldParameter{}
		}
		for _, a := range bf.Aggregations {
			c.Add(Field{
				ShortName: a.ShortName, BaseField: bf.BaseField, LongName: bf.LongName, Source: bf.Source,
				Unit: bf.Unit, Aggregation: a.Aggregation, Granularities: grans, FieldParameters: params,
			})
		}
	}
	return c
}

// Add appends f unless the catalogue already has its shortName (the first
// entry wins); it reports whether f was added. Derived fields (KPIs) and
// unions of several entities' catalogues are built with it.
func (c *Catalog) Add(f Field) bool {
	if _, ok := c.byName[f.ShortName]; ok {
		return false
	}
	if c.byName == nil {
		c.byName = map[string]int{}
	}
	if f.Granularities == nil {
		f.Granularities = []string{}
	}
	if f.FieldParameters == nil {
		f.FieldParameters = []FieldParameter{}
	}
	c.byName[f.ShortName] = len(c.fields)
	c.fields = append(c.fields, f)
	return true
}

// Merge adds every field of o that c does not have yet, in o's order (the
// union of several entities' fields, each shortName once, first seen wins).
func (c *Catalog) Merge(o *Catalog) {
	for _, f := range o.Fields() {
		c.Add(f)
	}
}

// Fields lists the catalogue's fields in order (Locus' order, then added
// ones). The slice is the catalogue's own: do not modify it.
func (c *Catalog) Fields() []Field {
	if c == nil {
		return nil
	}
	return c.fields
}

// Len is the number of shortNames.
func (c *Catalog) Len() int { return len(c.Fields()) }

// Lookup returns the field named shortName and whether the catalogue has it.
func (c *Catalog) Lookup(shortName string) (Field, bool) {
	if c == nil {
		return Field{}, false
	}
	i, ok := c.byName[shortName]
	if !ok {
		return Field{}, false
	}
	return c.fields[i], true
}

// Has reports whether the catalogue has shortName.
func (c *Catalog) Has(shortName string) bool {
	_, ok := c.Lookup(shortName)
	return ok
}

// Names lists the shortNames, sorted.
func (c *Catalog) Names() []string {
	out := make([]string, 0, c.Len())
	for _, f := range c.Fields() {
		out = append(out, f.ShortName)
	}
	sort.Strings(out)
	return out
}
