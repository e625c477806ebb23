package locus

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter bounds how long a Retry-After header can make us wait.
const maxRetryAfter = 5 * time.Minute

// maxWaitWithoutDeadline is the longest retry wait of a call whose context
// has no deadline: Grafana's default query timeout. A Retry-After longer
// than that (or than the time a deadline leaves) is answered at once with
// the 429's message rather than a wait nobody will see the end of.
const maxWaitWithoutDeadline = 30 * time.Second

type deadlineKey struct{}

// Detach returns a context that is not cancelled with ctx (for a request
// shared by several callers, which runs until the last one leaves) but
// still tells the retry logic ctx's deadline, so a wait that would pass it
// is not started.
func Detach(ctx context.Context) context.Context {
	d := context.WithoutCancel(ctx)
	if dl, ok := deadlineOf(ctx); ok {
		d = context.WithValue(d, deadlineKey{}, dl)
	}
	return d
}

// deadlineOf is ctx's deadline, or the one Detach recorded.
func deadlineOf(ctx context.Context) (time.Time, bool) {
	if dl, ok := ctx.Deadline(); ok {
		return dl, true
	}
	dl, ok := ctx.Value(deadlineKey{}).(time.Time)
	return dl, ok
}

// max500Retries is how often a plain 500 is retried: it is usually a bug on
// the server that retrying will not fix, but sometimes a transient one.
const max500Retries = 2

// parseRetryAfter reads a Retry-After header: delta-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 || secs != secs {
			return 0
		}
		if secs > maxRetryAfter.Seconds() {
			return maxRetryAfter
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d <= 0 {
			return 0
		}
		return min(d, maxRetryAfter)
	}
	return 0
}

// backoff is the wait before retry number n (0-based): exponential with
// full jitter, or what Retry-After asked for when it is longer.
func (a *API) backoff(n int, retryAfter time.Duration) time.Duration {
	ceiling := a.cfg.RetryBaseDelay
	for i := 0; i < n && ceiling < a.cfg.RetryMaxDelay; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, a.cfg.RetryMaxDelay)
	d := time.Duration(rand.Int64N(int64(ceiling) + 1)) // #nosec G404 -- retry jitter needs no cryptographic randomness
	return max(d, retryAfter)
}

// sleep waits d or until ctx ends. It never holds a queue slot.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryable reports whether a failed attempt may be retried, given how many
// 500s have been retried already.
func retryable(at attempt, fiveHundreds int) bool {
	if at.err != nil {
		switch at.err.Kind {
		case KindNetwork:
			return true
		case KindTimeout:
			return true
		}
		return false
	}
	switch at.status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	case http.StatusInternalServerError:
		return fiveHundreds < max500Retries
	}
	return false
}
