package planner

import (
	"testing"
	"time"
)

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		5 * time.Minute:                 "5 minutes",
		time.Minute:                     "1 minute",
		90 * time.Minute:                "1 hour 30 minutes",
		20 * time.Second:                "20 seconds",
		48*time.Hour + time.Second:      "2 days 1 second",
		1500 * time.Millisecond:         "1 second",
		250 * time.Millisecond:          "250 milliseconds",
		0:                               "0 seconds",
		-time.Second:                    "0 seconds",
		time.Hour + 2*time.Minute + 3e9: "1 hour 2 minutes 3 seconds",
	} {
		if got := HumanDuration(d); got != want {
			t.Errorf("HumanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
