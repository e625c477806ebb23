package plugin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxParamLen bounds free-text parameters (search text, node ID patterns).
const maxParamLen = 200

// positiveID parses an entity id: a positive integer.
func positiveID(name, raw string) (int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, badParam("%s is required: a positive integer id", name)
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		return 0, badParam("%s must be a positive integer id, got %s", name, quoteParam(raw))
	}
	return n, nil
}

// optionalIDSet parses an optional id filter: one id, a comma-separated list
// or {a,b} (what a multi-value or "All" variable interpolates to). Absent or
// empty means no filter (nil).
func optionalIDSet(q url.Values, name string) (map[int64]bool, error) {
	raw := strings.Trim(strings.TrimSpace(q.Get(name)), "{}")
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	parts := strings.Split(raw, ",")
	set := make(map[int64]bool, len(parts))
	for _, p := range parts {
		id, err := positiveID(name, strings.TrimSpace(p))
		if err != nil {
			return nil, err
		}
		set[id] = true
	}
	return set, nil
}

// idList parses an optional list of ids like optionalIDSet, keeping their
// order and dropping repeats; absent or empty gives nil.
func idList(q url.Values, name string) ([]int64, error) {
	raw := strings.Trim(strings.TrimSpace(q.Get(name)), "{}")
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	var out []int64
	seen := map[int64]bool{}
	for _, p := range strings.Split(raw, ",") {
		id, err := positiveID(name, strings.TrimSpace(p))
		if err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// limitParam parses an optional result limit: a non-negative integer, def
// when absent, 0 meaning every match (lists are served from cache, so the
// whole list costs no more upstream than a page of it).
func limitParam(q url.Values, def int) (int, error) {
	raw := strings.TrimSpace(q.Get("limit"))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		return 0, badParam("limit must be a whole number (0 = every match), got %s", quoteParam(raw))
	}
	return n, nil
}

// intParam parses an optional integer within [lo, hi], def when absent.
func intParam(q url.Values, name string, def, lo, hi int64) (int64, error) {
	raw := strings.TrimSpace(q.Get(name))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, badParam("%s must be an integer from %d to %d, got %s", name, lo, hi, quoteParam(raw))
	}
	return n, nil
}

// textParam returns a trimmed free-text parameter of bounded length.
func textParam(q url.Values, name string) (string, error) {
	v := strings.TrimSpace(q.Get(name))
	if len(v) > maxParamLen {
		return "", badParam("%s is too long (%d characters): use at most %d", name, len(v), maxParamLen)
	}
	return v, nil
}

// entityTypeParam parses entityType=site|component.
func entityTypeParam(q url.Values) (string, error) {
	et := strings.ToLower(strings.TrimSpace(q.Get("entityType")))
	if et != "site" && et != "component" {
		if et == "" {
			return "", badParam(`entityType is required: use "site" or "component"`)
		}
		return "", badParam(`entityType %s is not valid: use "site" or "component"`, quoteParam(q.Get("entityType")))
	}
	return et, nil
}

// entityParam parses entityType=site|component and id.
func entityParam(r *http.Request) (string, int64, error) {
	q := r.URL.Query()
	et, err := entityTypeParam(q)
	if err != nil {
		return "", 0, err
	}
	id, err := positiveID("id", q.Get("id"))
	return et, id, err
}

func quoteParam(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}
