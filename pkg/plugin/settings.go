package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// DefaultBaseURL is the production Locus Energy API origin.
const DefaultBaseURL = "https://api.locusenergy.com"

// Authentication flows accepted in jsonData.authType.
const (
	// AuthPassword is the OAuth password grant (client ID/secret + username/password); the default.
	AuthPassword = "password"
	// AuthClientCredentials is the OAuth client-credentials grant (client ID/secret only).
	AuthClientCredentials = "client_credentials"
)

// Bounds of the numeric settings.
const (
	// MaxConcurrentLimit is the highest accepted maxConcurrentRequests.
	MaxConcurrentLimit = 10
	// MaxCacheSeconds is the longest accepted cache lifetime (30 days).
	MaxCacheSeconds = 30 * 24 * 3600
)

// Default cache lifetimes, applied when a lifetime is absent or 0.
const (
	DefaultMetadataTTL   = 10 * time.Minute
	DefaultPastDataTTL   = 24 * time.Hour
	DefaultRecentDataTTL = time.Minute
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
	MetadataTTL   time.Duration
	PastDataTTL   time.Duration
	RecentDataTTL time.Duration
	DemoMode      bool

	Password     string
	ClientSecret string

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
		MaxConcurrent: 1,
		MetadataTTL:   DefaultMetadataTTL,
		PastDataTTL:   DefaultPastDataTTL,
		RecentDataTTL: DefaultRecentDataTTL,
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
}

// Validate checks every setting and returns the first problem as a
// *SettingsError. It normalises BaseURL and trims identifiers, adding
// warnings for accepted oddities.
func (st *Settings) Validate() error {
	if st.MaxConcurrent < 1 || st.MaxConcurrent > MaxConcurrentLimit {
		return settingErr("maxConcurrentRequests", "%d is out of range: use 1 to %d (Locus allows 1 request in flight per account unless they raised your limit)", st.MaxConcurrent, MaxConcurrentLimit)
	}
	for _, ttl := range []struct {
		key string
		d   time.Duration
	}{{"metadataCacheSeconds", st.MetadataTTL}, {"pastDataCacheSeconds", st.PastDataTTL}, {"recentDataCacheSeconds", st.RecentDataTTL}} {
		if ttl.d < 0 || ttl.d > MaxCacheSeconds*time.Second {
			return settingErr(ttl.key, "%s is out of range: use 0 (default) to %d seconds", ttl.d, MaxCacheSeconds)
		}
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
	switch st.AuthType {
	case AuthPassword, AuthClientCredentials:
	default:
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

// normaliseBaseURL accepts an absolute https URL, or http for a loopback
// host (a local simulator or proxy) with a warning. A trailing slash or a
// trailing "/v3" (the API prefix the client adds itself) is removed.
func normaliseBaseURL(raw string) (string, string, error) {
	const valid = "use an absolute https URL such as " + DefaultBaseURL
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil || s == "" {
		return "", "", settingErr("baseUrl", "%q is not a URL: %s", s, valid)
	}
	if u.Scheme == "" || u.Host == "" {
		return "", "", settingErr("baseUrl", "%q is not an absolute URL: %s", s, valid)
	}
	if u.User != nil {
		return "", "", settingErr("baseUrl", "must not contain user credentials: put them in the credential settings and %s", valid)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", "", settingErr("baseUrl", "%q must not have a query or fragment: %s", s, valid)
	}
	warn := ""
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", "", settingErr("baseUrl", "plain http is only allowed for a loopback host (localhost, 127.0.0.1, ::1); %s", valid)
		}
		warn = "baseUrl uses plain http to a loopback host: fine for a local simulator or proxy, never for production"
	default:
		return "", "", settingErr("baseUrl", "scheme %q is not supported: %s", u.Scheme, valid)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Path = strings.TrimRight(u.Path, "/")
	u.Path = strings.TrimSuffix(u.Path, "/v3")
	u.RawPath = ""
	return strings.TrimRight(u.String(), "/"), warn, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// present returns the raw value of key unless it is absent, JSON null or an
// empty string (what a cleared form field leaves behind): all mean "default".
func present(m map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	v, ok := m[key]
	if !ok {
		return nil, false
	}
	switch strings.TrimSpace(string(v)) {
	case "null", `""`:
		return nil, false
	}
	return v, true
}

func jsonString(key string, v json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", settingErr(key, "must be a string, got %s", jsonKind(v))
	}
	return s, nil
}

func jsonBool(key string, v json.RawMessage) (bool, error) {
	var b bool
	if err := json.Unmarshal(v, &b); err == nil {
		return b, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		if b, err := strconv.ParseBool(strings.TrimSpace(s)); err == nil {
			return b, nil
		}
	}
	return false, settingErr(key, "must be true or false, got %s", jsonKind(v))
}

// jsonInt accepts a JSON number or a numeric string holding a whole number.
func jsonInt(key string, v json.RawMessage, valid string) (int64, error) {
	text := strings.TrimSpace(string(v))
	if strings.HasPrefix(text, `"`) {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return 0, settingErr(key, "must be %s", valid)
		}
		text = strings.TrimSpace(s)
		if text == "" {
			return 0, nil
		}
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, settingErr(key, "%s is not a number: use %s", shorten(text), valid)
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, settingErr(key, "%s is not a whole number: use %s", shorten(text), valid)
	}
	return int64(f), nil
}

func jsonKind(v json.RawMessage) string {
	t := strings.TrimSpace(string(v))
	switch {
	case t == "":
		return "nothing"
	case t[0] == '"':
		return "a string"
	case t[0] == '{':
		return "an object"
	case t[0] == '[':
		return "an array"
	case t == "true" || t == "false":
		return "a boolean"
	default:
		return "a number"
	}
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "expected an object, got " + te.Value
	}
	return "malformed JSON"
}

func shorten(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}
