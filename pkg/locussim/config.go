package locussim

import (
	"fmt"
	"time"
)

// Defaults of Config.
const (
	DefaultSites        = 12
	DefaultPartnerID    = 4242
	DefaultClientID     = "demo-client"
	DefaultClientSecret = "demo-secret"
	DefaultUsername     = "demo"
	DefaultPassword     = "demo"
	DefaultTokenTTL     = time.Hour
	DefaultConcurrency  = 1
	// OtherPartnerID is the second partner that always exists, so that a
	// request for its entities is a real 403. If Config.PartnerID equals it,
	// the other partner gets AltOtherPartnerID instead.
	OtherPartnerID    = 9999
	AltOtherPartnerID = 9998
	// OtherSites is the fleet size of the other partner.
	OtherSites = 3
	// OtherUsername and OtherPassword log in to the other partner's account
	// (same client_id and client_secret as the main account).
	OtherUsername = "other"
	OtherPassword = "other"
	// MaxSites bounds Config.Sites.
	MaxSites = 100000
)

// Config configures a simulator. The zero value of every field means its
// default (see DefaultConfig).
type Config struct {
	// Seed makes the fleet and its data deterministic.
	Seed int64
	// Sites is the fleet size of the main partner (default 12).
	Sites int
	// PartnerID is the main account's partner (default 4242).
	PartnerID int64
	// ClientID and ClientSecret are the API credentials of both accounts.
	ClientID, ClientSecret string
	// Username and Password log in to the main account.
	Username, Password string
	// TokenTTL is the access token lifetime (default 1h).
	TokenTTL time.Duration
	// Concurrency is the number of /v3 requests allowed in flight per
	// account; 0 means the API's default of 1, negative means unlimited.
	Concurrency int
	// Latency is the least time every request takes (holding its in-flight
	// slot): the response is built and compressed while it runs, as a real
	// server's response time includes its own work. LatencyJitter adds a
	// further uniform random share of up to itself.
	Latency, LatencyJitter time.Duration
	// Now is the clock (default time.Now). No data or alert lies after Now.
	Now func() time.Time
	// Faults are the initial fault knobs (see SetFaults).
	Faults Faults
}

// Faults are injected failures, applied to /v3 requests only. Each Rate is a
// probability in [0, 1], drawn from a generator seeded by Config.Seed, so a
// given sequence of requests meets the same faults.
type Faults struct {
	// Rate429 answers 429 Too many requests regardless of concurrency.
	Rate429 float64
	// Rate5xx answers 500, 502, 503 or 504 with a JSON error body.
	Rate5xx float64
	// RateTruncate cuts a successful body in the middle of its JSON.
	RateTruncate float64
	// RateMalformed makes a successful body invalid JSON.
	RateMalformed float64
	// RateMissingKey answers 200 with a JSON object lacking the expected
	// envelope key (data, sites, components, ...).
	RateMissingKey float64
	// RateReset drops the connection without a response (over the
	// RoundTripper: returns an error wrapping syscall.ECONNRESET).
	RateReset float64
	// StallMidBody, when positive, writes half of every successful body,
	// flushes, waits this long (or until the request is cancelled), then
	// writes the rest.
	StallMidBody time.Duration
	// OversizeBytes, when positive, pads every successful JSON body to at
	// least this many bytes (the padding is a valid "_padding" string member).
	OversizeBytes int
	// TSOffset is how data responses (site, component and bulk data) write
	// each row's ts: TSOffsetZone ("" or "zone", the API's documented form,
	// 2014-04-01T12:00:00-07:00), TSOffsetNone ("none": the wall-clock time
	// in tz without offset, 2014-04-01T12:00:00) or TSOffsetUTC ("utc": the
	// same instant in UTC with +00:00, an offset that disagrees with any
	// other tz). It applies to every data response, not a random share.
	TSOffset string
}

// Values of Faults.TSOffset.
const (
	TSOffsetZone = "zone"
	TSOffsetNone = "none"
	TSOffsetUTC  = "utc"
)

// DefaultConfig returns the configuration the demo mode and `locus-sim` use.
func DefaultConfig() Config {
	return Config{
		Seed:         1,
		Sites:        DefaultSites,
		PartnerID:    DefaultPartnerID,
		ClientID:     DefaultClientID,
		ClientSecret: DefaultClientSecret,
		Username:     DefaultUsername,
		Password:     DefaultPassword,
		TokenTTL:     DefaultTokenTTL,
		Concurrency:  DefaultConcurrency,
		Now:          time.Now,
	}
}

// Validate reports the first invalid setting, naming it and its valid range.
func (c Config) Validate() error {
	switch {
	case c.Sites < 0 || c.Sites > MaxSites:
		return fmt.Errorf("sites must be between 1 and %d (0 means %d), got %d", MaxSites, DefaultSites, c.Sites)
	case c.PartnerID < 0:
		return fmt.Errorf("partner must be a positive integer, got %d", c.PartnerID)
	case c.TokenTTL < 0:
		return fmt.Errorf("token TTL must be a positive duration, got %s", c.TokenTTL)
	case c.Latency < 0 || c.LatencyJitter < 0:
		return fmt.Errorf("latency and latency jitter must not be negative, got %s and %s", c.Latency, c.LatencyJitter)
	}
	return c.Faults.Validate()
}

// Validate reports the first fault knob outside its valid range.
func (f Faults) Validate() error {
	rates := []struct {
		name string
		v    float64
	}{
		{"rate429", f.Rate429}, {"rate5xx", f.Rate5xx}, {"rateTruncate", f.RateTruncate},
		{"rateMalformed", f.RateMalformed}, {"rateMissingKey", f.RateMissingKey}, {"rateReset", f.RateReset},
	}
	for _, r := range rates {
		if !(r.v >= 0 && r.v <= 1) {
			return fmt.Errorf("fault %s must be a probability between 0 and 1, got %v", r.name, r.v)
		}
	}
	if f.StallMidBody < 0 {
		return fmt.Errorf("fault stallMidBody must not be negative, got %s", f.StallMidBody)
	}
	if f.OversizeBytes < 0 {
		return fmt.Errorf("fault oversizeBytes must not be negative, got %d", f.OversizeBytes)
	}
	switch f.TSOffset {
	case "", TSOffsetZone, TSOffsetNone, TSOffsetUTC:
	default:
		return fmt.Errorf("fault tsOffset must be one of %s, %s, %s (or empty for %s), got %q", TSOffsetZone, TSOffsetNone, TSOffsetUTC, TSOffsetZone, f.TSOffset)
	}
	return nil
}

// withDefaults fills zero values with defaults and clamps what Validate
// would reject, so New never fails.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Sites <= 0 {
		c.Sites = d.Sites
	}
	if c.Sites > MaxSites {
		c.Sites = MaxSites
	}
	if c.PartnerID <= 0 {
		c.PartnerID = d.PartnerID
	}
	if c.ClientID == "" {
		c.ClientID = d.ClientID
	}
	if c.ClientSecret == "" {
		c.ClientSecret = d.ClientSecret
	}
	if c.Username == "" {
		c.Username = d.Username
	}
	if c.Password == "" {
		c.Password = d.Password
	}
	if c.TokenTTL <= 0 {
		c.TokenTTL = d.TokenTTL
	}
	if c.Concurrency == 0 {
		c.Concurrency = d.Concurrency
	}
	if c.Latency < 0 {
		c.Latency = 0
	}
	if c.LatencyJitter < 0 {
		c.LatencyJitter = 0
	}
	if c.Now == nil {
		c.Now = d.Now
	}
	return c
}

// otherPartnerID is the partner of the second account.
func (c Config) otherPartnerID() int64 {
	if c.PartnerID == OtherPartnerID {
		return AltOtherPartnerID
	}
	return OtherPartnerID
}
