package locus

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidation(t *testing.T) {
	base := Config{PartnerID: 1, ClientID: "id", ClientSecret: "topsecret-xyz", Username: "u", Password: "pw-abc-123"}
	cases := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		// The user's fields are validated, with messages naming the
		// setting, by pkg/plugin's Settings.Validate (TestLoadSettingsErrors);
		// New refuses only what the client cannot run with.
		{"relative", func(c *Config) { c.BaseURL = "api.locusenergy.com" }, "base URL must be an absolute URL such as https://api.locusenergy.com"},
		{"partner", func(c *Config) { c.PartnerID = 0 }, "partner ID must be a positive integer (got 0)"},
		{"auth type", func(c *Config) { c.AuthType = "oauth" }, `auth type "oauth" is not one of "password", "client_credentials"`},
		{"concurrency", func(c *Config) { c.MaxConcurrent = -1 }, "max concurrent requests must be positive (got -1)"},
		{"timeout", func(c *Config) { c.Timeout = -time.Second }, "timeout must be positive"},
		{"size", func(c *Config) { c.MaxResponseBytes = -1 }, "max response bytes must be positive"},
		{"retries", func(c *Config) { c.MaxRetries = 21 }, "max retries must be between 0 and 20"},
	}
	for _, c := range cases {
		cfg := base
		c.mod(&cfg)
		a, err := New(cfg)
		if err == nil {
			a.Close()
		}
		if !IsKind(err, KindConfig) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "invalid Locus settings: ") {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "topsecret-xyz") || strings.Contains(err.Error(), "pw-abc-123")) {
			t.Errorf("%s: error mentions the secret: %v", c.name, err)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	a, err := New(Config{BaseURL: "https://api.locusenergy.com/v3/", PartnerID: 7, AuthType: AuthClientCredentials, ClientID: "id", ClientSecret: "cs"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	c := a.cfg
	if c.BaseURL != "https://api.locusenergy.com" || a.PartnerID() != 7 || a.BaseURL() != c.BaseURL {
		t.Errorf("base URL %q, partner %d", c.BaseURL, a.PartnerID())
	}
	if c.MaxConcurrent != 1 || c.Timeout != 60*time.Second || c.MaxResponseBytes != 64<<20 || c.MaxRetries != 4 ||
		c.RetryBaseDelay != 500*time.Millisecond || c.RetryMaxDelay != 10*time.Second ||
		c.MetadataTTL != 10*time.Minute || c.PastDataTTL != 24*time.Hour || c.RecentDataTTL != time.Minute ||
		c.Transport == nil || c.Now == nil || c.Logger == nil {
		t.Errorf("defaults not applied: %+v", c)
	}
	b, err := New(Config{PartnerID: 7, ClientID: "id", ClientSecret: "cs", Username: "u", Password: "p", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.cfg.BaseURL != DefaultBaseURL || b.cfg.AuthType != AuthPassword || b.cfg.MaxRetries != 0 {
		t.Errorf("empty base URL, auth type or MaxRetries -1 mishandled: %+v", b.cfg)
	}
}

func TestQueryEscaping(t *testing.T) {
	cases := map[string]string{
		"OB.%":                    "OB.%25",
		"US/Pacific":              "US/Pacific",
		"2014-01-01T00:00:00":     "2014-01-01T00:00:00",
		"W_avg,Wh_sum":            "W_avg,Wh_sum",
		"System Disconnect":       "System%20Disconnect",
		"a&b=c+d#e?":              "a%26b%3Dc%2Bd%23e%3F",
		"Zürich":                  "Z%C3%BCrich",
		"America/Argentina/Salta": "America/Argentina/Salta",
	}
	for in, want := range cases {
		if got := escapeQueryValue(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}
