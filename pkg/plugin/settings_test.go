package plugin

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func instanceSettings(jsonData string, secrets map[string]string) backend.DataSourceInstanceSettings {
	return backend.DataSourceInstanceSettings{UID: "locus", JSONData: []byte(jsonData), DecryptedSecureJSONData: secrets}
}

var fullSecrets = map[string]string{"password": "pw-s3cret", "clientSecret": "cs-s3cret"}

const fullJSON = `{"partnerId":4242,"username":"ann","clientId":"cid"}`

func TestLoadSettingsDefaults(t *testing.T) {
	st, err := LoadSettings(instanceSettings(fullJSON, fullSecrets))
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	want := Settings{
		BaseURL: DefaultBaseURL, PartnerID: 4242, AuthType: AuthPassword, Username: "ann", ClientID: "cid",
		MaxConcurrent: 1, MetadataTTL: 10 * time.Minute, PastDataTTL: 24 * time.Hour, RecentDataTTL: time.Minute,
		Password: "pw-s3cret", ClientSecret: "cs-s3cret",
	}
	if st.BaseURL != want.BaseURL || st.PartnerID != want.PartnerID || st.AuthType != want.AuthType ||
		st.Username != want.Username || st.ClientID != want.ClientID || st.MaxConcurrent != want.MaxConcurrent ||
		st.MetadataTTL != want.MetadataTTL || st.PastDataTTL != want.PastDataTTL || st.RecentDataTTL != want.RecentDataTTL ||
		st.Password != want.Password || st.ClientSecret != want.ClientSecret || st.DemoMode || len(st.Warnings) != 0 ||
		st.MaxFieldUnion != 20 {
		t.Fatalf("got %+v\nwant %+v", st, want)
	}
}

func TestLoadSettingsAllKeys(t *testing.T) {
	js := `{"baseUrl":"https://locus.example.com/proxy/v3/","partnerId":"77","authType":"client_credentials",
		"clientId":" cid ","maxConcurrentRequests":3,"metadataCacheSeconds":60,"pastDataCacheSeconds":"3600",
		"recentDataCacheSeconds":0,"demoMode":false,"someFutureKey":{"x":1}}`
	st, err := LoadSettings(instanceSettings(js, map[string]string{"clientSecret": "cs"}))
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if st.BaseURL != "https://locus.example.com/proxy" {
		t.Errorf("BaseURL = %q, want the trailing /v3/ removed", st.BaseURL)
	}
	if st.PartnerID != 77 || st.AuthType != AuthClientCredentials || st.ClientID != "cid" || st.MaxConcurrent != 3 {
		t.Errorf("got %+v", st)
	}
	if st.MetadataTTL != time.Minute || st.PastDataTTL != time.Hour || st.RecentDataTTL != DefaultRecentDataTTL {
		t.Errorf("TTLs = %v %v %v", st.MetadataTTL, st.PastDataTTL, st.RecentDataTTL)
	}
}

func TestLoadSettingsWarnings(t *testing.T) {
	cases := []struct {
		name, json string
		secrets    map[string]string
		warning    string
		check      func(Settings) bool
	}{
		{"http loopback ip", `{"baseUrl":"http://127.0.0.1:8080","partnerId":1,"username":"u","clientId":"c"}`, fullSecrets,
			"plain http to a loopback host", func(s Settings) bool { return s.BaseURL == "http://127.0.0.1:8080" }},
		{"http localhost", `{"baseUrl":"HTTP://localhost:9/","partnerId":1,"username":"u","clientId":"c"}`, fullSecrets,
			"plain http", func(s Settings) bool { return s.BaseURL == "http://localhost:9" }},
		{"http ipv6 loopback", `{"baseUrl":"http://[::1]:9","partnerId":1,"username":"u","clientId":"c"}`, fullSecrets,
			"plain http", func(s Settings) bool { return s.BaseURL == "http://[::1]:9" }},
		{"whitespace in password", fullJSON, map[string]string{"password": " pw\n", "clientSecret": "cs"},
			"secureJsonData.password had leading or trailing whitespace", func(s Settings) bool { return s.Password == "pw" }},
		{"whitespace in client secret", fullJSON, map[string]string{"password": "pw", "clientSecret": "\tcs "},
			"secureJsonData.clientSecret had", func(s Settings) bool { return s.ClientSecret == "cs" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := LoadSettings(instanceSettings(tc.json, tc.secrets))
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !tc.check(st) {
				t.Errorf("unexpected settings %+v", st)
			}
			joined := strings.Join(st.Warnings, "\n")
			if !strings.Contains(joined, tc.warning) {
				t.Errorf("warnings %q lack %q", joined, tc.warning)
			}
			for _, secret := range tc.secrets {
				if s := strings.TrimSpace(secret); s != "" && strings.Contains(joined, s) {
					t.Errorf("warning leaks a secret: %q", joined)
				}
			}
		})
	}
}

func TestLoadSettingsErrors(t *testing.T) {
	noPassword := map[string]string{"clientSecret": "cs"}
	cases := []struct {
		name, json string
		secrets    map[string]string
		field      string
		message    string
	}{
		{"empty", ``, nil, "partnerId", "is required"},
		{"empty object", `{}`, nil, "partnerId", "is required"},
		{"not an object", `[1,2]`, fullSecrets, "jsonData", "not a JSON object"},
		{"broken json", `{"partnerId":`, fullSecrets, "jsonData", "syntax error"},
		{"partner not a number", `{"partnerId":"abc","username":"u","clientId":"c"}`, fullSecrets, "partnerId", "not a number"},
		{"partner fractional", `{"partnerId":12.5,"username":"u","clientId":"c"}`, fullSecrets, "partnerId", "not a whole number"},
		{"partner negative", `{"partnerId":-3,"username":"u","clientId":"c"}`, fullSecrets, "partnerId", "positive integer"},
		{"partner bool", `{"partnerId":true,"username":"u","clientId":"c"}`, fullSecrets, "partnerId", "not a number"},
		{"partial: no client id", `{"partnerId":1,"username":"u"}`, fullSecrets, "clientId", "is required"},
		{"partial: no client secret", `{"partnerId":1,"username":"u","clientId":"c"}`, map[string]string{"password": "pw"}, "clientSecret", "is required"},
		{"partial: no username", `{"partnerId":1,"clientId":"c"}`, fullSecrets, "username", "client_credentials"},
		{"partial: no password", `{"partnerId":1,"username":"u","clientId":"c"}`, noPassword, "password", "is required"},
		{"blank password", `{"partnerId":1,"username":"u","clientId":"c"}`, map[string]string{"password": "  ", "clientSecret": "cs"}, "password", "is required"},
		{"unknown auth type", `{"partnerId":1,"username":"u","clientId":"c","authType":"saml"}`, fullSecrets, "authType", `"password" (default) or "client_credentials"`},
		{"auth type not a string", `{"partnerId":1,"authType":3}`, fullSecrets, "authType", "must be a string, got a number"},
		{"wrong scheme", `{"baseUrl":"ftp://api.locusenergy.com","partnerId":1,"username":"u","clientId":"c"}`, fullSecrets, "baseUrl", `scheme "ftp" is not supported`},
		{"http to remote host", `{"baseUrl":"http://api.locusenergy.com","partnerId":1,"username":"u","clientId":"c"}`, fullSecrets, "baseUrl", "only allowed for a loopback host"},
		{"relative url", `{"baseUrl":"api.locusenergy.com","partnerId":1,"username":"u","clientId":"c"}`, fullSecrets, "baseUrl", "not an absolute URL"},
		{"url with user info", `{"baseUrl":"https://u:p@api.locusenergy.com","partnerId":1,"username":"u","clientId":"c"}`, fullSecrets, "baseUrl", "must not contain user credentials"},
		{"url with query", `{"baseUrl":"https://api.locusenergy.com?x=1","partnerId":1,"username":"u","clientId":"c"}`, fullSecrets, "baseUrl", "query or fragment"},
		{"url unparsable", `{"baseUrl":"https://[bad","partnerId":1,"username":"u","clientId":"c"}`, fullSecrets, "baseUrl", "is not a URL"},
		{"max concurrent zero", `{"partnerId":1,"username":"u","clientId":"c","maxConcurrentRequests":0}`, fullSecrets, "maxConcurrentRequests", "use 1 to 10"},
		{"max concurrent eleven", `{"partnerId":1,"username":"u","clientId":"c","maxConcurrentRequests":11}`, fullSecrets, "maxConcurrentRequests", "use 1 to 10"},
		{"max concurrent huge", `{"partnerId":1,"username":"u","clientId":"c","maxConcurrentRequests":99999999999}`, fullSecrets, "maxConcurrentRequests", "out of range"},
		{"max concurrent text", `{"partnerId":1,"maxConcurrentRequests":"many"}`, fullSecrets, "maxConcurrentRequests", "from 1 to 10"},
		{"negative metadata ttl", `{"partnerId":1,"metadataCacheSeconds":-1}`, fullSecrets, "metadataCacheSeconds", "out of range"},
		{"negative past ttl", `{"partnerId":1,"pastDataCacheSeconds":-60}`, fullSecrets, "pastDataCacheSeconds", "out of range"},
		{"negative recent ttl", `{"partnerId":1,"recentDataCacheSeconds":"-5"}`, fullSecrets, "recentDataCacheSeconds", "out of range"},
		{"ttl too long", `{"partnerId":1,"pastDataCacheSeconds":99999999}`, fullSecrets, "pastDataCacheSeconds", "30 days"},
		{"field union negative", `{"partnerId":1,"username":"u","clientId":"c","maxFieldUnionEntities":-1}`, fullSecrets, "maxFieldUnionEntities", "use 1 to 1000"},
		{"field union over 1000", `{"partnerId":1,"username":"u","clientId":"c","maxFieldUnionEntities":1001}`, fullSecrets, "maxFieldUnionEntities", "use 1 to 1000 (0 = default 20)"},
		{"field union huge", `{"partnerId":1,"username":"u","clientId":"c","maxFieldUnionEntities":99999999999}`, fullSecrets, "maxFieldUnionEntities", "out of range"},
		{"field union fractional", `{"partnerId":1,"username":"u","clientId":"c","maxFieldUnionEntities":2.5}`, fullSecrets, "maxFieldUnionEntities", "not a whole number"},
		{"field union text", `{"partnerId":1,"username":"u","clientId":"c","maxFieldUnionEntities":"many"}`, fullSecrets, "maxFieldUnionEntities", "from 1 to 1000"},
		{"demo mode not bool", `{"demoMode":"sometimes"}`, nil, "demoMode", "true or false"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadSettings(instanceSettings(tc.json, tc.secrets))
			var se *SettingsError
			if !errors.As(err, &se) {
				t.Fatalf("want *SettingsError, got %v", err)
			}
			if se.Field != tc.field {
				t.Errorf("field = %q, want %q (error %v)", se.Field, tc.field, err)
			}
			if !strings.Contains(err.Error(), tc.message) || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %q should name %q and contain %q", err, tc.field, tc.message)
			}
			for _, secret := range tc.secrets {
				if strings.TrimSpace(secret) != "" && strings.Contains(err.Error(), secret) {
					t.Errorf("error leaks a secret: %v", err)
				}
			}
		})
	}
}

// TestLoadSettingsMaxFieldUnionEntities: the setting is read as an integer
// (number or numeric string), 1 and 1000 are accepted, and absent, null, ""
// or 0 mean the documented default of 20.
func TestLoadSettingsMaxFieldUnionEntities(t *testing.T) {
	base := `"partnerId":1,"username":"u","clientId":"c"`
	for _, tc := range []struct {
		value string
		want  int
	}{
		{"", 20}, {`,"maxFieldUnionEntities":0`, 20}, {`,"maxFieldUnionEntities":null`, 20}, {`,"maxFieldUnionEntities":""`, 20},
		{`,"maxFieldUnionEntities":1`, 1}, {`,"maxFieldUnionEntities":"50"`, 50}, {`,"maxFieldUnionEntities":1000`, 1000},
	} {
		st, err := LoadSettings(instanceSettings("{"+base+tc.value+"}", fullSecrets))
		if err != nil {
			t.Errorf("%s: unexpected error %v", tc.value, err)
			continue
		}
		if st.MaxFieldUnion != tc.want {
			t.Errorf("%s: MaxFieldUnion = %d, want %d", tc.value, st.MaxFieldUnion, tc.want)
		}
	}
}

func TestLoadSettingsDemoModeIgnoresCredentials(t *testing.T) {
	for _, js := range []string{`{"demoMode":true}`, `{"demoMode":"true","baseUrl":"ftp://ignored","authType":"saml"}`} {
		st, err := LoadSettings(instanceSettings(js, nil))
		if err != nil {
			t.Fatalf("demo mode must need no credentials (%s), got %v", js, err)
		}
		if !st.DemoMode {
			t.Fatalf("DemoMode not set for %s", js)
		}
	}
	// A value that is present is still decoded strictly, even in demo mode.
	_, err := LoadSettings(instanceSettings(`{"demoMode":true,"partnerId":"x1"}`, nil))
	var se *SettingsError
	if !errors.As(err, &se) || se.Field != "partnerId" {
		t.Fatalf("want a partnerId error, got %v", err)
	}
}

// A cleared form field arrives as null or "": both mean the default.
func TestLoadSettingsNullsAreDefaults(t *testing.T) {
	js := `{"partnerId":5,"username":"u","clientId":"c","baseUrl":null,"authType":"","maxConcurrentRequests":"","metadataCacheSeconds":null,"pastDataCacheSeconds":"","demoMode":""}`
	st, err := LoadSettings(instanceSettings(js, fullSecrets))
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if st.BaseURL != DefaultBaseURL || st.AuthType != AuthPassword || st.MaxConcurrent != 1 ||
		st.MetadataTTL != DefaultMetadataTTL || st.PastDataTTL != DefaultPastDataTTL || st.DemoMode {
		t.Fatalf("nulls must mean defaults, got %+v", st)
	}
}
