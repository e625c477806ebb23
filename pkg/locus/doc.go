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
//   - Login: one password or client-credentials grant at a time per account
//     (across its instances). When Locus refuses the credentials (400/401/403
//     on the token endpoint), no grant with the same credentials is made for
//     a back-off (1 min, doubling per further refusal up to 15 min) or until
//     the settings change; calls meanwhile get the refusal ("Locus rejected
//     the credentials ...") without a request, so an identity provider that
//     locks accounts after repeated failures sees one failure per back-off.
//   - Queue: every API of one account (scheme, case-insensitive host, port
//     with the default spelt out or not, path, ClientID, Username) in the
//     process shares one queue of capacity min(MaxConcurrent) over the live
//     instances. A slot is held for a whole attempt (token requests
//     included, body read included) and never during a retry's backoff.
//     Callers whose context ends while queued leave without taking a slot.
//     Slots go by lane (Lane, put on the context with WithLane): alert-rule
//     evaluations, then interactive requests, then bulk chunks of large
//     queries, then background work; first come first served within a lane.
//     No starvation: after StarvationBound (8) grants in a row to higher
//     lanes while a lane has a waiter, that lane's oldest waiter is served
//     next, so the first waiter of any lane is served within 8+3 grants and
//     an alert waits behind at most one lower-lane grant in every 9. The
//     queue is a Limiter (Acquire(ctx, lane) (release, error), Stats).
//   - Shared state (Config.Shared, optional, for several Grafana replicas):
//     while the SharedState answers, the account's slots come from it (with
//     the same lanes), GET bodies are cached in it and fetched once across
//     replicas, and the token is shared (one login). Keys are HMACs and
//     values AES-GCM ciphertexts under keys derived from the credentials and
//     Config.SharedScope (shared.go). On a store error the API falls back to
//     the in-process queue and cache and probes the store every second.
//     Each request's lane, wait and the lanes' depths on arrival are logged
//     at debug level ("Locus queue") and summed in CallStats (QueueFigures).
//   - Retries: 429, 502, 503, 504 and network failures up to MaxRetries, a
//     plain 500 at most twice, a per-attempt timeout once; exponential backoff
//     with full jitter, at least what Retry-After asks. Other 4xx never. A
//     wait that would pass the caller's deadline (kept through shared
//     requests by Detach), or one longer than 30 s without a deadline,
//     is not started: the 429's message is returned at once.
//   - Redirects: followed only for GETs within the configured origin (same
//     scheme, host and port) and never on the token endpoint, so no bearer
//     token, password or client secret is sent elsewhere or re-posted in
//     clear by a 307; a refused redirect is a KindConfig error naming where
//     Locus pointed.
//   - Responses: gzip requested and decoded here, capped at MaxResponseBytes
//     after decompression (gunzip by github.com/klauspost/compress). Data
//     bodies use a hand-written columnar decoder: one []float64 per field
//     and a validity slice only once a null is seen (see Series, Column),
//     no pointer per value. It expects each row to repeat the previous
//     row's keys (one comparison of `"W_avg":` settles a key), reads plain
//     decimals 8 bytes at a time (Clinger's exact fast path, anything else
//     through strconv) and a ts of the previous row's date and offset from
//     its time of day; whatever breaks those expectations takes the
//     general path, with the same result. Runs joins the chunks of one
//     entity without copying their rows. An HTML page answered with 200 is
//     reported as the origin's failure (a portal or proxy), not a decoder's.
//   - Single-flight and cache: identical GETs in flight share one request
//     (cancelled only when every caller has gone); results are cached per
//     instance in a bounded LRU: metadata for MetadataTTL, data wholly older
//     than an hour for PastDataTTL, data touching now and alerts for
//     RecentDataTTL. Callers get their own Series and lists; the columns of
//     a Series are shared and read-only. The budget (CacheMaxBytes) counts a
//     data response's decoded memory (times, and per field a value per row
//     and a validity byte per row when it has nulls), not its JSON size, so
//     it bounds the heap.
//   - Lifecycle: Close lets the work begun with Begin (a query, a resource
//     call) finish, for at most DrainTimeout (2 min), while the replacing
//     instance takes new work; then it leaves the queue, drops its cache and
//     token and closes its own transport's idle connections.
//   - Stale metadata: past MetadataTTL a metadata entry is still served for
//     MetadataStale (24 h) and refreshed in the background: on LaneBackground,
//     once the instance has no query in progress (DeferRefreshes, at most a
//     minute's wait) and the account queue is idle; a 403/404 drops it.
//   - Warm-up: with Config.InstanceKey (the data source UID), a new API
//     fetches in the background the metadata calls the previous API of that
//     key, account and partner served in the last 24 h (kept in memory, at
//     most 2000 calls). WaitBackground waits for refreshes and warm-ups.
//   - Field catalogue: DataAvailable and BulkDataAvailable return a new
//     Catalog built from each dataavailable answer (catalog.go): one Field
//     per shortName in Locus' order, with its base field, long name,
//     source, unit, aggregation, granularities and field parameters. It is
//     the one field catalogue the engine, resources and frames read.
//   - Prefetch: CachedModelSettings reads a site's size from the cache
//     only; PrefetchModelSettings queues the uncached ones, fetched one at
//     a time like warm-up (background lane, no query in progress, queue
//     idle), not remembered for warm-up; WaitBackground waits for them.
//   - Errors are *Error with a Kind; messages name what to change and never
//     contain a password, client secret or token (WithCallStats' Executed
//     neither). Redact masks secrets; one shorter than 12 characters only
//     where it stands as a word, so "demo" never rewrites "demoMode".
package locus
