package planner

import (
	"errors"
	"fmt"
	"time"
)

// ChooseAuto picks the granularity for "auto": among offered (the
// granularities every field of the query supports; unknown entries and
// "latest" are ignored) whose nominal bucket is no longer than [from, to),
// the finest whose nominal bucket is at least interval and whose bucket
// count over the range is at most maxDataPoints. interval <= 0 or
// maxDataPoints <= 0 disable that constraint. If none fits, it picks the
// coarsest offered granularity not longer than the range (or, when every
// offered one is longer, the finest offered, whose buckets PlanSeries then
// cuts to the range) and the reason says so. reason explains the choice
// for a notice.
func ChooseAuto(offered []Granularity, interval time.Duration, from, to time.Time, maxDataPoints int64) (Granularity, string, error) {
	if !from.Before(to) {
		return "", "", fmt.Errorf("time range is empty or reversed: from %s is not before to %s", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	avail := make([]bool, len(All))
	found := false
	for _, g := range offered {
		if i := g.index(); i >= 0 {
			avail[i] = true
			found = true
		}
	}
	if !found {
		return "", "", errors.New("no granularity is available for all of the query's fields; query the fields separately or pick fields that share a granularity")
	}
	span := to.Sub(from)
	coarsest, finest := Granularity(""), Granularity("")
	for i, g := range All {
		if !avail[i] {
			continue
		}
		if finest == "" {
			finest = g
		}
		if g.Nominal() > span {
			break
		}
		coarsest = g
		n := BucketEstimate(g, span)
		if interval > 0 && g.Nominal() < interval {
			continue
		}
		if maxDataPoints > 0 && n > maxDataPoints {
			continue
		}
		return g, fmt.Sprintf("Granularity auto chose %s: the finest available with buckets of at least the panel interval (%s) and about %d points, within the %s", g, HumanDuration(interval), n, pointsLimit(maxDataPoints)), nil
	}
	if coarsest == "" {
		return finest, fmt.Sprintf("Granularity auto chose %s, the finest available: every available granularity has buckets longer than the range (%s), so its one bucket is cut to the range", finest, HumanDuration(span)), nil
	}
	return coarsest, fmt.Sprintf("Granularity auto chose %s, the coarsest available that is not longer than the range (%s): no available granularity has buckets of at least the panel interval (%s) and %s (%s gives about %d)", coarsest, HumanDuration(span), HumanDuration(interval), pointsLimit(maxDataPoints), coarsest, BucketEstimate(coarsest, span)), nil
}

// BucketEstimate is about how many buckets of g cover a span (nominal
// lengths, rounded up, plus one for a partial bucket at the start).
func BucketEstimate(g Granularity, span time.Duration) int64 {
	nom := g.Nominal()
	if nom <= 0 || span <= 0 {
		return 0
	}
	return int64((span+nom-1)/nom) + 1
}

// pointsLimit describes the max data points constraint.
func pointsLimit(maxDataPoints int64) string {
	if maxDataPoints <= 0 {
		return "no max data points limit"
	}
	return fmt.Sprintf("%d max data points", maxDataPoints)
}
