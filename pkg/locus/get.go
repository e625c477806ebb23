package locus

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// getCached is every GET: cache lookup, then one shared upstream request per
// identical pathQuery in flight, decoding once, caching for ttl (ttl <= 0:
// no caching). Callers receive clones so they may modify what they get.
func getCached[T any](ctx context.Context, a *API, pathQuery string, ttl time.Duration,
	decode func([]byte) (T, error), size func(T, []byte) int64, clone func(T) T) (T, error) {
	return getDecoded(ctx, a, pathQuery, ttl, 0, decode, size, clone, false)
}

// getMetadata is getCached for metadata: an entry past its lifetime is
// still served for MetadataStale, and refreshed in the background.
func getMetadata[T any](ctx context.Context, a *API, pathQuery string,
	decode func([]byte) (T, error), size func(T, []byte) int64, clone func(T) T) (T, error) {
	return getDecoded(ctx, a, pathQuery, a.cfg.MetadataTTL, a.cfg.MetadataStale, decode, size, clone, false)
}

// getRecycled is getCached for decoders that keep no reference into the
// body (the data decoder): the body buffer is recycled once decoded.
func getRecycled[T any](ctx context.Context, a *API, pathQuery string, ttl time.Duration,
	decode func([]byte) (T, error), size func(T, []byte) int64, clone func(T) T) (T, error) {
	return getDecoded(ctx, a, pathQuery, ttl, 0, decode, size, clone, true)
}

// getDecoded serves a GET from the cache, else from one shared upstream
// request. grace > 0 (metadata) also serves an entry up to grace past its
// lifetime, and refreshes it in the background (see revalidate).
func getDecoded[T any](ctx context.Context, a *API, pathQuery string, ttl, grace time.Duration,
	decode func([]byte) (T, error), size func(T, []byte) int64, clone func(T) T, recycle bool) (T, error) {
	var zero T
	if err := a.checkOpen(); err != nil {
		return zero, err
	}
	if err := ctx.Err(); err != nil {
		return zero, canceledError("GET "+pathQuery, err)
	}
	stats := callStatsFrom(ctx)
	mode := getModeFrom(ctx)
	if mode != getCacheOnly {
		stats.addExecuted("GET " + pathQuery)
	}
	if grace > 0 && ttl > 0 && mode == 0 {
		a.remember(pathQuery, func(ctx context.Context, a *API) error {
			_, err := getDecoded(ctx, a, pathQuery, a.cfg.MetadataTTL, a.cfg.MetadataStale, decode, size, clone, recycle)
			return err
		})
	}
	lookup := func() (any, bool) {
		if ttl <= 0 {
			return nil, false
		}
		return a.cache.get(pathQuery, a.cfg.Now())
	}
	if v, ok := lookup(); ok {
		if mode == getCacheOnly {
			stats.addExecuted("GET " + pathQuery)
		}
		stats.CacheHits.Add(1)
		return clone(v.(T)), nil
	}
	fetch := func(fctx context.Context) (any, error) {
		body, err := a.fetchShared(fctx, pathQuery, ttl)
		if err != nil {
			return nil, err
		}
		val, err := decode(body)
		if err != nil && looksLikeHTML(body) {
			// Not a decoder failure: something other than the API answered.
			return nil, &Error{Kind: KindServer, Status: 200, Path: "GET " + pathQuery, cause: err, Message: fmt.Sprintf(
				"Locus answered GET %s with an HTML page instead of JSON (status 200): the base URL %s may point at a web page, a proxy or a login portal rather than the API; check the base URL and any proxy", pathQuery, a.cfg.BaseURL)}
		}
		if err != nil {
			return nil, &Error{Kind: KindDecode, Path: "GET " + pathQuery, cause: err, Message: fmt.Sprintf(
				"Locus sent an unexpected response to GET %s: %s", pathQuery, a.redact(err.Error()))}
		}
		a.cache.putStale(pathQuery, val, size(val, body), a.cfg.Now(), ttl, grace)
		if recycle {
			recycleBody(body)
		}
		return val, nil
	}
	if grace > 0 && ttl > 0 {
		if v, ok := a.cache.getStale(pathQuery, a.cfg.Now()); ok {
			if mode == getCacheOnly {
				stats.addExecuted("GET " + pathQuery)
			}
			stats.CacheHits.Add(1)
			stats.Stale.Add(1)
			a.revalidate(ctx, pathQuery, lookup, fetch)
			return clone(v.(T)), nil
		}
	}
	if mode == getCacheOnly {
		return zero, errNotCached
	}
	v, err, how := a.flight.do(ctx, pathQuery, lookup, fetch)
	switch how {
	case joined:
		stats.Shared.Add(1)
	case cached:
		stats.CacheHits.Add(1)
	}
	if err != nil {
		return zero, err
	}
	return clone(v.(T)), nil
}

// bodySize estimates a decoded value's memory as its JSON size plus overhead.
func bodySize[T any](_ T, body []byte) int64 { return int64(len(body)) + 512 }

// dataTTL chooses the lifetime of a data response: long when the whole
// interval ended more than an hour ago (it will not change any more), short
// when it touches the present.
func (a *API) dataTTL(end, tz, gran string) time.Duration {
	if gran == "latest" || end == "" {
		return a.cfg.RecentDataTTL
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return a.cfg.RecentDataTTL
	}
	t, err := time.ParseInLocation(wallLayout, end, loc)
	if err != nil {
		return a.cfg.RecentDataTTL
	}
	if a.cfg.Now().Sub(t) > time.Hour {
		return a.cfg.PastDataTTL
	}
	return a.cfg.RecentDataTTL
}

// query builds a query string in the given key order with the API's
// conventional encoding: commas, slashes and colons stay literal, while the
// % wildcard and everything else outside the unreserved set are escaped.
type query []string

func (q *query) add(key, value string) {
	*q = append(*q, key+"="+escapeQueryValue(value))
}

func (q query) String() string {
	if len(q) == 0 {
		return ""
	}
	return "?" + strings.Join(q, "&")
}

func escapeQueryValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~', c == ',', c == '/', c == ':':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// looksLikeHTML reports whether a body is an HTML page (a proxy's, a
// portal's or a web server's) rather than the API's JSON.
func looksLikeHTML(body []byte) bool {
	head := strings.ToLower(strings.TrimSpace(string(body[:min(len(body), 512)])))
	head = strings.TrimPrefix(head, "\ufeff")
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.HasPrefix(head, "<head") || strings.HasPrefix(head, "<body") ||
		(strings.HasPrefix(head, "<") && strings.Contains(head, "<html"))
}
