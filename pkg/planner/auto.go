package planner

import (
	"errors"
	"fmt"
	"time"
)

// ChooseAuto picks the granularity for "auto": among offered (the
// granularities every field of the query supports; unknown entries and
// "latest" are ignored), the finest whose nominal bucket is at least
// interval and whose bucket count over [from, to) is at most maxDataPoints.
// interval <= 0 or maxDataPoints <= 0 disable that constraint. If none fits,
// the coarsest offered is returned. reason explains the choice for a notice.
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
	coarsest := Granularity("")
	for i, g := range All {
		if !avail[i] {
			continue
		}
		coarsest = g
		n := BucketEstimate(g, span)
		if interval > 0 && g.Nominal() < interval {
			continue
		}
		if maxDataPoints > 0 && n > maxDataPoints {
			continue
		}
		return g, fmt.Sprintf("Granularity auto chose %s: the finest available with buckets of at least the panel interval (%s) and about %d points, within the %s", g, interval, n, pointsLimit(maxDataPoints)), nil
	}
	return coarsest, fmt.Sprintf("Granularity auto chose %s, the coarsest available: no available granularity has buckets of at least the panel interval (%s) and %s (%s gives about %d)", coarsest, interval, pointsLimit(maxDataPoints), coarsest, BucketEstimate(coarsest, span)), nil
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
