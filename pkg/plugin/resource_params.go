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
	if len(parts) > maxIDFilter {
		return nil, badParam("%s lists %d ids: at most %d are allowed", name, len(parts), maxIDFilter)
	}
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

// maxIDFilter bounds the ids of one filter parameter.
const maxIDFilter = 1000

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

// entityParam parses entityType=site|component and id.
func entityParam(r *http.Request) (string, int64, error) {
	q := r.URL.Query()
	et := strings.ToLower(strings.TrimSpace(q.Get("entityType")))
	if et != "site" && et != "component" {
		if et == "" {
			return "", 0, badParam(`entityType is required: use "site" or "component"`)
		}
		return "", 0, badParam(`entityType %s is not valid: use "site" or "component"`, quoteParam(q.Get("entityType")))
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
