package testkit

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Credentials are an account's OAuth password-grant credentials.
type Credentials struct {
	ClientID, ClientSecret, Username, Password string
}

// RawClient is a plain HTTP client of a Locus v3 API (the simulator),
// logged in with the password grant: for tests of the API's own answers,
// below the plugin's client. Any transport error fails the test.
type RawClient struct {
	t testing.TB
	// Base is the API's base URL.
	Base string
	// HC sends the requests.
	HC *http.Client
	// Token is the access token Login received.
	Token string
}

// Login logs in at base+/oauth/token through hc and returns the client; a
// refused login fails the test.
func Login(t testing.TB, hc *http.Client, base string, c Credentials) *RawClient {
	t.Helper()
	rc := &RawClient{t: t, Base: base, HC: hc}
	code, body := rc.PostToken(url.Values{"grant_type": {"password"}, "client_id": {c.ClientID},
		"client_secret": {c.ClientSecret}, "username": {c.Username}, "password": {c.Password}})
	tok, _ := body["access_token"].(string)
	if code != http.StatusOK || tok == "" {
		t.Fatalf("login: %d %v", code, body)
	}
	rc.Token = tok
	return rc
}

// PostToken posts form to /oauth/token and returns the status and the
// decoded body.
func (c *RawClient) PostToken(form url.Values) (int, map[string]any) {
	c.t.Helper()
	resp, err := c.HC.Post(c.Base+"/oauth/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		c.t.Fatalf("token response is not JSON: %v", err)
	}
	return resp.StatusCode, body
}

// Get performs an authenticated GET of path and returns status and body.
func (c *RawClient) Get(path string) (int, []byte) {
	c.t.Helper()
	return c.GetWith(path, c.Token, nil)
}

// GetWith GETs path with token ("" for none) and extra headers.
func (c *RawClient) GetWith(path, token string, hdr map[string]string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.Base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.HC.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// GetJSON GETs path, fails the test unless the status is want, and decodes
// the body into into.
func (c *RawClient) GetJSON(path string, want int, into any) {
	c.t.Helper()
	code, b := c.Get(path)
	if code != want {
		c.t.Fatalf("GET %s: status %d, want %d: %s", path, code, want, b)
	}
	if err := json.Unmarshal(b, into); err != nil {
		c.t.Fatalf("GET %s: %v: %s", path, err, b)
	}
}
