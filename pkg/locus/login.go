package locus

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Login back-off after Locus refused the credentials: no new grant with the
// same credentials for loginBackoffBase, doubling with every further refusal
// up to loginBackoffMax. A settings change (other credentials) may log in at
// once. An identity provider that locks an account after repeated failures
// thus sees one failed login per back-off, never a storm.
const (
	loginBackoffBase = time.Minute
	loginBackoffMax  = 15 * time.Minute
)

// accountLogin is an account's login state, shared by its instances: a slot
// so that one grant at a time is in flight, and the last refusal.
type accountLogin struct {
	slot chan struct{}

	mu      sync.Mutex
	refusal *loginRefusal
}

// loginRefusal is a refused grant: for which credentials, why, and until when
// no grant with them is attempted.
type loginRefusal struct {
	fingerprint [sha256.Size]byte
	err         *Error
	until       time.Time
	refusals    int
}

// credentialFingerprint identifies the credentials of cfg (kept in memory
// only, never logged).
func credentialFingerprint(cfg Config) [sha256.Size]byte {
	return sha256.Sum256([]byte(string(cfg.AuthType) + "\x00" + cfg.ClientID + "\x00" + cfg.ClientSecret + "\x00" + cfg.Username + "\x00" + cfg.Password))
}

// enter takes the account's login slot, or returns ctx's error.
func (l *accountLogin) enter(ctx context.Context) error {
	select {
	case l.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return canceledError("POST "+tokenPath, ctx.Err())
	}
}

func (l *accountLogin) leave() { <-l.slot }

// refused returns the error to answer instead of a grant when these
// credentials were refused and their back-off has not expired.
func (l *accountLogin) refused(fp [sha256.Size]byte, now time.Time) *Error {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.refusal
	if r == nil || r.fingerprint != fp || !now.Before(r.until) {
		return nil
	}
	e := *r.err
	e.Message += fmt.Sprintf(" (no new login is attempted with these credentials until the settings change or %s UTC, so that the account is not locked by repeated failures)",
		r.until.UTC().Format("15:04:05"))
	return &e
}

// record notes a grant's outcome: a refusal (KindAuth from the token
// endpoint) starts or extends the back-off, a success clears it.
func (l *accountLogin) record(fp [sha256.Size]byte, err error, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil {
		l.refusal = nil
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindAuth {
		return
	}
	n := 1
	if l.refusal != nil && l.refusal.fingerprint == fp {
		n = l.refusal.refusals + 1
	}
	wait := loginBackoffBase
	for i := 1; i < n && wait < loginBackoffMax; i++ {
		wait *= 2
	}
	wait = min(wait, loginBackoffMax)
	l.refusal = &loginRefusal{fingerprint: fp, err: e, until: now.Add(wait), refusals: n}
}
