package query

import (
	"strconv"
	"strings"
)

// DefaultMaxEntities is the default of Options.MaxEntities: the most sites
// or components a time series or latest query fetches (one request each).
const DefaultMaxEntities = 1000

// checkEntities refuses a per-entity query over more than the engine's
// MaxEntities ids, naming the setting, so that a mistaken "All" over a huge
// fleet fails clearly (in the panel) instead of queueing thousands of
// requests. Fleet-wide queries (bulk, alerts, metadata) have no such limit.
func (e *Engine) checkEntities(field string, n int) error {
	if n > e.maxEntities {
		return badInput("%s lists %d ids: this data source fetches at most %d sites or components per time series or latest query (one request each; data source setting maxEntitiesPerQuery). Choose fewer, or use a bulk query for fleet-wide monthly data", field, n, e.maxEntities)
	}
	return nil
}

// parseIDs parses one id or a comma-separated list of ids (what multi-value
// and "All" template variables interpolate to; {a,b} braces are accepted).
// It returns the distinct ids in order. field names the query key in errors.
func parseIDs(field, raw string) ([]int64, error) {
	s := strings.TrimSpace(raw)
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = s[1 : len(s)-1]
	}
	if strings.TrimSpace(s) == "" {
		return nil, badInput("%s is empty: choose one (a template variable may have interpolated to nothing)", field)
	}
	parts := strings.Split(s, ",")
	ids := make([]int64, 0, len(parts))
	seen := make(map[int64]bool, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		id, err := parseID(field, p)
		if err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// parseID parses one positive integer id.
func parseID(field, p string) (int64, error) {
	if p == "" {
		return 0, badInput("%s has an empty entry in its list: ids are positive integers separated by commas, e.g. 3458,3459", field)
	}
	if strings.HasPrefix(p, "$") || strings.HasPrefix(p, "[[") {
		return 0, badInput("%s %q is a template variable that was not interpolated: check that the dashboard defines it", field, truncate(p, 40))
	}
	id, err := strconv.ParseInt(p, 10, 64)
	if err != nil || id <= 0 {
		return 0, badInput("%s %q is not a Locus id: ids are positive integers, e.g. 3458", field, truncate(p, 40))
	}
	return id, nil
}

// parseOptionalID parses an optional single id; "" gives 0.
func parseOptionalID(field, raw string) (int64, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return 0, nil
	}
	if strings.Contains(s, ",") {
		return 0, badInput("%s %q lists several ids: only one is allowed here", field, truncate(s, 40))
	}
	return parseID(field, strings.Trim(s, "{}"))
}

// parseIDFilter parses an optional id or id list used as a filter ("" or
// an "All" that interpolated to nothing means no filter: nil).
func parseIDFilter(field, raw string) (map[int64]bool, error) {
	if strings.TrimSpace(strings.Trim(strings.TrimSpace(raw), "{}")) == "" {
		return nil, nil
	}
	ids, err := parseIDs(field, raw)
	if err != nil {
		return nil, err
	}
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, nil
}

// truncate shortens s for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
