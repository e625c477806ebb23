package plugin

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

// DefaultBaseURL is the production Locus Energy API origin.
const DefaultBaseURL = locus.DefaultBaseURL

// Authentication flows accepted in jsonData.authType.
const (
	// AuthPassword is the OAuth password grant (client ID/secret + username/password); the default.
	AuthPassword = string(locus.AuthPassword)
	// AuthClientCredentials is the OAuth client-credentials grant (client ID/secret only).
	AuthClientCredentials = string(locus.AuthClientCredentials)
)

// Bounds of the numeric settings.
const (
	// MaxConcurrentLimit is the highest accepted maxConcurrentRequests (the
	// client's own bound; src/components/configValidation.ts repeats it and
	// settings_drift_test.go keeps the two equal).
	MaxConcurrentLimit = locus.MaxConcurrentLimit
	// MaxCacheSeconds is the longest accepted cache lifetime (30 days).
	MaxCacheSeconds = 30 * 24 * 3600
	// MinSharedLeaseSeconds and MaxSharedLeaseSeconds bound sharedStateLeaseSeconds.
	MinSharedLeaseSeconds = 2
	MaxSharedLeaseSeconds = 300
	// DefaultSharedLease is the default sharedStateLeaseSeconds.
	DefaultSharedLease = 15 * time.Second
	// MaxEntitiesLimit is the highest accepted maxEntitiesPerQuery.
	MaxEntitiesLimit = 100000
	// DefaultFieldUnionEntities is the default maxFieldUnionEntities.
	DefaultFieldUnionEntities = 20
	// MaxFieldUnionLimit is the highest accepted maxFieldUnionEntities.
	MaxFieldUnionLimit = 1000
)

// Default cache lifetimes, applied when a lifetime is absent or 0.
const (
	DefaultMetadataTTL   = locus.DefaultMetadataTTL
	DefaultPastDataTTL   = locus.DefaultPastDataTTL
	DefaultRecentDataTTL = locus.DefaultRecentDataTTL
)

// Settings is the decoded configuration of one data source instance.
// Password and ClientSecret come from secureJsonData and are never logged,
// returned or included in an error.
type Settings struct {
	BaseURL       string
	PartnerID     int64
	AuthType      string
	Username      string
	ClientID      string
	MaxConcurrent int
	// MaxEntities is maxEntitiesPerQuery: the most sites or components one
	// time series or latest query fetches (default query.DefaultMaxEntities).
	MaxEntities int
	// MaxFieldUnion is maxFieldUnionEntities: the most sites or components
	// whose fields one /dataavailable call with an id list reads (one request
	// each; default DefaultFieldUnionEntities).
	MaxFieldUnion int
	MetadataTTL   time.Duration
	PastDataTTL   time.Duration
	RecentDataTTL time.Duration
	DemoMode      bool
	// SharedStateURL (redis:// or rediss://) shares the account's request
	// limiter, the response cache and single-flight with other Grafana
	// replicas through Redis; empty keeps them in this process.
	SharedStateURL string
	// SharedStateLease is how long a killed replica can hold a request slot.
	SharedStateLease time.Duration

	Password     string
	ClientSecret string
	// SharedStatePassword is the Redis password (secureJsonData).
	SharedStatePassword string

	// Warnings are accepted-but-suspicious choices (plain HTTP to a loopback
	// host, trimmed whitespace) that the health check reports.
	Warnings []string
}

// SettingsError names the jsonData/secureJsonData key that is wrong and what is valid.
type SettingsError struct {
	Field   string
	Message string
}

// Error implements error.
func (e *SettingsError) Error() string {
	return e.Field + " " + e.Message
}

func settingErr(field, format string, args ...any) *SettingsError {
	return &SettingsError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// LoadSettings reads jsonData and decryptedSecureJsonData apart into Settings
// and validates them. It returns the settings decoded so far together with
// the first error (a *SettingsError), so callers can still report on them.
func LoadSettings(s backend.DataSourceInstanceSettings) (Settings, error) {
	st := Settings{
		BaseURL:       DefaultBaseURL,
		AuthType:      AuthPassword,
		MaxConcurrent: locus.DefaultMaxConcurrent,
		MaxEntities:   query.DefaultMaxEntities,
		MaxFieldUnion: DefaultFieldUnionEntities,
		MetadataTTL:   DefaultMetadataTTL,
		PastDataTTL:   DefaultPastDataTTL,
		RecentDataTTL: DefaultRecentDataTTL,

		SharedStateLease: DefaultSharedLease,
	}
	st.decodeSecrets(s.DecryptedSecureJSONData)
	if err := st.decodeJSONData(s.JSONData); err != nil {
		return st, err
	}
	if err := st.Validate(); err != nil {
		return st, err
	}
	return st, nil
}

func (st *Settings) decodeJSONData(raw []byte) error {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return settingErr("jsonData", "is not a JSON object (%s)", jsonProblem(err))
	}
	var err error
	if v, ok := present(m, "baseUrl"); ok {
		if st.BaseURL, err = jsonString("baseUrl", v); err != nil {
			return err
		}
		if strings.TrimSpace(st.BaseURL) == "" {
			st.BaseURL = DefaultBaseURL
		}
	}
	if v, ok := present(m, "partnerId"); ok {
		if st.PartnerID, err = jsonInt("partnerId", v, "a positive integer such as 4242"); err != nil {
			return err
		}
	}
	if v, ok := present(m, "authType"); ok {
		if st.AuthType, err = jsonString("authType", v); err != nil {
			return err
		}
		if st.AuthType == "" {
			st.AuthType = AuthPassword
		}
	}
	if v, ok := present(m, "username"); ok {
		if st.Username, err = jsonString("username", v); err != nil {
			return err
		}
	}
	if v, ok := present(m, "clientId"); ok {
		if st.ClientID, err = jsonString("clientId", v); err != nil {
			return err
		}
	}
	if v, ok := present(m, "maxConcurrentRequests"); ok {
		n, err := jsonInt("maxConcurrentRequests", v, fmt.Sprintf("an integer from 1 to %d", MaxConcurrentLimit))
		if err != nil {
			return err
		}
		st.MaxConcurrent = int(max(min(n, math.MaxInt32), math.MinInt32))
	}
	if v, ok := present(m, "sharedStateUrl"); ok {
		if st.SharedStateURL, err = jsonString("sharedStateUrl", v); err != nil {
			return err
		}
		st.SharedStateURL = strings.TrimSpace(st.SharedStateURL)
	}
	if v, ok := present(m, "sharedStateLeaseSeconds"); ok {
		n, err := jsonInt("sharedStateLeaseSeconds", v, fmt.Sprintf("a whole number of seconds from %d to %d", MinSharedLeaseSeconds, MaxSharedLeaseSeconds))
		if err != nil {
			return err
		}
		if n != 0 && (n < MinSharedLeaseSeconds || n > MaxSharedLeaseSeconds) {
			return settingErr("sharedStateLeaseSeconds", "%d seconds is out of range: use %d to %d seconds (0 = default, 15)", n, MinSharedLeaseSeconds, MaxSharedLeaseSeconds)
		}
		if n != 0 {
			st.SharedStateLease = time.Duration(n) * time.Second
		}
	}
	if v, ok := present(m, "maxEntitiesPerQuery"); ok {
		n, err := jsonInt("maxEntitiesPerQuery", v, fmt.Sprintf("an integer from 1 to %d", MaxEntitiesLimit))
		if err != nil {
			return err
		}
		if n == 0 {
			n = query.DefaultMaxEntities
		}
		st.MaxEntities = int(max(min(n, math.MaxInt32), math.MinInt32))
	}
	if v, ok := present(m, "maxFieldUnionEntities"); ok {
		n, err := jsonInt("maxFieldUnionEntities", v, fmt.Sprintf("an integer from 1 to %d", MaxFieldUnionLimit))
		if err != nil {
			return err
		}
		if n == 0 {
			n = DefaultFieldUnionEntities
		}
		st.MaxFieldUnion = int(max(min(n, math.MaxInt32), math.MinInt32))
	}
	if v, ok := present(m, "demoMode"); ok {
		if st.DemoMode, err = jsonBool("demoMode", v); err != nil {
			return err
		}
	}
	ttls := []struct {
		key string
		dst *time.Duration
	}{
		{"metadataCacheSeconds", &st.MetadataTTL},
		{"pastDataCacheSeconds", &st.PastDataTTL},
		{"recentDataCacheSeconds", &st.RecentDataTTL},
	}
	for _, t := range ttls {
		v, ok := present(m, t.key)
		if !ok {
			continue
		}
		n, err := jsonInt(t.key, v, fmt.Sprintf("a whole number of seconds from 0 to %d (0 = default)", MaxCacheSeconds))
		if err != nil {
			return err
		}
		if n < 0 || n > MaxCacheSeconds {
			return settingErr(t.key, "%d seconds is out of range: use 0 (default) to %d seconds (30 days)", n, MaxCacheSeconds)
		}
		if n > 0 {
			*t.dst = time.Duration(n) * time.Second
		}
	}
	return nil
}

// decodeSecrets trims surrounding whitespace from the secrets (a pasted
// secret often carries a trailing newline) and records a warning naming the
// key, never the value.
func (st *Settings) decodeSecrets(sec map[string]string) {
	trim := func(key string) string {
		v := sec[key]
		t := strings.TrimSpace(v)
		if t != v && t != "" {
			st.Warnings = append(st.Warnings, fmt.Sprintf("secureJsonData.%s had leading or trailing whitespace, which was removed", key))
		}
		return t
	}
	st.Password = trim("password")
	st.ClientSecret = trim("clientSecret")
	st.SharedStatePassword = trim("sharedStatePassword")
}

// Validate checks every setting and returns the first problem as a
// *SettingsError. It normalises BaseURL and trims identifiers, adding
// warnings for accepted oddities.
func (st *Settings) Validate() error {
	if st.MaxConcurrent < 1 || st.MaxConcurrent > MaxConcurrentLimit {
		return settingErr("maxConcurrentRequests", "%d is out of range: use 1 to %d (Locus allows 1 request in flight per account unless they raised your limit)", st.MaxConcurrent, MaxConcurrentLimit)
	}
	if st.MaxEntities < 1 || st.MaxEntities > MaxEntitiesLimit {
		return settingErr("maxEntitiesPerQuery", "%d is out of range: use 1 to %d (0 = default %d)", st.MaxEntities, MaxEntitiesLimit, query.DefaultMaxEntities)
	}
	if st.MaxFieldUnion < 1 || st.MaxFieldUnion > MaxFieldUnionLimit {
		return settingErr("maxFieldUnionEntities", "%d is out of range: use 1 to %d (0 = default %d)", st.MaxFieldUnion, MaxFieldUnionLimit, DefaultFieldUnionEntities)
	}
	for _, ttl := range []struct {
		key string
		d   time.Duration
	}{{"metadataCacheSeconds", st.MetadataTTL}, {"pastDataCacheSeconds", st.PastDataTTL}, {"recentDataCacheSeconds", st.RecentDataTTL}} {
		if ttl.d < 0 || ttl.d > MaxCacheSeconds*time.Second {
			return settingErr(ttl.key, "%s is out of range: use 0 (default) to %d seconds", ttl.d, MaxCacheSeconds)
		}
	}
	if err := validateSharedStateURL(st.SharedStateURL); err != nil {
		return err
	}
	if st.DemoMode {
		// Demo mode serves the embedded simulator; credentials are ignored.
		return nil
	}
	base, warn, err := normaliseBaseURL(st.BaseURL)
	if err != nil {
		return err
	}
	st.BaseURL = base
	if warn != "" {
		st.Warnings = append(st.Warnings, warn)
	}
	if st.PartnerID <= 0 {
		if st.PartnerID == 0 {
			return settingErr("partnerId", "is required: enter your Locus partner ID (a positive integer such as 4242)")
		}
		return settingErr("partnerId", "%d is not valid: use a positive integer such as 4242", st.PartnerID)
	}
	if !locus.AuthType(st.AuthType).Valid() {
		return settingErr("authType", "%q is not supported: use %q (default) or %q", st.AuthType, AuthPassword, AuthClientCredentials)
	}
	st.ClientID = strings.TrimSpace(st.ClientID)
	st.Username = strings.TrimSpace(st.Username)
	if st.ClientID == "" {
		return settingErr("clientId", "is required: enter the API client ID Locus issued to you")
	}
	if st.ClientSecret == "" {
		return settingErr("clientSecret", "is required: enter the API client secret Locus issued to you")
	}
	if st.AuthType == AuthPassword {
		if st.Username == "" {
			return settingErr("username", "is required for authType %q: enter your SolarNOC username (or switch to %q)", AuthPassword, AuthClientCredentials)
		}
		if st.Password == "" {
			return settingErr("password", "is required for authType %q: enter your SolarNOC password (or switch to %q)", AuthPassword, AuthClientCredentials)
		}
	}
	return nil
}

// validateSharedStateURL accepts an empty URL (no shared state) or a Redis
// URL without a password (the password belongs in secureJsonData).
func validateSharedStateURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
		return settingErr("sharedStateUrl", "%q is not a Redis URL: use redis://host:6379/0, or rediss://host:6380/0 for TLS (leave it empty without several Grafana replicas)", redactURL(raw))
	}
	if _, hasPassword := u.User.Password(); hasPassword {
		return settingErr("sharedStateUrl", "must not contain a password: put it in Shared state password (secureJsonData.sharedStatePassword) so it stays encrypted")
	}
	return nil
}

// redactURL drops a URL's user info before it is quoted in an error.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	if i := strings.LastIndex(raw, "@"); i >= 0 {
		return "…" + raw[i:]
	}
	return raw
}
