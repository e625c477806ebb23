package planner

import (
	"testing"
	"time"
)

// FuzzPlan feeds arbitrary ranges, granularities and zones to Plan: it must
// return an error or a plan that satisfies every invariant, never panic or hang.
func FuzzPlan(f *testing.F) {
	f.Add(int64(1730600000), int64(86400), uint8(3), uint8(1))
	f.Add(int64(1728000000), int64(90*86400), uint8(1), uint8(7))
	f.Add(int64(-62135596800), int64(1), uint8(6), uint8(0))
	f.Add(int64(253402300000), int64(3600), uint8(0), uint8(10))
	f.Add(int64(0), int64(-5), uint8(2), uint8(3))
	f.Fuzz(func(t *testing.T, fromUnix, spanSec int64, gi, zi uint8) {
		g := All[int(gi)%len(All)]
		loc := mustZone(t, testZones[int(zi)%len(testZones)])
		// Keep spans plannable within MaxChunks-ish work so the fuzzer stays fast.
		const maxSpan = 3 * 365 * 86400
		if spanSec > maxSpan || spanSec < -maxSpan {
			spanSec %= maxSpan
		}
		from := time.Unix(fromUnix, 0)
		to := from.Add(time.Duration(spanSec) * time.Second)
		chunks, err := Plan(from, to, g, loc)
		if err != nil {
			if len(err.Error()) == 0 {
				t.Fatal("empty error message")
			}
			return
		}
		checkTiling(t, chunks, from, to, g, loc)
	})
}
