package query

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// fieldIndex maps each shortName of a dataavailable response to its base field.
type fieldIndex map[string]*locus.BaseField

// indexFields indexes a dataavailable response by shortName.
func indexFields(bfs []locus.BaseField) fieldIndex {
	idx := make(fieldIndex, len(bfs)*3)
	for i := range bfs {
		for _, a := range bfs[i].Aggregations {
			idx[a.ShortName] = &bfs[i]
		}
	}
	return idx
}

// names lists the shortNames, sorted.
func (idx fieldIndex) names() []string {
	out := make([]string, 0, len(idx))
	for n := range idx {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// check returns an error naming every requested field the entity does not
// offer, listing the valid ones.
func (idx fieldIndex) check(fields []string, what string) error {
	var unknown []string
	for _, f := range fields {
		if idx[f] == nil {
			unknown = append(unknown, f)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	noun := "field"
	if len(unknown) > 1 {
		noun = "fields"
	}
	valid := idx.names()
	if len(valid) == 0 {
		return badInput("%s %s not available for %s: Locus lists no data fields for it", noun, quoteList(unknown), what)
	}
	return badInput("%s %s not available for %s: valid fields are %s", noun, quoteList(unknown), what, strings.Join(valid, ", "))
}

// granularities returns the granularities every field offers, finest first.
// An empty intersection is an error naming what each field offers.
func (idx fieldIndex) granularities(fields []string) ([]planner.Granularity, error) {
	var out []planner.Granularity
	for _, g := range planner.All {
		all := true
		for _, f := range fields {
			if !offers(idx[f], g) {
				all = false
				break
			}
		}
		if all {
			out = append(out, g)
		}
	}
	if len(out) == 0 {
		return nil, badInput("fields %s share no granularity (%s): query them in separate queries", quoteList(fields), idx.offerings(fields))
	}
	return out, nil
}

// lacking returns an error naming the fields that do not offer g.
func (idx fieldIndex) lacking(fields []string, g planner.Granularity) error {
	var bad []string
	for _, f := range fields {
		if !offers(idx[f], g) {
			bad = append(bad, f)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return badInput("granularity %q is not offered by %s (%s): choose auto or a granularity every field offers", g, quoteList(bad), idx.offerings(bad))
}

// offerings describes what each field offers: `W_avg: 5min, hourly`.
func (idx fieldIndex) offerings(fields []string) string {
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		parts = append(parts, fmt.Sprintf("%s offers %s", f, strings.Join(idx[f].Granularities, ", ")))
	}
	return strings.Join(parts, "; ")
}

// offers reports whether bf lists g.
func offers(bf *locus.BaseField, g planner.Granularity) bool {
	if bf == nil {
		return false
	}
	for _, s := range bf.Granularities {
		if strings.EqualFold(s, string(g)) {
			return true
		}
	}
	return false
}

// fieldParams resolves the field parameters sent with a data call: those the
// query sets, validated against dataavailable's values. Locus marks field
// parameters deprecated and ignores them (FACTS.md), so a parameter the query
// leaves empty is not sent and not noted. A parameter no chosen field accepts
// is an error.
func (idx fieldIndex) fieldParams(fields []string, given map[string]string, m *metaInfo) (map[string]string, error) {
	accepted := map[string][]string{}
	var order []string
	for _, f := range fields {
		for _, p := range idx[f].FieldParameters {
			if _, ok := accepted[p.Param]; !ok {
				order = append(order, p.Param)
			}
			accepted[p.Param] = append(accepted[p.Param], p.Values...)
		}
	}
	for k := range given {
		if _, ok := accepted[k]; !ok {
			if len(order) == 0 {
				return nil, badInput("fieldParams.%s is not accepted: fields %s take no field parameters", k, quoteList(fields))
			}
			return nil, badInput("fieldParams.%s is not accepted by fields %s: valid parameters are %s", k, quoteList(fields), quoteList(order))
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(order))
	for _, p := range order {
		values := accepted[p]
		if v, ok := given[p]; ok {
			match := ""
			for _, a := range values {
				if strings.EqualFold(a, strings.TrimSpace(v)) {
					match = a
					break
				}
			}
			if match == "" {
				return nil, badInput("fieldParams.%s %q is not valid: valid values are %s", p, truncate(v, 40), quoteList(values))
			}
			out[p] = match
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}
