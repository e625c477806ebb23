package plugin

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// FuzzLoadSettings: any jsonData either loads or fails with a *SettingsError
// that names a key; nothing panics and no secret appears in the error.
func FuzzLoadSettings(f *testing.F) {
	seeds := []string{
		``, `{}`, `null`, `[]`, `"x"`, fullJSON,
		`{"partnerId":"4242","baseUrl":"https://x.example/v3/","authType":"client_credentials","clientId":"c"}`,
		`{"partnerId":1e3,"maxConcurrentRequests":"3","metadataCacheSeconds":1.5}`,
		`{"partnerId":-1}`, `{"baseUrl":"http://[::1]:80"}`, `{"baseUrl":"http://10.0.0.1"}`,
		`{"demoMode":"TRUE"}`, `{"pastDataCacheSeconds":1e308}`, `{"partnerId":9223372036854775807}`,
	}
	for _, s := range seeds {
		f.Add(s, "pw-fuzz-secret", " cs-fuzz-secret\n")
	}
	f.Fuzz(func(t *testing.T, js, password, clientSecret string) {
		st, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(js),
			DecryptedSecureJSONData: map[string]string{"password": password, "clientSecret": clientSecret}})
		if err != nil {
			var se *SettingsError
			if !errors.As(err, &se) || se.Field == "" || se.Message == "" {
				t.Fatalf("error %v is not a named *SettingsError", err)
			}
			for _, s := range []string{strings.TrimSpace(password), strings.TrimSpace(clientSecret)} {
				if len(s) >= 6 && strings.Contains(err.Error(), s) {
					t.Fatalf("error leaks a secret: %v", err)
				}
			}
			return
		}
		if st.MaxConcurrent < 1 || st.MaxConcurrent > MaxConcurrentLimit || st.MetadataTTL <= 0 || st.PastDataTTL <= 0 || st.RecentDataTTL <= 0 {
			t.Fatalf("accepted out-of-range settings %+v", st)
		}
		if !st.DemoMode && (st.PartnerID <= 0 || st.ClientID == "" || st.ClientSecret == "") {
			t.Fatalf("accepted incomplete settings %+v", st)
		}
	})
}

// FuzzResourceRequest: any method, path and query gets a JSON answer with a
// deliberate status (never a panic, never a blanket 500).
func FuzzResourceRequest(f *testing.F) {
	d, _ := newTestDatasource(f, backend.DataSourceInstanceSettings{JSONData: []byte(`{"demoMode":true}`)})
	seeds := [][2]string{
		{"GET", "/sites?query=a&limit=3"}, {"GET", "/sites/1"}, {"GET", "/sites/x/components"},
		{"GET", "/components?nodeId=%25"}, {"GET", "/dataavailable?entityType=site&id=0"},
		{"GET", "/plan?entityType=site&id=1&fields=W_avg&from=0&to=1"}, {"POST", "/plan"},
		{"GET", "/timezones"}, {"GET", "//sites"}, {"GET", "/sites/%2e%2e"}, {"HEAD", "/clients"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, method, pathQuery string) {
		if method == "" || strings.ContainsAny(method, " \t\r\n()<>@,;:\\\"/[]?={}") || !strings.HasPrefix(pathQuery, "/") ||
			strings.ContainsAny(pathQuery, " \t\r\n#") {
			return // not an HTTP request Grafana could forward
		}
		if _, err := http.NewRequest(method, pathQuery, nil); err != nil {
			return
		}
		status, _, _ := callResource(t, d, method, pathQuery)
		if status == http.StatusInternalServerError || status < 200 {
			t.Fatalf("%s %s: status %d", method, pathQuery, status)
		}
	})
}
