package locus

import (
	"context"
	"fmt"
)

// Lane is a priority class of the account queue. Lower values are served
// first: an alert-rule evaluation never waits behind a dashboard's chunks.
// The queue's policy (strict order with an anti-starvation bound) is
// documented on the queue; callers only say which lane a request belongs to
// by putting it on the context with WithLane.
type Lane int

// The lanes, highest priority first.
const (
	// LaneAlert: Grafana alert-rule evaluations (the FromAlert header).
	LaneAlert Lane = iota
	// LaneInteractive: the requests of small interactive queries (a panel
	// whose plan needs a few requests), resources and health checks.
	LaneInteractive
	// LaneBulk: the chunks of large queries and backfills.
	LaneBulk
	// LaneBackground: work nobody waits for (metadata refresh, warm-up).
	LaneBackground
)

// Lanes lists every lane, highest priority first.
var Lanes = []Lane{LaneAlert, LaneInteractive, LaneBulk, LaneBackground}

// String is the lane's name as it appears in frame meta and logs.
func (l Lane) String() string {
	switch l {
	case LaneAlert:
		return "alert"
	case LaneInteractive:
		return "interactive"
	case LaneBulk:
		return "bulk"
	case LaneBackground:
		return "background"
	}
	return fmt.Sprintf("lane(%d)", int(l))
}

type laneKey struct{}

// WithLane returns ctx carrying lane l for every Locus request made with it.
func WithLane(ctx context.Context, l Lane) context.Context {
	return context.WithValue(ctx, laneKey{}, l)
}

// LaneFrom returns the lane on ctx, LaneInteractive when none was set.
func LaneFrom(ctx context.Context) Lane {
	if l, ok := ctx.Value(laneKey{}).(Lane); ok && l >= LaneAlert && l <= LaneBackground {
		return l
	}
	return LaneInteractive
}
