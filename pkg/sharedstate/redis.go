// Package sharedstate keeps the state that several Grafana replicas must
// share for one Locus account in Redis: the account's request limiter (with
// the queue's priority lanes), the response cache and the single-flight of
// identical requests. It implements locus.SharedState through go-redis with
// standard Redis patterns:
//
//   - Limiter: a fair semaphore of leases. Holders live in a sorted set
//     scored by their lease expiry (Redis server time), waiters in a sorted
//     set scored by arrival time plus their lane's head start; one Lua
//     script removes expired holders and dead waiters and grants a slot to
//     the best waiter when one is free. A holder renews its lease while its
//     request runs; a replica killed mid-request stops renewing, so its slot
//     is free again at most one lease after its last renewal. Every grant
//     has its own member id (the fencing token, from INCR), so a late
//     renewal or release of an expired lease can never touch another
//     holder's slot. Releases are published so waiters retry at once.
//   - Cache: opaque (already encrypted) values under opaque keys with PX
//     expiry. The locus client derives keys and encrypts values; nothing here
//     sees a secret, a token or a clear response.
//   - Single-flight: SET NX PX on a flight key; the others poll for the
//     stored value until the leader's lease ends.
//
// Every key lives under the "locus:" prefix.
package sharedstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// Options tune a Redis shared state.
type Options struct {
	// URL is redis://[user@]host:port[/db] or rediss:// for TLS.
	URL string
	// Password overrides the URL's password (from secureJsonData).
	Password string
	// Lease is how long a limiter slot outlives its holder's last renewal
	// (default 15s). A replica killed mid-request frees its slot within it.
	Lease time.Duration
	// DialTimeout bounds connecting and each command when Redis is down
	// (default 500ms), so a fallback decision is quick.
	DialTimeout time.Duration
}

// DefaultLease is Options.Lease's default.
const DefaultLease = 15 * time.Second

// laneHandicap is how much later than its arrival a waiter of each lane
// counts in the limiter's line (the line is ordered by arrival plus
// handicap): an alert-rule request goes before every interactive request
// that arrived less than 5 s before it, before every bulk request that
// arrived less than 30 s before it, and so on. A waiting request is
// therefore never passed by requests that arrive more than its lane's
// handicap after it: the cross-replica anti-starvation bound.
var laneHandicap = map[locus.Lane]time.Duration{
	locus.LaneAlert:       0,
	locus.LaneInteractive: 5 * time.Second,
	locus.LaneBulk:        30 * time.Second,
	locus.LaneBackground:  120 * time.Second,
}

// Redis is a locus.SharedState on one Redis server.
type Redis struct {
	rdb     *redis.Client
	lease   time.Duration
	replica string // random id of this process' connection, prefix of member ids

	mu       sync.Mutex
	wake     map[string]chan struct{} // account -> closed on a published release
	pubsub   *redis.PubSub
	stopSubs context.CancelFunc
}

var _ locus.SharedState = (*Redis)(nil)

// New connects lazily to the Redis at o.URL. It fails only on an invalid URL.
func New(o Options) (*Redis, error) {
	quietOnce.Do(func() { redis.SetLogger(quiet{}) })
	opt, err := redis.ParseURL(o.URL)
	if err != nil {
		return nil, fmt.Errorf("shared state URL is not a Redis URL (%v): use redis://host:6379/0, or rediss:// for TLS", err)
	}
	if o.Password != "" {
		opt.Password = o.Password
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = 500 * time.Millisecond
	}
	opt.DialTimeout = o.DialTimeout
	opt.ReadTimeout = 2 * o.DialTimeout
	opt.WriteTimeout = 2 * o.DialTimeout
	// One retry on a fresh connection: after a Redis restart the pool's
	// idle connections are dead, and without it the first command on each
	// would switch the replica to its in-process fallback (and, for a
	// moment, a second request in flight). The scripts are safe to repeat:
	// a repeated grant only parks an extra lease until it expires.
	opt.MaxRetries = 1
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	r := &Redis{rdb: redis.NewClient(opt), lease: o.Lease, replica: hex.EncodeToString(id[:]), wake: map[string]chan struct{}{}}
	return r, nil
}

// quiet drops go-redis' own log lines (reconnect attempts while Redis is
// down); the client logs the fallback and the recovery itself, once each.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...interface{}) {}

var quietOnce sync.Once

// Close closes the connections.
func (r *Redis) Close() error {
	r.mu.Lock()
	if r.stopSubs != nil {
		r.stopSubs()
	}
	if r.pubsub != nil {
		_ = r.pubsub.Close()
	}
	r.mu.Unlock()
	return r.rdb.Close()
}

// Ping reports whether Redis answers.
func (r *Redis) Ping(ctx context.Context) error {
	return r.rdb.Ping(ctx).Err()
}

// Describe names the server (host:port/db), never the password.
func (r *Redis) Describe() string {
	o := r.rdb.Options()
	return fmt.Sprintf("%s/%d", o.Addr, o.DB)
}

func holdersKey(account string) string { return "locus:" + account + ":holders" }
func waitersKey(account string) string { return "locus:" + account + ":waiters" }
func aliveKey(account string) string   { return "locus:" + account + ":alive" }
func fenceKey(account string) string   { return "locus:" + account + ":fence" }
func channel(account string) string    { return "locus:" + account + ":released" }

// acquireScript tries to take a slot for ARGV[1] (a waiter id):
// KEYS holders, waiters, alive, fence; ARGV id, capacity, lease ms, head
// handicap ms, waiter ttl ms. It returns the holder member id when granted,
// or false while the waiter must keep waiting.
var acquireScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local dead = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for _, w in ipairs(dead) do
  redis.call('ZREM', KEYS[2], w)
  redis.call('ZREM', KEYS[3], w)
end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  local seq = redis.call('INCR', KEYS[4]) % 1000
  redis.call('ZADD', KEYS[2], (now + tonumber(ARGV[4])) * 1000 + seq, ARGV[1])
end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), ARGV[1])
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
if free > 0 then
  local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
  if rank and rank < free then
    redis.call('ZREM', KEYS[2], ARGV[1])
    redis.call('ZREM', KEYS[3], ARGV[1])
    local member = ARGV[1] .. ':' .. redis.call('INCR', KEYS[4])
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), member)
    redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 4)
    redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]) * 4)
    redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[3]) * 4)
    return member
  end
end
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]) * 4)
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[3]) * 4)
return false
`)

// renewScript extends a holder's lease if it still holds it (XX: never
// re-creates an expired lease). KEYS holders; ARGV member, lease ms.
var renewScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 4)
  return 1
end
return 0
`)

// Acquire takes one of capacity request slots of account in lane. It waits
// in the shared line (see laneHandicap) as long as ctx allows. The slot's
// lease is renewed until release is called. An error means Redis failed
// (the caller falls back to its local limiter) or ctx ended.
func (r *Redis) Acquire(ctx context.Context, account string, capacity int, lane locus.Lane) (func(), error) {
	var idb [6]byte
	_, _ = rand.Read(idb[:])
	waiter := r.replica + "-" + hex.EncodeToString(idb[:])
	keys := []string{holdersKey(account), waitersKey(account), aliveKey(account), fenceKey(account)}
	leaseMs := r.lease.Milliseconds()
	head := laneHandicap[lane].Milliseconds()
	wake := r.subscribe(account)
	poll := 20 * time.Millisecond
	for {
		res, err := acquireScript.Run(ctx, r.rdb, keys, waiter, capacity, leaseMs, head, leaseMs).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			r.leaveLine(account, waiter)
			return nil, err
		}
		if member, ok := res.(string); ok && err == nil {
			return r.hold(account, member), nil
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			r.leaveLine(account, waiter)
			return nil, ctx.Err()
		case <-wake():
		case <-t.C:
			// Also the heartbeat that keeps this waiter alive in the line.
			poll = min(poll*2, 200*time.Millisecond)
		}
		t.Stop()
	}
}

// leaveLine removes a waiter that gives up (best effort: a dead waiter also
// expires from the line by itself).
func (r *Redis) leaveLine(account, waiter string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	r.rdb.ZRem(ctx, waitersKey(account), waiter)
	r.rdb.ZRem(ctx, aliveKey(account), waiter)
}

// hold renews member's lease until the returned release is called, which
// frees the slot and wakes the other waiters.
func (r *Redis) hold(account, member string) func() {
	return r.keepLease(func(ctx context.Context) {
		renewScript.Run(ctx, r.rdb, []string{holdersKey(account)}, member, r.lease.Milliseconds())
	}, func(ctx context.Context) {
		r.rdb.ZRem(ctx, holdersKey(account), member)
		r.rdb.Publish(ctx, channel(account), member)
	})
}

// keepLease calls renew every third of a lease until the returned function
// is called; that stops the renewals, then calls release (once).
func (r *Redis) keepLease(renew, release func(context.Context)) func() {
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(r.lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				ctx, cancel := context.WithTimeout(context.Background(), r.lease/3)
				renew(ctx)
				cancel()
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(stop)
			<-done
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			release(ctx)
		})
	}
}

// subscribe returns a function giving the channel that is closed at the next
// published release of account's slots (one subscription per process).
func (r *Redis) subscribe(account string) func() <-chan struct{} {
	r.mu.Lock()
	if _, ok := r.wake[account]; !ok {
		r.wake[account] = make(chan struct{})
		if r.pubsub == nil {
			ctx, cancel := context.WithCancel(context.Background())
			r.stopSubs = cancel
			r.pubsub = r.rdb.Subscribe(ctx, channel(account))
			go r.dispatch(ctx, r.pubsub)
		} else {
			_ = r.pubsub.Subscribe(context.Background(), channel(account))
		}
	}
	r.mu.Unlock()
	return func() <-chan struct{} {
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.wake[account]
	}
}

// dispatch wakes the waiters of an account when a release is published.
func (r *Redis) dispatch(ctx context.Context, ps *redis.PubSub) {
	ch := ps.Channel()
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-ch:
			if !ok {
				return
			}
			const pre, suf = len("locus:"), len(":released")
			if len(m.Channel) <= pre+suf {
				continue
			}
			account := m.Channel[pre : len(m.Channel)-suf]
			r.mu.Lock()
			if w, ok := r.wake[account]; ok {
				close(w)
				r.wake[account] = make(chan struct{})
			}
			r.mu.Unlock()
		}
	}
}

// Load returns the value stored under key.
func (r *Redis) Load(ctx context.Context, key string) ([]byte, bool, error) {
	b, err := r.rdb.Get(ctx, "locus:cache:"+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// Store keeps value under key for ttl.
func (r *Redis) Store(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl < time.Millisecond {
		return nil
	}
	return r.rdb.Set(ctx, "locus:cache:"+key, value, ttl).Err()
}

// Lead claims the fetch of key. leader is true when this caller must fetch
// (and then call done, which ends the claim); false when another process is
// fetching it. The claim is a lease renewed while its holder lives, so the
// claim of a killed replica ends at most one lease later.
func (r *Redis) Lead(ctx context.Context, key string) (leader bool, done func(), err error) {
	fk := "locus:flight:" + key
	var idb [8]byte
	_, _ = rand.Read(idb[:])
	me := r.replica + "-" + hex.EncodeToString(idb[:])
	ok, err := r.rdb.SetNX(ctx, fk, me, r.lease).Result()
	if err != nil {
		return false, nil, err
	}
	if !ok {
		return false, func() {}, nil
	}
	return true, r.keepLease(func(ctx context.Context) {
		renewFlight.Run(ctx, r.rdb, []string{fk}, me, r.lease.Milliseconds())
	}, func(ctx context.Context) {
		// Delete only our own claim.
		releaseFlight.Run(ctx, r.rdb, []string{fk}, me)
	}), nil
}

var renewFlight = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`)

// Leading reports whether a claim on key is still held by anyone.
func (r *Redis) Leading(ctx context.Context, key string) (bool, error) {
	n, err := r.rdb.Exists(ctx, "locus:flight:"+key).Result()
	return n > 0, err
}

var releaseFlight = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// LimiterState reports the account's holders and waiters (diagnostics and tests).
func (r *Redis) LimiterState(ctx context.Context, account string) (holders, waiters int64, err error) {
	h, err := r.rdb.ZCard(ctx, holdersKey(account)).Result()
	if err != nil {
		return 0, 0, err
	}
	w, err := r.rdb.ZCard(ctx, waitersKey(account)).Result()
	return h, w, err
}
