package locus

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // request time zones must resolve even without system zoneinfo
)

// API is a Locus v3 client for one data source instance: its own token and
// cache, and the account-wide request queue it shares with every other
// instance of the same account. It is safe for concurrent use.
type API struct {
	cfg   Config
	http  *http.Client
	queue *accountQueue
	// limiter admits the requests: Config.Limiter, else the account queue.
	limiter Limiter
	log     Logger
	tokens  tokenSource
	cache   *cache
	flight  flightGroup
	shared  *sharedLink // nil without Config.Shared
	closed  atomic.Bool
	once    sync.Once
	bg      background
	pre     prefetcher

	// life tracks the work begun with Begin, which a Close lets finish.
	life struct {
		sync.Mutex
		active  int
		closing bool
		timer   *time.Timer
	}
}

// New validates cfg, applies defaults and joins the account's request queue.
// Call Close when the instance is disposed.
func New(cfg Config) (*API, error) {
	c, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	a := &API{
		cfg: c,
		log: c.Logger,
		http: &http.Client{
			Transport:     c.Transport,
			CheckRedirect: checkRedirect,
		},
		cache: newCache(c.CacheMaxBytes, c.CacheMaxEntries),
	}
	a.tokens.api = a
	a.queue = joinQueue(c.accountKey(), c.MaxConcurrent)
	a.limiter = a.queue
	if c.Limiter != nil {
		a.limiter = c.Limiter
	}
	if c.Shared != nil {
		a.shared = newSharedLink(c.Shared, c)
		a.limiter = &sharedLimiter{link: a.shared, local: a.limiter, capacity: c.MaxConcurrent}
	}
	a.bg.init()
	a.warmUp()
	return a, nil
}

// Begin marks the start of a unit of work (a query, a resource call) that
// a Close must let finish: call done once it has. After Close, Begin fails
// with KindConfig: new work goes to the instance that replaced this one.
func (a *API) Begin() (done func(), err error) {
	a.life.Lock()
	defer a.life.Unlock()
	if a.life.closing || a.closed.Load() {
		return nil, errClosed()
	}
	a.life.active++
	var once sync.Once
	return func() {
		once.Do(func() {
			a.life.Lock()
			a.life.active--
			last := a.life.closing && a.life.active == 0
			a.life.Unlock()
			if last {
				a.finish()
			}
		})
	}, nil
}

// Close retires the instance (Grafana disposes it when its settings
// change): no new work may Begin; the work already begun finishes, for at
// most Config.DrainTimeout; then the instance releases its place in the
// account queue, drops its cache and token, and closes the idle
// connections of its own transport. Calls made after that fail with
// KindConfig. Close does not wait, and is idempotent.
func (a *API) Close() {
	a.life.Lock()
	if a.life.closing {
		a.life.Unlock()
		return
	}
	a.life.closing = true
	if a.life.active > 0 {
		a.log.Debug("Locus client closing: letting running queries finish", "running", a.life.active, "drainTimeout", a.cfg.DrainTimeout.String())
		a.life.timer = time.AfterFunc(a.cfg.DrainTimeout, a.finish)
		a.life.Unlock()
		return
	}
	a.life.Unlock()
	a.finish()
}

// finish stops the instance for good (once).
func (a *API) finish() {
	a.once.Do(func() {
		a.life.Lock()
		if a.life.timer != nil {
			a.life.timer.Stop()
		}
		a.life.Unlock()
		a.closed.Store(true)
		a.bg.stop()
		a.queue.leave(a.cfg.MaxConcurrent)
		a.shared.close()
		a.cache.clear()
		a.tokens.clear()
		if t, ok := a.cfg.Transport.(interface{ CloseIdleConnections() }); ok && a.cfg.ownTransport {
			t.CloseIdleConnections()
		}
	})
}

// Draining reports whether Close was called while work was still running
// and the instance has not stopped yet.
func (a *API) Draining() bool {
	a.life.Lock()
	defer a.life.Unlock()
	return a.life.closing && !a.closed.Load()
}

// WaitQueueIdle returns once the account's request queue has a free slot
// and nobody waiting for one, or when ctx ends (with its error). It takes no
// slot. A caller that builds a request from what accumulates while it waits
// (the query engine's cross-panel coalescer) uses it to fix the request as
// late as possible.
func (a *API) WaitQueueIdle(ctx context.Context) error {
	if w, ok := a.limiter.(interface{ WaitIdle(context.Context) error }); ok {
		return w.WaitIdle(ctx)
	}
	return nil
}

// QueueStats reports the account queue's slots and waiting requests by lane.
func (a *API) QueueStats() QueueStats { return a.limiter.Stats() }

// PartnerID is the configured partner.
func (a *API) PartnerID() int64 { return a.cfg.PartnerID }

// BaseURL is the normalized Locus origin.
func (a *API) BaseURL() string { return a.cfg.BaseURL }

// Authenticate obtains a token if the instance has none (for the health
// check); it reports bad credentials as KindAuth.
func (a *API) Authenticate(ctx context.Context) error {
	if err := a.checkOpen(); err != nil {
		return err
	}
	_, err := a.tokens.get(ctx)
	return err
}

func (a *API) checkOpen() error {
	if a.closed.Load() {
		return errClosed()
	}
	return nil
}

func errClosed() *Error {
	return &Error{Kind: KindConfig, Message: "the Locus client was closed (its data source settings were replaced); retry the query"}
}

// redact removes every secret from s. Messages built from upstream text go
// through it, in case a server echoes a credential back.
func (a *API) redact(s string) string { return Redact(s, a.secrets()...) }

func (a *API) secrets() []string {
	out := []string{a.cfg.Password, a.cfg.ClientSecret}
	return append(out, a.tokens.current()...)
}

// checkRedirect follows a redirect only within the configured origin (same
// scheme, host and port; a default port spelt out counts as the same) and
// never for the token endpoint: a credential (bearer token, password,
// client secret) is never sent to another origin nor downgraded from https
// to http, and a 307/308 on the token endpoint never re-posts the grant's
// secrets. A refused redirect returns the 3xx itself, which do reports as
// an error naming where Locus redirected to.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0]
	if len(via) >= 5 || first.Method != http.MethodGet || first.URL.Path == tokenPath {
		return http.ErrUseLastResponse
	}
	if !sameOrigin(req.URL, first.URL) {
		return http.ErrUseLastResponse
	}
	return nil
}

// sameOrigin compares scheme, host (case-insensitively) and port (the
// scheme's default when absent).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && originHostPort(a) == originHostPort(b)
}

// originHostPort is u's lower-case host and explicit or default port.
func originHostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return strings.ToLower(u.Hostname()) + ":" + port
}
