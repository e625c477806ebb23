package locus

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// tokenPath is the OAuth token endpoint (a path, not a credential).
const tokenPath = "/oauth/token" // #nosec G101 -- a URL path, not a secret

// refreshFraction is the share of a token's lifetime after which it is
// renewed ahead of expiry.
const refreshFraction = 0.9

// token is one access token and what is needed to renew it.
type token struct {
	access    string
	refresh   string
	refreshAt time.Time // renew from here on
	expiresAt time.Time // unusable from here on
}

// tokenSource owns the instance's token. Renewal is done by one caller at a
// time (the holder of fetch); the others keep using a still-valid token or
// wait for the new one.
type tokenSource struct {
	api   *API
	mu    sync.Mutex
	tok   *token
	fetch chan struct{}
}

func (s *tokenSource) load() *token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok
}

// get returns a usable access token, obtaining or renewing it if needed.
func (s *tokenSource) get(ctx context.Context) (string, error) {
	s.mu.Lock()
	if s.fetch == nil {
		s.fetch = make(chan struct{}, 1)
	}
	fetch := s.fetch
	s.mu.Unlock()
	for {
		if err := s.api.checkOpen(); err != nil {
			return "", err
		}
		t := s.load()
		now := s.api.cfg.Now()
		if t != nil && t.access != "" && now.Before(t.refreshAt) {
			return t.access, nil
		}
		select {
		case fetch <- struct{}{}:
		default:
			// Someone else is renewing: a token that has not expired yet is still good.
			if t != nil && t.access != "" && now.Before(t.expiresAt) {
				return t.access, nil
			}
			select {
			case fetch <- struct{}{}:
			case <-ctx.Done():
				return "", canceledError("POST "+tokenPath, ctx.Err())
			}
		}
		// We hold the renewal role; another holder may have renewed meanwhile.
		if cur := s.load(); cur != nil && cur.access != "" && s.api.cfg.Now().Before(cur.refreshAt) {
			<-fetch
			continue
		}
		cur := s.load()
		nt, err := s.obtain(ctx, cur)
		if err != nil {
			if kept, ok := s.keepAfterFailedRenewal(cur, err); ok {
				<-fetch
				return kept, nil
			}
			<-fetch
			return "", err
		}
		s.mu.Lock()
		s.tok = nt
		s.mu.Unlock()
		<-fetch
		return nt.access, nil
	}
}

// keepAfterFailedRenewal lets a token that has not expired yet carry on
// when an early renewal failed for a transient reason (Locus briefly down
// or rate limiting), and schedules the next renewal attempt halfway to its
// expiry instead of on every call.
func (s *tokenSource) keepAfterFailedRenewal(cur *token, err error) (string, bool) {
	if cur == nil || cur.access == "" || IsKind(err, KindAuth) || IsKind(err, KindCanceled) || IsKind(err, KindConfig) {
		return "", false
	}
	now := s.api.cfg.Now()
	if !now.Before(cur.expiresAt) {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok == cur {
		next := *cur
		next.refreshAt = now.Add(cur.expiresAt.Sub(now) / 2)
		s.tok = &next
	}
	s.api.log.Warn("Locus token renewal failed; using the current token until it expires", "kind", string(KindOf(err)))
	return cur.access, true
}

// invalidate drops access if it is still the current token (after a 401),
// keeping the refresh token for the renewal.
func (s *tokenSource) invalidate(access string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && s.tok.access == access {
		s.tok = &token{refresh: s.tok.refresh}
	}
}

func (s *tokenSource) clear() {
	s.mu.Lock()
	s.tok = nil
	s.mu.Unlock()
}

// current returns the live token strings (for redaction).
func (s *tokenSource) current() []string {
	t := s.load()
	if t == nil {
		return nil
	}
	return []string{t.access, t.refresh}
}

// obtain returns a new token: the one another replica obtained (shared
// state, see sharedTokenBegin), else its own renewal or login, which it then
// shares.
func (s *tokenSource) obtain(ctx context.Context, old *token) (*token, error) {
	t, done := s.api.sharedTokenBegin(ctx, old)
	if t != nil {
		return t, nil
	}
	if done != nil {
		defer done()
	}
	t, err := s.obtainOwn(ctx, old)
	if err == nil {
		s.api.sharedTokenStore(ctx, t)
	}
	return t, err
}

// obtainOwn renews with the refresh token when there is one, falling back to
// the configured grant when that fails.
func (s *tokenSource) obtainOwn(ctx context.Context, old *token) (*token, error) {
	a := s.api
	cfg := a.cfg
	if cfg.AuthType == AuthPassword && old != nil && old.refresh != "" {
		form := url.Values{
			"grant_type":    {"refresh_token"},
			"client_id":     {cfg.ClientID},
			"client_secret": {cfg.ClientSecret},
			"refresh_token": {old.refresh},
		}
		t, err := s.grant(ctx, form, old.refresh)
		if err == nil {
			return t, nil
		}
		if IsKind(err, KindCanceled) {
			return nil, err
		}
		a.log.Info("Locus token refresh failed; falling back to the password grant", "kind", string(KindOf(err)))
	}
	return s.login(ctx)
}

// login makes the configured grant (password or client credentials) unless
// Locus refused these credentials and the back-off has not expired; one
// login at a time per account.
func (s *tokenSource) login(ctx context.Context) (*token, error) {
	a := s.api
	cfg := a.cfg
	l := &a.queue.login
	if err := l.enter(ctx); err != nil {
		return nil, err
	}
	defer l.leave()
	fp := credentialFingerprint(cfg)
	if e := l.refused(fp, cfg.Now()); e != nil {
		return nil, e
	}
	form := url.Values{
		"grant_type":    {string(cfg.AuthType)},
		"client_id":     {cfg.ClientID},
		"client_secret": {cfg.ClientSecret},
	}
	if cfg.AuthType == AuthPassword {
		form.Set("username", cfg.Username)
		form.Set("password", cfg.Password)
	}
	t, err := s.grant(ctx, form, "")
	if err == nil || IsKind(err, KindAuth) {
		l.record(fp, err, cfg.Now())
	}
	return t, err
}

// tokenResponse is the OAuth token endpoint's answer.
type tokenResponse struct {
	AccessToken  string          `json:"access_token"`
	RefreshToken string          `json:"refresh_token"`
	ExpiresIn    json.RawMessage `json:"expires_in"`
}

// grant posts one grant (with retries) and builds the token. keepRefresh is
// reused when the answer carries no new refresh token.
func (s *tokenSource) grant(ctx context.Context, form url.Values, keepRefresh string) (*token, error) {
	a := s.api
	issued := a.cfg.Now()
	body, err := a.do(ctx, request{method: "POST", pathQuery: tokenPath, form: []byte(form.Encode()), grant: form.Get("grant_type")})
	if err != nil {
		return nil, err
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil || strings.TrimSpace(tr.AccessToken) == "" {
		return nil, &Error{Kind: KindConfig, Path: "POST " + tokenPath, Message: "the Locus token endpoint answered without an access_token: check that the base URL points at the Locus API"}
	}
	life := parseExpiresIn(tr.ExpiresIn)
	t := &token{
		access:    tr.AccessToken,
		refresh:   tr.RefreshToken,
		refreshAt: issued.Add(time.Duration(float64(life) * refreshFraction)),
		expiresAt: issued.Add(life - min(life/50, 30*time.Second)),
	}
	if t.refresh == "" {
		t.refresh = keepRefresh
	}
	a.log.Debug("Locus token obtained", "grant", form.Get("grant_type"), "expiresIn", life.String())
	return t, nil
}

// parseExpiresIn reads expires_in (a number or a numeric string); missing or
// invalid values mean the documented 3600 s.
func parseExpiresIn(raw json.RawMessage) time.Duration {
	v := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs <= 0 || secs != secs || secs > 365*24*3600 {
		return time.Hour
	}
	return time.Duration(secs * float64(time.Second))
}
