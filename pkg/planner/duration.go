package planner

import (
	"fmt"
	"strings"
	"time"
)

// HumanDuration words a duration for notices people read: "5 minutes",
// "1 hour 30 minutes", "20 seconds", "2 days" (Go's "5m0s" is not for
// people). Parts smaller than a second are dropped (a sub-second duration
// is given in milliseconds); zero and negative durations are "0 seconds".
func HumanDuration(d time.Duration) string {
	if d <= 0 {
		return "0 seconds"
	}
	if d < time.Second {
		return unit(int64(d/time.Millisecond), "millisecond")
	}
	parts := make([]string, 0, 4)
	for _, u := range []struct {
		size time.Duration
		name string
	}{{24 * time.Hour, "day"}, {time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}} {
		if n := int64(d / u.size); n > 0 {
			parts = append(parts, unit(n, u.name))
			d -= time.Duration(n) * u.size
		}
	}
	return strings.Join(parts, " ")
}

func unit(n int64, name string) string {
	if n == 1 {
		return "1 " + name
	}
	return fmt.Sprintf("%d %ss", n, name)
}
