package planner

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The case 3: a 5-minute query over New York's fall-back night
// whose bounds read ambiguously keeps exactly the 18 buckets 05:15Z..06:40Z;
// only the request widens to unambiguous wall-clock bounds.
func TestPlanSeriesAmbiguousBoundsTrimmed(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	p, err := PlanSeries(SeriesInput{From: at(t, "2025-11-02T05:15:00Z"), To: at(t, "2025-11-02T06:45:00Z"), Loc: ny, Granularity: Min5, Offered: All})
	if err != nil {
		t.Fatal(err)
	}
	if p.Interior == nil || len(p.Edges) != 0 || len(p.Omitted) != 0 {
		t.Fatalf("want only an interior, got %+v", p)
	}
	if !p.Interior.Start.Equal(at(t, "2025-11-02T05:15:00Z")) || !p.Interior.End.Equal(at(t, "2025-11-02T06:45:00Z")) {
		t.Fatalf("interior %v..%v", p.Interior.Start, p.Interior.End)
	}
	if n := len(buckets(Min5, p.Interior.Start, p.Interior.End, ny)); n != 18 {
		t.Fatalf("%d buckets, want 18", n)
	}
	c := p.Interior.Chunks
	if len(c) != 1 {
		t.Fatalf("chunks %+v", c)
	}
	s, e := c[0].Send()
	if !roundTrips(s, ny) || !roundTrips(e, ny) || s.After(c[0].Start) || e.Before(c[0].End) {
		t.Fatalf("request bounds %v..%v must be unambiguous and cover %v..%v", s, e, c[0].Start, c[0].End)
	}
}

// The case 1: a Los Angeles daily query over "Today" in Berlin
// (2025-11-30T23:00Z..2025-12-01T18:00Z) has no whole daily bucket: one
// edge for Nov 30 15:00..24:00 local and one for Dec 1 00:00..10:00 local,
// each covered by hourly buckets (whole hours: no finer request).
func TestPlanSeriesExactEdges(t *testing.T) {
	la := mustZone(t, "America/Los_Angeles")
	p, err := PlanSeries(SeriesInput{From: at(t, "2025-11-30T23:00:00Z"), To: at(t, "2025-12-01T18:00:00Z"), Loc: la, Granularity: Daily, Offered: All})
	if err != nil {
		t.Fatal(err)
	}
	if p.Interior != nil || len(p.Edges) != 2 {
		t.Fatalf("want two edges and no interior, got %+v", p)
	}
	e0, e1 := p.Edges[0], p.Edges[1]
	if !e0.Start.Equal(at(t, "2025-11-30T23:00:00Z")) || !e0.End.Equal(at(t, "2025-12-01T08:00:00Z")) ||
		!e1.Start.Equal(at(t, "2025-12-01T08:00:00Z")) || !e1.End.Equal(at(t, "2025-12-01T18:00:00Z")) {
		t.Fatalf("edges %v..%v and %v..%v", e0.Start, e0.End, e1.Start, e1.End)
	}
	if len(e0.Parts) != 1 || e0.Parts[0].Gran != Hourly || p.Requests != 2 {
		t.Fatalf("parts %+v, requests %d", e0.Parts, p.Requests)
	}
	// Millisecond edges: the cut minutes are left out, the rest cascades
	// hourly, 5min, 1min on both sides.
	p, err = PlanSeries(SeriesInput{From: at(t, "2025-11-30T23:07:30Z"), To: at(t, "2025-12-03T18:13:59Z"), Loc: la, Granularity: Daily, Offered: All})
	if err != nil {
		t.Fatal(err)
	}
	if !p.From.Equal(at(t, "2025-11-30T23:08:00Z")) || !p.To.Equal(at(t, "2025-12-03T18:13:00Z")) {
		t.Fatalf("effective range %v..%v", p.From, p.To)
	}
	if p.Interior == nil || !p.Interior.Start.Equal(at(t, "2025-12-01T08:00:00Z")) || !p.Interior.End.Equal(at(t, "2025-12-03T08:00:00Z")) {
		t.Fatalf("interior %+v", p.Interior)
	}
	var grans []string
	for _, e := range p.Edges {
		prev := e.Start
		for _, r := range e.Parts {
			if !r.Start.Equal(prev) {
				t.Fatalf("parts of %v..%v leave a gap at %v", e.Start, e.End, prev)
			}
			prev = r.End
			grans = append(grans, string(r.Gran))
		}
		if !prev.Equal(e.End) {
			t.Fatalf("parts end at %v, edge at %v", prev, e.End)
		}
	}
	if got := strings.Join(grans, ","); got != "1min,1min" {
		t.Fatalf("edges of under a day of minutes: %s, want one 1min request each", got)
	}
	// A monthly edge longer than MaxEdgeRows minutes cascades: whole days,
	// then the minutes of the cut day, in time order.
	p, err = PlanSeries(SeriesInput{From: at(t, "2025-11-10T23:07:00Z"), To: at(t, "2025-12-01T08:00:00Z"), Loc: la, Granularity: Monthly, Offered: All})
	if err != nil {
		t.Fatal(err)
	}
	if p.Interior != nil || len(p.Edges) != 1 {
		t.Fatalf("plan %+v", p)
	}
	grans = nil
	for _, r := range p.Edges[0].Parts {
		grans = append(grans, fmt.Sprintf("%s %s..%s", r.Gran, FormatWall(r.Start, la), FormatWall(r.End, la)))
	}
	if got := strings.Join(grans, "; "); got != "1min 2025-11-10T15:07:00..2025-11-11T00:00:00; daily 2025-11-11T00:00:00..2025-12-01T00:00:00" {
		t.Fatalf("monthly edge parts: %s", got)
	}
}

func TestPlanSeriesOmitAndRefusal(t *testing.T) {
	la := mustZone(t, "America/Los_Angeles")
	in := SeriesInput{From: at(t, "2025-11-24T00:00:00Z"), To: at(t, "2025-12-01T00:00:00Z"), Loc: la, Granularity: Daily, Offered: All, Edges: EdgesOmit}
	p, err := PlanSeries(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Omitted) != 2 || len(p.Edges) != 0 || len(p.EdgeNotices) != 2 || !strings.Contains(p.EdgeNotices[0], "Left out") {
		t.Fatalf("plan %+v", p)
	}
	in.Granularity = Monthly
	if _, err := PlanSeries(in); err == nil || !strings.Contains(err.Error(), "no whole monthly bucket") {
		t.Fatalf("monthly over a week in omit mode: %v", err)
	}
	in.Edges = EdgesExact
	if p, err = PlanSeries(in); err != nil || p.Interior != nil || len(p.Edges) != 1 {
		t.Fatalf("monthly over a week with exact edges: %+v %v", p, err)
	}
	in.Edges = "whole"
	if _, err := PlanSeries(in); err == nil || !strings.Contains(err.Error(), "valid modes are exact") {
		t.Fatalf("bad mode: %v", err)
	}
}

// The case 2: auto never picks a bucket longer than the range.
func TestPlanSeriesAutoNotLongerThanRange(t *testing.T) {
	to := at(t, "2025-12-01T00:00:00Z")
	g, reason, err := ChooseAuto(All, 0, to.Add(-48*time.Hour), to, 1)
	if err != nil || g != Daily || !strings.Contains(reason, "not longer than the range") {
		t.Fatalf("48h, 1 point: %s (%s) %v", g, reason, err)
	}
	g, _, _ = ChooseAuto(All, 0, to.Add(-7*24*time.Hour), to, 5)
	if g != Daily {
		t.Fatalf("7 days, 5 points: %s", g)
	}
	g, reason, _ = ChooseAuto([]Granularity{Hourly, Daily}, 0, to.Add(-10*time.Minute), to, 1)
	if g != Hourly || !strings.Contains(reason, "longer than the range") {
		t.Fatalf("10 minutes, hourly offered: %s %s", g, reason)
	}
}

// Auto with edges omitted steps to a finer granularity with a whole bucket
// inside the range rather than refusing.
func TestPlanSeriesAutoOmitFindsWholeBuckets(t *testing.T) {
	la := mustZone(t, "America/Los_Angeles")
	p, err := PlanSeries(SeriesInput{From: at(t, "2025-11-30T20:10:00Z"), To: at(t, "2025-11-30T21:50:00Z"), Loc: la, Offered: All, MaxDataPoints: 1, Edges: EdgesOmit})
	if err != nil {
		t.Fatal(err)
	}
	if p.Granularity != Min15 || p.Interior == nil || !strings.Contains(p.Reason, "edges are set to omit") {
		t.Fatalf("granularity %s, interior %+v, reason %q", p.Granularity, p.Interior, p.Reason)
	}
}
