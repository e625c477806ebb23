package testkit

import (
	"sync"
	"time"
)

// Clock is a manual clock, safe for concurrent use: share its Now between a
// simulator, a client and an engine so lifetimes pass without sleeping.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// LocalDay returns [00:00, next 00:00) of a calendar day in loc (23 or 25
// hours long on a DST day).
func LocalDay(loc *time.Location, y int, m time.Month, d int) (time.Time, time.Time) {
	return time.Date(y, m, d, 0, 0, 0, 0, loc), time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}
