package locus

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// AuthType is the OAuth grant the client authenticates with.
type AuthType string

// Auth types.
const (
	// AuthPassword is the resource-owner password grant (the default), which
	// also yields a refresh token.
	AuthPassword AuthType = "password"
	// AuthClientCredentials is the client-credentials grant (no user).
	AuthClientCredentials AuthType = "client_credentials"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultBaseURL          = "https://api.locusenergy.com"
	DefaultMaxConcurrent    = 1
	DefaultTimeout          = 60 * time.Second
	DefaultMaxResponseBytes = 64 << 20
	DefaultMaxRetries       = 4
	DefaultRetryBaseDelay   = 500 * time.Millisecond
	DefaultRetryMaxDelay    = 10 * time.Second
	DefaultMetadataTTL      = 10 * time.Minute
	DefaultMetadataStale    = 24 * time.Hour
	DefaultPastDataTTL      = 24 * time.Hour
	DefaultRecentDataTTL    = time.Minute
	DefaultCacheMaxBytes    = 256 << 20
	DefaultCacheMaxEntries  = 20000
	DefaultDrainTimeout     = 2 * time.Minute
	// MaxConcurrentLimit is the bound of the data source's
	// maxConcurrentRequests setting (checked by its Settings.Validate);
	// Locus allows 1 request in flight per account and grants more only on
	// request.
	MaxConcurrentLimit = 10
)

// Config configures an API. Zero values take the defaults above. The user's
// fields are validated by the data source's Settings.Validate before it
// builds a Config; see normalize for what New itself refuses.
type Config struct {
	// BaseURL is the Locus origin, e.g. https://api.locusenergy.com (no /v3).
	BaseURL   string
	PartnerID int64
	AuthType  AuthType
	Username  string
	Password  string
	ClientID  string
	// ClientSecret is the API client secret; never logged or returned.
	ClientSecret string
	// MaxConcurrent is the account's limit of requests in flight. Every API
	// of one account (BaseURL+ClientID+Username) shares one queue whose
	// capacity is the smallest MaxConcurrent among the live instances, so
	// two data sources can never exceed what either of them allows.
	MaxConcurrent int
	// Limiter, when set, admits the requests instead of the in-process
	// account queue (e.g. a queue shared by the replicas of a cluster); it
	// must honour the lanes and bound the account's requests in flight.
	Limiter Limiter
	// Transport carries the requests; nil means a clone of http.DefaultTransport.
	Transport http.RoundTripper
	// Timeout bounds one upstream request, body included.
	Timeout time.Duration
	// MaxResponseBytes caps a response body after gunzip.
	MaxResponseBytes int64
	// MaxRetries bounds retries of 429, 5xx and network failures; -1 disables retries.
	MaxRetries                    int
	RetryBaseDelay, RetryMaxDelay time.Duration
	// MetadataTTL, PastDataTTL and RecentDataTTL are the cache lifetimes of
	// metadata, of data wholly older than an hour, and of data touching now
	// (and alerts). A negative TTL disables caching of that class.
	MetadataTTL, PastDataTTL, RecentDataTTL time.Duration
	// MetadataStale is how long past MetadataTTL an expired metadata entry
	// is still served while it is refreshed in the background (lane
	// LaneBackground), so expiry never puts a metadata request in front of
	// a query's data. A negative value disables serving stale metadata.
	MetadataStale time.Duration
	// CacheMaxBytes and CacheMaxEntries bound the per-instance response cache
	// (least recently used entries are evicted first).
	CacheMaxBytes   int64
	CacheMaxEntries int
	// DrainTimeout bounds how long a closed instance lets the work begun
	// before Close (API.Begin) finish before it stops for good.
	DrainTimeout time.Duration
	// InstanceKey, when not empty, names the data source (its UID): a new
	// API with the key of an earlier one warms, in the background, the
	// metadata the earlier one served (see warmUp).
	InstanceKey string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives diagnostics; nil discards them. Secrets are never logged.
	Logger Logger
	// Shared, when set, puts the account's request limiter, the response
	// cache and the single-flight of identical requests into state shared
	// by several processes (Grafana replicas); see SharedState. Nil keeps
	// everything in process.
	Shared SharedState
	// SharedScope names the data source (its UID) in shared cache keys, so
	// two data sources never read each other's cached responses.
	SharedScope string

	// ownTransport is set by normalize when the transport is the API's own
	// (its idle connections are closed with it).
	ownTransport bool
}

// Logger is the logging the client needs; grafana-plugin-sdk-go's log.Logger satisfies it.
type Logger interface {
	Debug(msg string, args ...any)
	Info(msg string, args ...any)
	Warn(msg string, args ...any)
	Error(msg string, args ...any)
}

type nopLogger struct{}

func (nopLogger) Debug(string, ...any) {}
func (nopLogger) Info(string, ...any)  {}
func (nopLogger) Warn(string, ...any)  {}
func (nopLogger) Error(string, ...any) {}

// Valid reports whether t is one of the grants the client speaks
// (AuthPassword, AuthClientCredentials). It is the one definition of the
// rule: the data source's Settings.Validate (pkg/plugin) uses it for the
// authType setting, and normalize for a programmatic Config.
func (t AuthType) Valid() bool {
	return t == AuthPassword || t == AuthClientCredentials
}

// CanonicalBaseURL is the one spelling of a Locus origin: lower-case
// scheme, no trailing slash and no /v3 suffix (the client adds /v3 itself),
// so https://api.locusenergy.com/v3/ and https://api.locusenergy.com are
// one origin. Shared by normalize and the data source's base URL setting.
func CanonicalBaseURL(u url.URL) string {
	u.Scheme = strings.ToLower(u.Scheme)
	u.Path = strings.TrimSuffix(strings.TrimRight(u.Path, "/"), "/v3")
	u.RawPath = ""
	return strings.TrimRight(u.String(), "/")
}

// normalize returns a copy of cfg with defaults applied.
//
// The fields a user sets (base URL, partner ID, auth type, credentials,
// MaxConcurrent) are validated once, with messages naming the setting, by
// the data source's Settings.Validate (pkg/plugin), which builds this
// Config. normalize trusts them and refuses only a Config the client
// cannot run with: a base URL it cannot build requests on, a nonpositive
// partner ID, an unknown grant or a negative MaxConcurrent. Missing
// credentials are not refused here: Locus answers them with an
// authentication error (KindAuth). The client's own knobs (durations,
// retries, sizes) are checked here only.
func (cfg Config) normalize() (Config, error) {
	c := cfg
	bad := func(format string, args ...any) (Config, error) {
		return Config{}, &Error{Kind: KindConfig, Message: "invalid Locus settings: " + fmt.Sprintf(format, args...)}
	}
	if strings.TrimSpace(c.BaseURL) == "" {
		c.BaseURL = DefaultBaseURL
	}
	u, err := url.Parse(strings.TrimSpace(c.BaseURL))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return bad("base URL must be an absolute URL such as %s", DefaultBaseURL)
	}
	c.BaseURL = CanonicalBaseURL(*u)
	if c.PartnerID <= 0 {
		return bad("partner ID must be a positive integer (got %d)", c.PartnerID)
	}
	if c.AuthType == "" {
		c.AuthType = AuthPassword
	}
	if !c.AuthType.Valid() {
		return bad("auth type %q is not one of %q, %q", c.AuthType, AuthPassword, AuthClientCredentials)
	}
	switch {
	case c.MaxConcurrent == 0:
		c.MaxConcurrent = DefaultMaxConcurrent
	case c.MaxConcurrent < 0:
		return bad("max concurrent requests must be positive (got %d)", c.MaxConcurrent)
	}
	if c.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = c.MaxConcurrent + 1 // keep a connection per slot warm
		c.Transport = t
		c.ownTransport = true
	}
	durations := []struct {
		name string
		v    *time.Duration
		def  time.Duration
		neg  bool // negative allowed (disables)
	}{
		{"timeout", &c.Timeout, DefaultTimeout, false},
		{"retry base delay", &c.RetryBaseDelay, DefaultRetryBaseDelay, false},
		{"retry max delay", &c.RetryMaxDelay, DefaultRetryMaxDelay, false},
		{"metadata cache lifetime", &c.MetadataTTL, DefaultMetadataTTL, true},
		{"stale metadata lifetime", &c.MetadataStale, DefaultMetadataStale, true},
		{"past data cache lifetime", &c.PastDataTTL, DefaultPastDataTTL, true},
		{"recent data cache lifetime", &c.RecentDataTTL, DefaultRecentDataTTL, true},
		{"drain timeout", &c.DrainTimeout, DefaultDrainTimeout, false},
	}
	for _, d := range durations {
		switch {
		case *d.v == 0:
			*d.v = d.def
		case *d.v < 0 && !d.neg:
			return bad("%s must be positive (got %s)", d.name, *d.v)
		}
	}
	if c.RetryMaxDelay < c.RetryBaseDelay {
		c.RetryMaxDelay = c.RetryBaseDelay
	}
	switch {
	case c.MaxResponseBytes == 0:
		c.MaxResponseBytes = DefaultMaxResponseBytes
	case c.MaxResponseBytes < 0:
		return bad("max response bytes must be positive (got %d)", c.MaxResponseBytes)
	}
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = DefaultMaxRetries
	case c.MaxRetries == -1:
		c.MaxRetries = 0
	case c.MaxRetries < -1 || c.MaxRetries > 20:
		return bad("max retries must be between 0 and 20, or -1 for none (got %d)", c.MaxRetries)
	}
	if c.CacheMaxBytes <= 0 {
		c.CacheMaxBytes = DefaultCacheMaxBytes
	}
	if c.CacheMaxEntries <= 0 {
		c.CacheMaxEntries = DefaultCacheMaxEntries
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = nopLogger{}
	}
	return c, nil
}

// accountKey identifies the Locus account whose request limit is shared.
// The base URL counts by scheme, case-insensitive host, port (the default
// port spelt out or not) and path, so every spelling of one origin shares
// one queue.
func (cfg Config) accountKey() string {
	base := cfg.BaseURL
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Host != "" {
		base = strings.ToLower(u.Scheme) + "://" + originHostPort(u) + strings.TrimSuffix(u.Path, "/")
	}
	return base + "\x00" + cfg.ClientID + "\x00" + strings.ToLower(strings.TrimSpace(cfg.Username))
}
