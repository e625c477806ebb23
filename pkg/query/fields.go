package query

import (
	"fmt"
	"strings"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// checkFields returns an error naming every requested field the entity does not
// offer, listing the valid ones.
func checkFields(cat *locus.Catalog, fields []string, what string) error {
	var unknown []string
	for _, f := range fields {
		if !cat.Has(f) {
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
	valid := cat.Names()
	if len(valid) == 0 {
		return badInput("%s %s not available for %s: Locus lists no data fields for it", noun, quoteList(unknown), what)
	}
	return badInput("%s %s not available for %s: valid fields are %s", noun, quoteList(unknown), what, strings.Join(valid, ", "))
}

// offeredGranularities returns the granularities every field offers, finest first.
// An empty intersection is an error naming what each field offers.
func offeredGranularities(cat *locus.Catalog, fields []string) ([]planner.Granularity, error) {
	var out []planner.Granularity
	for _, g := range planner.All {
		all := true
		for _, f := range fields {
			if !offers(cat, f, g) {
				all = false
				break
			}
		}
		if all {
			out = append(out, g)
		}
	}
	if len(out) == 0 {
		return nil, badInput("fields %s share no granularity (%s): query them in separate queries", quoteList(fields), offerings(cat, fields))
	}
	return out, nil
}

// lacking returns an error naming the fields that do not offer g.
func lacking(cat *locus.Catalog, fields []string, g planner.Granularity) error {
	var bad []string
	for _, f := range fields {
		if !offers(cat, f, g) {
			bad = append(bad, f)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return badInput("granularity %q is not offered by %s (%s): choose auto or a granularity every field offers", g, quoteList(bad), offerings(cat, bad))
}

// offerings describes what each field offers: `W_avg: 5min, hourly`.
func offerings(cat *locus.Catalog, fields []string) string {
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		info, _ := cat.Lookup(f)
		parts = append(parts, fmt.Sprintf("%s offers %s", f, strings.Join(info.Granularities, ", ")))
	}
	return strings.Join(parts, "; ")
}

// offers reports whether the catalogue's field f lists g.
func offers(cat *locus.Catalog, f string, g planner.Granularity) bool {
	info, ok := cat.Lookup(f)
	return ok && info.Offers(string(g))
}

// fieldParams resolves the field parameters sent with a data call: those the
// query sets, validated against dataavailable's values. Locus marks field
// parameters deprecated and ignores them (FACTS.md), so a parameter the query
// leaves empty is not sent and not noted. A parameter no chosen field accepts
// is an error.
func fieldParams(cat *locus.Catalog, fields []string, given map[string]string, m *metaInfo) (map[string]string, error) {
	accepted := map[string][]string{}
	var order []string
	for _, f := range fields {
		info, _ := cat.Lookup(f)
		for _, p := range info.FieldParameters {
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
