// Package planner is the one definition of Locus granularities, their span
// limits, bucket alignment in a time zone, automatic granularity choice and
// the chunking of long ranges into requests the API accepts. It is pure: no
// HTTP, no clock, no client.
//
// PlanSeries is the one planning entry point of time series queries: it
// applies the range contract (docs/range-contract.md): every value
// describes only time inside [from, to), whole minutes clamped to now; the
// whole buckets inside the range are fetched as they are and a bucket that
// straddles an edge is recomputed from finer granularities (EdgesExact) or
// left out with a notice (EdgesOmit); auto never picks a bucket longer than
// the range; a bound that reads ambiguously in a fall-back hour is sent
// widened and trimmed back (Chunks).
package planner

import (
	"fmt"
	"strings"
	"time"
)

// Granularity is a Locus data granularity (the `gran` argument of data calls).
type Granularity string

// The bucketed granularities, finest to coarsest.
const (
	Min1    Granularity = "1min"
	Min5    Granularity = "5min"
	Min15   Granularity = "15min"
	Hourly  Granularity = "hourly"
	Daily   Granularity = "daily"
	Monthly Granularity = "monthly"
	Yearly  Granularity = "yearly"
)

// Latest is the API's "latest point" granularity. It has no buckets, ignores
// start and end, and is not part of All; ParseGranularity rejects it.
const Latest Granularity = "latest"

// All lists the bucketed granularities from finest to coarsest.
var All = []Granularity{Min1, Min5, Min15, Hourly, Daily, Monthly, Yearly}

// validList is the human-readable list used in error messages.
func validList() string {
	names := make([]string, len(All))
	for i, g := range All {
		names[i] = string(g)
	}
	return strings.Join(names, ", ")
}

// ParseGranularity returns the granularity named s (case and surrounding
// space ignored), or an error naming s and listing the valid values.
func ParseGranularity(s string) (Granularity, error) {
	norm := Granularity(strings.ToLower(strings.TrimSpace(s)))
	for _, g := range All {
		if g == norm {
			return g, nil
		}
	}
	if norm == Latest {
		return "", fmt.Errorf("granularity %q has no buckets and cannot be planned; valid granularities are %s", s, validList())
	}
	return "", fmt.Errorf("unknown granularity %q; valid granularities are %s", s, validList())
}

// Valid reports whether g is one of All.
func (g Granularity) Valid() bool {
	return g.index() >= 0
}

// index is g's position in All, or -1.
func (g Granularity) index() int {
	for i, a := range All {
		if a == g {
			return i
		}
	}
	return -1
}

// Nominal is g's typical bucket length (a month is 30 days, a year 365 days).
// It serves the automatic choice only; bucket edges come from Floor and Next.
func (g Granularity) Nominal() time.Duration {
	switch g {
	case Min1:
		return time.Minute
	case Min5:
		return 5 * time.Minute
	case Min15:
		return 15 * time.Minute
	case Hourly:
		return time.Hour
	case Daily:
		return 24 * time.Hour
	case Monthly:
		return 30 * 24 * time.Hour
	case Yearly:
		return 365 * 24 * time.Hour
	}
	return 0
}

// subDailyStep is the wall-clock bucket length of sub-daily granularities,
// or 0 for calendar granularities (daily, monthly, yearly) and invalid ones.
func (g Granularity) subDailyStep() time.Duration {
	switch g {
	case Min1, Min5, Min15, Hourly:
		return g.Nominal()
	}
	return 0
}
