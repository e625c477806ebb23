package locussim

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// account is one API login: a user of a partner, with its own in-flight limit.
type account struct {
	username, password string
	partnerID          int64
	inFlight           int
}

type accessToken struct {
	acct    *account
	expires time.Time
}

func randomToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// handleToken serves POST /oauth/token (form-encoded grants).
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "the body must be application/x-www-form-urlencoded")
		return
	}
	grant := r.PostForm.Get("grant_type")
	clientID, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	switch grant {
	case "password", "refresh_token", "client_credentials":
	case "":
		writeError(w, http.StatusBadRequest, "grant_type is required: password, refresh_token or client_credentials")
		return
	default:
		writeError(w, http.StatusBadRequest, "unsupported grant_type "+quote(grant)+": use password, refresh_token or client_credentials")
		return
	}
	if clientID == "" || secret == "" {
		writeError(w, http.StatusBadRequest, "client_id and client_secret are required")
		return
	}
	if clientID != s.cfg.ClientID || secret != s.cfg.ClientSecret {
		writeError(w, http.StatusUnauthorized, "invalid client credentials")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var acct *account
	switch grant {
	case "password":
		user, pass := r.PostForm.Get("username"), r.PostForm.Get("password")
		if user == "" || pass == "" {
			writeError(w, http.StatusBadRequest, "username and password are required for grant_type=password")
			return
		}
		for _, a := range s.accounts {
			if a.username == user && a.password == pass {
				acct = a
			}
		}
		if acct == nil {
			writeError(w, http.StatusUnauthorized, "invalid username or password")
			return
		}
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if rt == "" {
			writeError(w, http.StatusBadRequest, "refresh_token is required for grant_type=refresh_token")
			return
		}
		acct = s.refresh[rt]
		if acct == nil {
			writeError(w, http.StatusUnauthorized, "invalid or revoked refresh token")
			return
		}
	case "client_credentials":
		acct = s.accounts[0]
	}
	now := s.cfg.Now()
	tok := randomToken()
	s.tokens[tok] = &accessToken{acct: acct, expires: now.Add(s.cfg.TokenTTL)}
	body := map[string]any{
		"access_token": tok,
		"issued_at":    now.Unix(),
		"expires_in":   int64(s.cfg.TokenTTL / time.Second),
	}
	if grant != "client_credentials" {
		body["token_type"] = "bearer"
	}
	if grant == "password" {
		rt := randomToken()
		s.refresh[rt] = acct
		body["refresh_token"] = rt
	}
	s.stats.TokenGrants[grant]++
	writeJSON(w, http.StatusOK, body)
}

// authenticate resolves the bearer token of a /v3 request.
func (s *Server) authenticate(r *http.Request) (*account, string) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, "an Authorization header with a Bearer access token is required"
	}
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		if tok2, ok2 := strings.CutPrefix(h, "bearer "); ok2 {
			tok, ok = tok2, true
		}
	}
	if !ok || tok == "" {
		return nil, "the Authorization header must be \"Bearer <access_token>\""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[tok]
	if t == nil {
		return nil, "invalid access token"
	}
	if !s.cfg.Now().Before(t.expires) {
		return nil, "access token expired"
	}
	return t.acct, ""
}

// RevokeRefreshTokens invalidates every refresh token issued so far.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh = map[string]*account{}
}

// ExpireTokens makes every access token issued so far expired.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.expires = time.Time{}
	}
}
