package locussim

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestPasswordGrantReturnsDocumentedToken(t *testing.T) {
	h := newHarness(t, nil)
	code, body := h.PostToken(url.Values{"grant_type": {"password"}, "client_id": {DefaultClientID},
		"client_secret": {DefaultClientSecret}, "username": {"demo"}, "password": {"demo"}})
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, k := range []string{"access_token", "issued_at", "token_type", "refresh_token", "expires_in"} {
		if _, ok := body[k]; !ok {
			t.Errorf("password grant lacks %s: %v", k, body)
		}
	}
	if body["expires_in"].(float64) != 3600 || body["token_type"] != "bearer" {
		t.Errorf("expires_in/token_type = %v/%v", body["expires_in"], body["token_type"])
	}
	if int64(body["issued_at"].(float64)) != fixedNow.Unix() {
		t.Errorf("issued_at = %v, want %d", body["issued_at"], fixedNow.Unix())
	}
}

func TestRefreshAndClientCredentialsGrants(t *testing.T) {
	h := newHarness(t, nil)
	_, pw := h.PostToken(url.Values{"grant_type": {"password"}, "client_id": {DefaultClientID},
		"client_secret": {DefaultClientSecret}, "username": {"demo"}, "password": {"demo"}})
	rt := pw["refresh_token"].(string)
	code, body := h.PostToken(url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultClientID},
		"client_secret": {DefaultClientSecret}, "refresh_token": {rt}})
	if code != 200 || body["access_token"] == "" {
		t.Fatalf("refresh: %d %v", code, body)
	}
	if _, has := body["refresh_token"]; has {
		t.Errorf("refresh grant must not return a refresh_token: %v", body)
	}
	if c, _ := h.GetWith("/v3/partners/4242/sites", body["access_token"].(string), nil); c != 200 {
		t.Errorf("refreshed token rejected: %d", c)
	}
	code, body = h.PostToken(url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}})
	if code != 200 || body["access_token"] == "" || body["expires_in"].(float64) != 3600 {
		t.Fatalf("client_credentials: %d %v", code, body)
	}
	if _, has := body["refresh_token"]; has {
		t.Errorf("client_credentials must not return a refresh_token")
	}
	h.sim.RevokeRefreshTokens()
	code, body = h.PostToken(url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultClientID},
		"client_secret": {DefaultClientSecret}, "refresh_token": {rt}})
	if code != 401 || !strings.Contains(body["message"].(string), "refresh token") {
		t.Errorf("revoked refresh token: %d %v", code, body)
	}
	if g := h.sim.Stats().TokenGrants; g["password"] != 2 || g["refresh_token"] != 1 || g["client_credentials"] != 1 {
		t.Errorf("TokenGrants = %v", g)
	}
}

func TestTokenErrors(t *testing.T) {
	h := newHarness(t, nil)
	cases := []struct {
		name string
		form url.Values
		code int
		msg  string
	}{
		{"bad password", url.Values{"grant_type": {"password"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}, "username": {"demo"}, "password": {"nope"}}, 401, "invalid username or password"},
		{"bad secret", url.Values{"grant_type": {"password"}, "client_id": {DefaultClientID}, "client_secret": {"x"}, "username": {"demo"}, "password": {"demo"}}, 401, "invalid client credentials"},
		{"no grant", url.Values{"client_id": {DefaultClientID}}, 400, "grant_type is required"},
		{"unknown grant", url.Values{"grant_type": {"implicit"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}}, 400, "unsupported grant_type"},
		{"no username", url.Values{"grant_type": {"password"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}}, 400, "username and password are required"},
		{"no refresh token", url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}}, 400, "refresh_token is required"},
	}
	for _, c := range cases {
		code, body := h.PostToken(c.form)
		msg, _ := body["message"].(string)
		if code != c.code || !strings.Contains(msg, c.msg) || int(body["statusCode"].(float64)) != c.code {
			t.Errorf("%s: %d %v, want %d %q", c.name, code, body, c.code, c.msg)
		}
		if strings.Contains(msg, DefaultClientSecret) || strings.Contains(msg, "nope") {
			t.Errorf("%s: error echoes a secret: %s", c.name, msg)
		}
	}
}

func TestBearerTokenRequiredAndExpiry(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.TokenTTL = 10 * time.Minute })
	path := "/v3/partners/4242/sites"
	if c, b := h.GetWith(path, "", nil); c != 401 || !strings.Contains(string(b), "Bearer") {
		t.Errorf("no token: %d %s", c, b)
	}
	if c, b := h.GetWith(path, "not-a-token", nil); c != 401 || !strings.Contains(string(b), "invalid access token") {
		t.Errorf("bad token: %d %s", c, b)
	}
	if c, _ := h.Get(path); c != 200 {
		t.Fatalf("fresh token: %d", c)
	}
	h.clk.Advance(10 * time.Minute)
	if c, b := h.Get(path); c != 401 || !strings.Contains(string(b), "expired") {
		t.Errorf("token past its TTL: %d %s", c, b)
	}
	tok := h.login("demo", "demo")
	if c, _ := h.GetWith(path, tok, nil); c != 200 {
		t.Fatalf("new token: %d", c)
	}
	h.sim.ExpireTokens()
	if c, b := h.GetWith(path, tok, nil); c != 401 || !strings.Contains(string(b), "expired") {
		t.Errorf("after ExpireTokens: %d %s", c, b)
	}
}
