package locus

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// SharedState is the optional state several processes (Grafana replicas)
// share for one Locus account: the request limiter with its lanes, a
// response cache and the single-flight of identical requests. The client
// derives every key and encrypts every value before they reach it, so an
// implementation never sees a secret, a token or a clear response. Every
// method may fail (the store is down): the client then falls back to its
// in-process queue and cache until Ping succeeds again.
//
// pkg/sharedstate implements it on Redis.
type SharedState interface {
	// Acquire takes one of capacity slots of account for one upstream
	// request in lane, waiting as long as ctx allows; release frees it.
	Acquire(ctx context.Context, account string, capacity int, lane Lane) (release func(), err error)
	// Load returns the value stored under key (found false when absent).
	Load(ctx context.Context, key string) (value []byte, found bool, err error)
	// Store keeps value under key for ttl.
	Store(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Lead claims the fetch of key: leader true means this caller fetches
	// and then calls done; false means another process is fetching. A claim
	// whose holder dies ends by itself within a bounded time.
	Lead(ctx context.Context, key string) (leader bool, done func(), err error)
	// Leading reports whether any process still claims key.
	Leading(ctx context.Context, key string) (bool, error)
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
	// Describe names the store for health messages and logs (no password).
	Describe() string
}

// SharedStatus is what the health check and the logs say about the shared
// state: not configured, in use, or down (in-process fallback).
type SharedStatus struct {
	Configured bool
	Up         bool
	Store      string // Describe() of the store
	LastError  string // redacted; empty while up
}

// sharedLink is an API's connection to its SharedState: key derivation,
// encryption, and the fallback switch.
type sharedLink struct {
	state   SharedState
	account string      // hashed account key: the limiter's name
	mac     []byte      // HMAC key for cache keys (derived from the credentials and the data source)
	aead    cipher.AEAD // encrypts cached values
	log     Logger

	up      atomic.Bool
	mu      sync.Mutex
	lastErr string
	probing bool
	stop    chan struct{}
}

// newSharedLink derives the link's keys. scope names the data source (its
// UID): two data sources, or two tenants, never share a cache key or can
// decrypt each other's values, because both the key and the cipher come
// from their credentials and their scope. The limiter is per account only
// (the API's limit is the account's).
func newSharedLink(state SharedState, cfg Config) *sharedLink {
	acct := sha256.Sum256([]byte("locus-account\x00" + cfg.accountKey()))
	root := hmac.New(sha256.New, []byte(cfg.ClientSecret+"\x00"+cfg.Password))
	root.Write([]byte(cfg.accountKey() + "\x00" + cfg.SharedScope))
	seed := root.Sum(nil)
	derive := func(label string) []byte {
		h := hmac.New(sha256.New, seed)
		h.Write([]byte(label))
		return h.Sum(nil)
	}
	block, _ := aes.NewCipher(derive("value-encryption")) // 32 bytes: AES-256, cannot fail
	aead, _ := cipher.NewGCM(block)
	l := &sharedLink{state: state, account: hex.EncodeToString(acct[:16]), mac: derive("cache-keys"), aead: aead, log: cfg.Logger, stop: make(chan struct{})}
	l.up.Store(true)
	return l
}

// cacheKey is the opaque store key of a GET.
func (l *sharedLink) cacheKey(pathQuery string) string {
	h := hmac.New(sha256.New, l.mac)
	h.Write([]byte(pathQuery))
	return hex.EncodeToString(h.Sum(nil))
}

// seal encrypts a response body (nonce || ciphertext), bound to its key.
func (l *sharedLink) seal(key string, body []byte) []byte {
	nonce := make([]byte, l.aead.NonceSize(), l.aead.NonceSize()+len(body)+l.aead.Overhead())
	_, _ = rand.Read(nonce)
	return l.aead.Seal(nonce, nonce, body, []byte(key))
}

// open decrypts what seal made; an error means another writer (or a
// different scope) made it: treated as a miss.
func (l *sharedLink) open(key string, v []byte) ([]byte, error) {
	n := l.aead.NonceSize()
	if len(v) < n {
		return nil, errors.New("shared cache value too short")
	}
	return l.aead.Open(nil, v[:n], v[n:], []byte(key))
}

// usable reports whether the shared state is currently in use.
func (l *sharedLink) usable() bool { return l != nil && l.up.Load() }

// fail switches to the in-process fallback after a store error, logs it
// once, and probes the store in the background until it answers again.
func (l *sharedLink) fail(err error) {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lastErr = err.Error()
	if l.up.Swap(false) {
		l.log.Warn("Shared state unreachable: using this replica's own request queue and cache until it answers again", "store", l.state.Describe(), "error", l.lastErr)
	}
	if !l.probing {
		l.probing = true
		go l.probe()
	}
}

// probe pings the store every second until it answers (or the API closes).
func (l *sharedLink) probe() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := l.state.Ping(ctx)
		cancel()
		if err == nil {
			l.mu.Lock()
			l.probing = false
			l.lastErr = ""
			l.up.Store(true)
			l.mu.Unlock()
			l.log.Info("Shared state reachable again: requests and cache are shared across replicas", "store", l.state.Describe())
			return
		}
	}
}

func (l *sharedLink) status() SharedStatus {
	if l == nil {
		return SharedStatus{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return SharedStatus{Configured: true, Up: l.up.Load(), Store: l.state.Describe(), LastError: l.lastErr}
}

func (l *sharedLink) close() {
	if l != nil {
		close(l.stop)
	}
}

// SharedStatus reports the shared state's status (zero when not configured).
func (a *API) SharedStatus() SharedStatus { return a.shared.status() }

// CheckShared pings the shared state now (for the health check) and
// switches to the fallback when it does not answer.
func (a *API) CheckShared(ctx context.Context) SharedStatus {
	if a.shared == nil {
		return SharedStatus{}
	}
	if err := a.shared.state.Ping(ctx); err != nil {
		a.shared.fail(err)
	}
	return a.shared.status()
}

// sharedLimiter is the Limiter of an API with shared state: the shared
// (cross-replica) limiter while the store answers, else the in-process one.
// Stats are the in-process limiter's (the shared line is reported by the
// store itself). It also counts this instance's own requests waiting for
// and holding shared slots, so WaitIdle (which the query engine's coalescer
// uses to keep a batch open while the account is busy) behaves as with the
// in-process queue.
type sharedLimiter struct {
	link     *sharedLink
	local    Limiter
	capacity int

	mu               sync.Mutex
	waiting, holding int
	idle             chan struct{} // closed (and replaced) when idle
}

// Acquire implements Limiter.
func (l *sharedLimiter) Acquire(ctx context.Context, lane Lane) (func(), error) {
	if l.link.usable() {
		l.count(1, 0)
		release, err := l.link.state.Acquire(ctx, l.link.account, l.capacity, lane)
		if err == nil {
			l.count(-1, 1)
			var once sync.Once
			return func() {
				once.Do(func() {
					release()
					l.count(0, -1)
				})
			}, nil
		}
		l.count(-1, 0)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		l.link.fail(err)
	}
	return l.local.Acquire(ctx, lane)
}

// count adjusts the instance's shared waiters and holders and signals idleness.
func (l *sharedLimiter) count(waiting, holding int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waiting += waiting
	l.holding += holding
	if l.idle != nil && l.idleLocked() {
		close(l.idle)
		l.idle = nil
	}
}

func (l *sharedLimiter) idleLocked() bool { return l.holding < l.capacity && l.waiting == 0 }

// WaitIdle returns once this instance has a free slot and nothing waiting
// (in fallback: the in-process queue's WaitIdle), or when ctx ends.
func (l *sharedLimiter) WaitIdle(ctx context.Context) error {
	if w, ok := l.local.(interface{ WaitIdle(context.Context) error }); ok {
		if err := w.WaitIdle(ctx); err != nil {
			return err
		}
	}
	l.mu.Lock()
	if l.idleLocked() {
		l.mu.Unlock()
		return nil
	}
	if l.idle == nil {
		l.idle = make(chan struct{})
	}
	ch := l.idle
	l.mu.Unlock()
	return waitClosed(ctx, ch)
}

// Stats implements Limiter.
func (l *sharedLimiter) Stats() QueueStats { return l.local.Stats() }

// sharedLoad returns a response body another replica cached.
func (a *API) sharedLoad(ctx context.Context, pathQuery string) ([]byte, bool) {
	if !a.shared.usable() {
		return nil, false
	}
	key := a.shared.cacheKey(pathQuery)
	v, ok, err := a.shared.state.Load(ctx, key)
	if err != nil {
		a.shared.fail(err)
		return nil, false
	}
	if !ok {
		return nil, false
	}
	body, err := a.shared.open(key, v)
	if err != nil {
		return nil, false
	}
	return body, true
}

// sharedStore caches a response body for the other replicas.
func (a *API) sharedStore(ctx context.Context, pathQuery string, body []byte, ttl time.Duration) {
	if !a.shared.usable() || ttl <= 0 {
		return
	}
	key := a.shared.cacheKey(pathQuery)
	if err := a.shared.state.Store(ctx, key, a.shared.seal(key, body), ttl); err != nil {
		a.shared.fail(err)
	}
}

// fetchShared fetches pathQuery's body once across replicas: a replica that
// finds the shared cache empty claims the fetch; the others wait for the
// body it stores (polling, at most one request timeout), then fall back to
// fetching themselves. Without usable shared state it is a.do.
func (a *API) fetchShared(ctx context.Context, pathQuery string, ttl time.Duration) ([]byte, error) {
	r := request{method: "GET", pathQuery: pathQuery}
	if !a.shared.usable() || ttl <= 0 {
		return a.do(ctx, r)
	}
	if body, ok := a.sharedLoad(ctx, pathQuery); ok {
		callStatsFrom(ctx).CacheHits.Add(1)
		return body, nil
	}
	key := a.shared.cacheKey(pathQuery)
	leader, done, err := a.shared.state.Lead(ctx, key)
	if err != nil {
		a.shared.fail(err)
		return a.do(ctx, r)
	}
	if leader {
		defer done()
		// Another replica may have stored it between our miss and our claim.
		if body, ok := a.sharedLoad(ctx, pathQuery); ok {
			callStatsFrom(ctx).Shared.Add(1)
			return body, nil
		}
		body, err := a.do(ctx, r)
		if err == nil {
			a.sharedStore(ctx, pathQuery, body, ttl)
		}
		return body, err
	}
	wait := 5 * time.Millisecond
	for {
		if body, ok := a.sharedLoad(ctx, pathQuery); ok {
			callStatsFrom(ctx).Shared.Add(1)
			return body, nil
		}
		still, err := a.shared.state.Leading(ctx, key)
		if err != nil {
			a.shared.fail(err)
			return a.do(ctx, r)
		}
		if !still {
			// The leader stored the body and left between our two looks,
			// or it failed (or its claim ran out): then fetch it ourselves.
			if body, ok := a.sharedLoad(ctx, pathQuery); ok {
				callStatsFrom(ctx).Shared.Add(1)
				return body, nil
			}
			return a.do(ctx, r)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, canceledError("GET "+pathQuery, ctx.Err())
		case <-t.C:
		}
		wait = min(wait*2, 100*time.Millisecond)
	}
}

// sharedTokenKey is the store key of the account's token (per data source,
// like every shared key).
func (l *sharedLink) sharedTokenKey() string { return l.cacheKey("\x00oauth-token") }

// sharedToken is a token as kept (encrypted) in the shared state.
type sharedToken struct {
	Access    string    `json:"a"`
	Refresh   string    `json:"r"`
	RefreshAt time.Time `json:"ra"`
	ExpiresAt time.Time `json:"ea"`
}

// loadSharedToken returns the replicas' current token when it is still
// good (before its renewal time) and is not old.
func (a *API) loadSharedToken(ctx context.Context, old *token) *token {
	key := a.shared.sharedTokenKey()
	v, ok, err := a.shared.state.Load(ctx, key)
	if err != nil {
		a.shared.fail(err)
		return nil
	}
	if !ok {
		return nil
	}
	plain, err := a.shared.open(key, v)
	if err != nil {
		return nil
	}
	var st sharedToken
	if json.Unmarshal(plain, &st) != nil || st.Access == "" || !a.cfg.Now().Before(st.RefreshAt) {
		return nil
	}
	if old != nil && old.access == st.Access {
		return nil
	}
	return &token{access: st.Access, refresh: st.Refresh, refreshAt: st.RefreshAt, expiresAt: st.ExpiresAt}
}

// sharedTokenBegin makes the replicas of one data source log in once: it
// returns the token another replica obtained, or (nil, done) when this
// replica is to obtain it (call done afterwards), or (nil, nil) without
// usable shared state or when the replica that claimed the login gave up.
// The token travels encrypted (see seal); no secret or token is stored in
// clear.
func (a *API) sharedTokenBegin(ctx context.Context, old *token) (*token, func()) {
	if !a.shared.usable() {
		return nil, nil
	}
	if t := a.loadSharedToken(ctx, old); t != nil {
		return t, nil
	}
	key := a.shared.sharedTokenKey()
	leader, done, err := a.shared.state.Lead(ctx, key)
	if err != nil {
		a.shared.fail(err)
		return nil, nil
	}
	if leader {
		if t := a.loadSharedToken(ctx, old); t != nil {
			done()
			return t, nil
		}
		return nil, done
	}
	wait := 5 * time.Millisecond
	for {
		if t := a.loadSharedToken(ctx, old); t != nil {
			return t, nil
		}
		still, err := a.shared.state.Leading(ctx, key)
		if err != nil || !still {
			// Stored and left between our two looks, or gave up.
			return a.loadSharedToken(ctx, old), nil
		}
		tm := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			tm.Stop()
			return nil, nil
		case <-tm.C:
		}
		wait = min(wait*2, 100*time.Millisecond)
	}
}

// sharedTokenStore shares a token with the other replicas until its renewal time.
func (a *API) sharedTokenStore(ctx context.Context, t *token) {
	if !a.shared.usable() || t == nil {
		return
	}
	ttl := t.refreshAt.Sub(a.cfg.Now())
	if ttl <= time.Second {
		return
	}
	plain, _ := json.Marshal(sharedToken{Access: t.access, Refresh: t.refresh, RefreshAt: t.refreshAt, ExpiresAt: t.expiresAt})
	key := a.shared.sharedTokenKey()
	if err := a.shared.state.Store(ctx, key, a.shared.seal(key, plain), ttl); err != nil {
		a.shared.fail(err)
	}
}
