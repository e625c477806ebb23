// Package locus is the Locus Energy v3 API client: authentication and token
// lifecycle, the per-account request queue, retries, single-flight, caching,
// the endpoints and their types. It knows nothing of Grafana.
//
// One API serves one data source instance. Its policies:
//
//   - Token: password grant (or client credentials); renewed with the
//     refresh token at 90% of expires_in, falling back to the password grant
//     when the refresh fails; a 401 from /v3 triggers exactly one
//     re-authentication and one retry. One renewal at a time; other callers
//     keep using the still-valid token, and a transient renewal failure keeps
//     it until it really expires.
//   - Queue: every API of one account (BaseURL + ClientID + Username) in the
//     process shares one FIFO queue of capacity min(MaxConcurrent) over the
//     live instances. A slot is held for a whole attempt (token requests
//     included, body read included) and never during a retry's backoff.
//     Callers whose context ends while queued leave without taking a slot.
//   - Retries: 429, 502, 503, 504 and network failures up to MaxRetries, a
//     plain 500 at most twice, a per-attempt timeout once; exponential backoff
//     with full jitter, at least what Retry-After asks. Other 4xx never.
//   - Responses: gzip requested and decoded here, capped at MaxResponseBytes
//     after decompression. Data bodies use a hand-written columnar decoder
//     (one arena per field; see Series).
//   - Single-flight and cache: identical GETs in flight share one request
//     (cancelled only when every caller has gone); results are cached per
//     instance in a bounded LRU: metadata for MetadataTTL, data wholly older
//     than an hour for PastDataTTL, data touching now and alerts for
//     RecentDataTTL. Callers get copies.
//   - Errors are *Error with a Kind; messages name what to change and never
//     contain a password, client secret or token (WithCallStats' Executed
//     neither).
package locus
