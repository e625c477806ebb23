package locus

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	_ "time/tzdata" // request time zones must resolve even without system zoneinfo
)

// API is a Locus v3 client for one data source instance: its own token and
// cache, and the account-wide request queue it shares with every other
// instance of the same account. It is safe for concurrent use.
type API struct {
	cfg    Config
	http   *http.Client
	queue  *accountQueue
	log    Logger
	tokens tokenSource
	cache  *cache
	flight flightGroup
	closed atomic.Bool
	once   sync.Once
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
			Transport: c.Transport,
			// Same-origin redirects only: never send the bearer token elsewhere.
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return http.ErrUseLastResponse
				}
				if req.URL.Host != via[0].URL.Host {
					return http.ErrUseLastResponse
				}
				return nil
			},
		},
		cache: newCache(c.CacheMaxBytes, c.CacheMaxEntries),
	}
	a.tokens.api = a
	a.queue = joinQueue(c.accountKey(), c.MaxConcurrent)
	return a, nil
}

// Close releases the instance's place in the account queue and drops its
// cache and token. Calls made after Close fail with KindConfig. Close is
// idempotent.
func (a *API) Close() {
	a.once.Do(func() {
		a.closed.Store(true)
		a.queue.leave(a.cfg.MaxConcurrent)
		a.cache.clear()
		a.tokens.clear()
	})
}

// WaitQueueIdle returns once the account's request queue has a free slot
// and nobody waiting for one, or when ctx ends (with its error). It takes no
// slot. A caller that builds a request from what accumulates while it waits
// (the query engine's cross-panel coalescer) uses it to fix the request as
// late as possible.
func (a *API) WaitQueueIdle(ctx context.Context) error { return a.queue.waitIdle(ctx) }

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
		return &Error{Kind: KindConfig, Message: "the Locus client was closed (its data source settings were replaced); retry the query"}
	}
	return nil
}

// redact removes every secret from s. Messages built from upstream text go
// through it, in case a server echoes a credential back.
func (a *API) redact(s string) string {
	for _, secret := range a.secrets() {
		if len(secret) < 3 {
			continue
		}
		// Also the form-encoded spelling, in case a server echoes the request body.
		for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
			s = strings.ReplaceAll(s, form, "[redacted]")
		}
	}
	return s
}

func (a *API) secrets() []string {
	out := []string{a.cfg.Password, a.cfg.ClientSecret}
	return append(out, a.tokens.current()...)
}
