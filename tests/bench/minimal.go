package main

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// The span rule of one data request, from FACTS.md ("end < start + limit",
// read as wall-clock times in the request's tz), and each granularity's
// bucket. Written here again on purpose: the minimal count must not come
// from the planner it judges.
var (
	spanDays = map[string]int{"1min": 5, "5min": 31, "15min": 31, "hourly": 31, "daily": 365}
	bucket   = map[string]time.Duration{"1min": time.Minute, "5min": 5 * time.Minute, "15min": 15 * time.Minute, "hourly": time.Hour}
)

// minimalCount is what a perfect planner needs for a dashboard, by kind of
// request, with the reasoning for each line.
type minimalCount struct {
	lines []minimalLine
	// shared is how many edge requests the count saves by merging the same
	// part of one entity cut by groups of different panels. Panels reach
	// the engine one by one: their requests for such a part merge when they
	// meet while waiting for the queue, and go out separately when the
	// first leaves an idle queue before the second is planned. A load may
	// therefore make up to minimal + shared requests.
	shared int
}

type minimalLine struct {
	what string
	n    int
	// class is "token", "metadata" or "data".
	class string
}

// of sums the lines of one class.
func (m minimalCount) of(class string) int {
	n := 0
	for _, l := range m.lines {
		if l.class == class {
			n += l.n
		}
	}
	return n
}

// total sums every line.
func (m minimalCount) total() int {
	n := 0
	for _, l := range m.lines {
		n += l.n
	}
	return n
}

// reached reports whether a load's request count n is at most what a
// perfect planner makes, allowing for the shared edge parts panels
// arriving one by one may fetch separately: n <= minimal + shared. A load
// may make fewer: on a night when clocks fall back the engine widens a
// range ending in the repeated hour to the hour's end, and one edge request
// can then serve two panels' different edges (a merge this count does not
// model). That the fewer requests still give every value is what the
// range contract tests check against the simulator's 1-minute series.
func (m minimalCount) reached(n int) bool {
	return n <= m.total()+m.shared
}

// figure is the ratio of a load's requests to the minimal count less
// discount (the token, for a load whose token is still valid), passing
// when the load reached the minimal (see reached).
func (m minimalCount) figure(name string, n, discount int) figure {
	want := m.total() - discount
	f := figure{Name: name, Value: float64(n) / float64(want), Pass: n <= want+m.shared}
	f.Target = fmt.Sprintf("<= 1 (%d requests)", want)
	if m.shared > 0 {
		f.Target = fmt.Sprintf("<= %s (%d requests, up to %d more for edge parts shared by panels)", trimFloat(float64(want+m.shared)/float64(want)), want, m.shared)
	}
	return f
}

// countFigure is a load's request count n against the minimal count,
// passing when the load reached it (see reached).
func (m minimalCount) countFigure(name string, n int) figure {
	f := figure{Name: name, Value: float64(n), Pass: m.reached(n), Target: fmt.Sprintf("<= %d minimal", m.total())}
	if m.shared > 0 {
		f.Target = fmt.Sprintf("<= %d (minimal %d, up to %d more for edge parts shared by panels)", m.total()+m.shared, m.total(), m.shared)
	}
	return f
}

// String explains the count one line per kind of request.
func (m minimalCount) String() string {
	var b strings.Builder
	for _, l := range m.lines {
		fmt.Fprintf(&b, "    %3d  %s\n", l.n, l.what)
	}
	fmt.Fprintf(&b, "    %3d  total", m.total())
	return b.String()
}

// dataGroup is one entity at one granularity in one zone: a perfect
// planner fetches the union of its fields over the union of its ranges.
type dataGroup struct {
	kind, gran, zone string
	id               int64
	from, to         time.Time
	fields           []string
}

// countMinimal counts the upstream requests a perfect planner needs for the
// panels, from the query models, the fleet (zones, component sites) and the
// API's rules only: the data requests, plus at most one request per
// distinct metadata list the panels need (issue 14), plus the token:
//   - 1 token request;
//   - 1 partner site list (names and zones of every site; also the bulk's sites);
//   - component lists: 1 per site whose components a metadata table lists
//     or a component query names with its siteId, and 1 partner component
//     list if a component is queried by id alone (its site and zone are
//     unknown without a list, and one list serves every such component:
//     never one request per component);
//   - 1 dataavailable per distinct entity of time series and latest queries
//     (the entity's list of fields and the granularities they allow; the
//     API has no call listing several entities' fields), and 1 bulk
//     dataavailable for bulk queries;
//   - per distinct (entity, granularity, zone): the chunks the span limit
//     forces over the whole buckets inside the union of the ranges;
//   - per group, each bucket cut by the range's edges (whole minutes) is
//     recomputed from finer data (docs/range-contract.md): see edgesOf; the
//     same part of one entity cut by several groups (a 15-minute and an
//     hourly panel both ending at 17:05 leave 17:00-17:05) is one request
//     for the union of their fields: see countEdges;
//   - 1 latest data call per distinct component of latest queries;
//   - bulk: one call per distinct layout of local month boundaries among the
//     sites' zones, times the chunks its 1-year limit forces;
//   - alerts: one call per site or component; the partner's one per 31-day
//     openDuring window (the reference limits only partner alerts).
func countMinimal(panels []panel, f *locussim.Fleet, now time.Time) (minimalCount, error) {
	var (
		siteList, bulkAvail bool
		partnerComps        bool
		avail               = map[string]bool{}
		groups              = map[string]*dataGroup{}
		latest              = map[int64]bool{}
		alerts              = map[string]bool{}
		compLists           = map[int64]bool{}
		bulkCalls           = map[string]bool{}
	)
	zoneOf := func(kind string, id int64) (string, error) {
		if kind == "components" {
			c := f.Component(id)
			if c == nil {
				return "", fmt.Errorf("component %d is not in the fleet", id)
			}
			return c.Site().Timezone, nil
		}
		s := f.Site(id)
		if s == nil {
			return "", fmt.Errorf("site %d is not in the fleet", id)
		}
		return s.Timezone, nil
	}
	for _, p := range panels {
		for _, q := range p.queries {
			switch q["queryType"] {
			case "timeseries":
				siteList = true
				kind, key := "sites", "siteId"
				if q["entityType"] == "component" {
					kind, key = "components", "componentId"
				}
				ids, err := parseIDList(q[key].(string))
				if err != nil {
					return minimalCount{}, err
				}
				gran := q["granularity"].(string)
				for _, id := range ids {
					if kind == "components" {
						if site, ok := q["siteId"].(string); ok && site != "" {
							sid, err := strconv.ParseInt(site, 10, 64)
							if err != nil {
								return minimalCount{}, err
							}
							compLists[sid] = true
						} else {
							partnerComps = true
						}
					}
					avail[fmt.Sprint(kind, id)] = true
					zone, err := zoneOf(kind, id)
					if err != nil {
						return minimalCount{}, err
					}
					k := fmt.Sprint(kind, id, gran, zone)
					to := p.to
					if to.After(now) {
						to = now
					}
					g := groups[k]
					if g != nil {
						g.from, g.to = earlierOf(g.from, p.from), laterOf(g.to, to)
					} else {
						g = &dataGroup{kind: kind, gran: gran, zone: zone, id: id, from: p.from, to: to}
						groups[k] = g
					}
					fs, _ := q["fields"].([]string)
					for _, f := range fs {
						if !slices.Contains(g.fields, f) {
							g.fields = append(g.fields, f)
						}
					}
				}
			case "latest":
				siteList = true
				ids, err := parseIDList(q["componentId"].(string))
				if err != nil {
					return minimalCount{}, err
				}
				partnerComps = true // latest queries name components by id alone
				for _, id := range ids {
					latest[id], avail[fmt.Sprint("components", id)] = true, true
				}
			case "bulk":
				siteList, bulkAvail = true, true
				for _, k := range bulkLayouts(f, now) {
					bulkCalls[k] = true
				}
			case "alerts":
				kind, ids := "partners", []int64{locussim.DefaultPartnerID}
				if q["scope"] == "site" {
					var err error
					kind = "sites"
					if ids, err = parseIDList(q["siteId"].(string)); err != nil {
						return minimalCount{}, err
					}
				}
				windows := 1
				if kind == "partners" {
					windows = int((p.to.Sub(p.from) + 31*24*time.Hour - 1) / (31 * 24 * time.Hour))
				}
				for _, id := range ids {
					for w := range windows {
						alerts[fmt.Sprint(kind, id, w, p.from.Unix())] = true
					}
				}
			case "metadata":
				id, err := strconv.ParseInt(q["siteId"].(string), 10, 64)
				if err != nil {
					return minimalCount{}, err
				}
				compLists[id] = true
			}
		}
	}
	chunks := 0
	var parts []edgePart
	for _, g := range groups {
		n, err := chunksOf(g)
		if err != nil {
			return minimalCount{}, err
		}
		chunks += n
		ps, err := edgesOf(g)
		if err != nil {
			return minimalCount{}, err
		}
		parts = append(parts, ps...)
	}
	edges, shared := countEdges(parts)
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	return minimalCount{shared: shared, lines: []minimalLine{
		{"token (POST /oauth/token)", 1, "token"},
		{"partner site list (names and zones of every site)", b2i(siteList), "metadata"},
		{"component lists (1 per site listed or named; 1 partner list for components queried by id alone)", len(compLists) + b2i(partnerComps), "metadata"},
		{"dataavailable: each entity's field list (one per distinct entity of time series and latest queries)", len(avail), "metadata"},
		{"bulk dataavailable", b2i(bulkAvail), "metadata"},
		{fmt.Sprintf("data: %d entity x granularity x zone groups, chunked by the span limits", len(groups)), chunks, "data"},
		{fmt.Sprintf("data: partial buckets at the range's edges, recomputed from finer data (range contract; %d shared by groups of different panels)", shared), edges, "data"},
		{"latest data (one per distinct component)", len(latest), "data"},
		{"bulk data (one per local month layout x 1-year chunk)", len(bulkCalls), "data"},
		{"alerts (one per site or component, the partner's per 31-day window)", len(alerts), "data"},
	}}, nil
}

// chunksOf counts the requests the span limit forces on a group: its range
// aligned outwards to whole buckets in its zone, then cut greedily into
// requests whose end lies before start + limit (wall-clock).
func chunksOf(g *dataGroup) (int, error) {
	loc, err := time.LoadLocation(g.zone)
	if err != nil {
		return 0, fmt.Errorf("zone %q: %w", g.zone, err)
	}
	days, limited := spanDays[g.gran]
	if !limited {
		return 1, nil // monthly and yearly have no span limit
	}
	wall := func(t time.Time) time.Time {
		t = t.In(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	}
	start, end := wall(g.from), wall(g.to)
	var step func(time.Time) time.Time
	// The whole buckets inside the range (the range contract: partial
	// buckets at the edges are counted by edgesOf).
	if g.gran == "daily" {
		if s := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC); s.Before(start) {
			start = s.AddDate(0, 0, 1)
		}
		end = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
		// daily's limit is one calendar year: the last day boundary before it.
		step = func(t time.Time) time.Time { return t.AddDate(1, 0, 0).AddDate(0, 0, -1) }
	} else {
		b := bucket[g.gran]
		if s := start.Truncate(b); s.Before(start) {
			start = s.Add(b)
		}
		end = end.Truncate(b)
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, days).Add(-b) }
	}
	n := 0
	for cur := start; cur.Before(end); cur = step(cur) {
		n++
	}
	return n, nil
}

// bulkLayouts returns one key per distinct layout of the local month
// boundaries of the month holding now (the latest-month-only table), over
// every site of the partner.
func bulkLayouts(f *locussim.Fleet, now time.Time) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range f.SitesOfPartner(locussim.DefaultPartnerID) {
		loc := s.Location()
		t := now.In(loc)
		first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
		k := fmt.Sprint(first.Unix(), first.AddDate(0, 1, 0).Unix())
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func parseIDList(s string) ([]int64, error) {
	var out []int64
	for _, part := range strings.Split(s, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("id list %q: %w", s, err)
		}
		out = append(out, id)
	}
	return out, nil
}

func earlierOf(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// granOrder lists the granularities finest first.
var granOrder = []string{"1min", "5min", "15min", "hourly", "daily", "monthly", "yearly"}

// finestOf is the finest granularity the simulator's dataavailable offers
// for a field (every coarser one is offered too): sites' power from 5min,
// expected energy from daily, modeled irradiance from hourly, the rest
// (site energy, every component field) from 1min.
func finestOf(kind, field string) string {
	if kind == "sites" {
		switch {
		case strings.HasPrefix(field, "W_") && !strings.HasPrefix(field, "W_m"):
			return "5min"
		case strings.HasPrefix(field, "Wh_e"):
			return "daily"
		case strings.HasPrefix(field, "GHI"):
			return "hourly"
		}
	}
	return "1min"
}

// edgePart is one partial bucket at a group's range edge that a perfect
// planner recomputes from finer data: the entity and zone, the part
// [from, to), the finest-granularity classes (indexes into granOrder) of
// the group's fields that are finer than the group's granularity, and the
// group's granularity (no request for the part may be as coarse).
type edgePart struct {
	entity   string
	from, to time.Time
	classes  []int
	below    int
	loc      *time.Location
}

// edgesOf lists the parts of the group's buckets that the group's range
// (cut to whole minutes) leaves partial at its edges, with the classes of
// fields that need them: fields whose finest granularity is not finer
// than the group's can only leave the part out.
func edgesOf(g *dataGroup) ([]edgePart, error) {
	loc, err := time.LoadLocation(g.zone)
	if err != nil {
		return nil, fmt.Errorf("zone %q: %w", g.zone, err)
	}
	gi := slices.Index(granOrder, g.gran)
	from := g.from.Truncate(time.Minute)
	if from.Before(g.from) {
		from = from.Add(time.Minute)
	}
	to := g.to.Truncate(time.Minute)
	s, e := ceilTo(from, g.gran, loc), floorTo(to, g.gran, loc)
	if s.IsZero() || e.IsZero() {
		return nil, fmt.Errorf("group %s %d %s: the bench counts edges of ranges with buckets of at most a day", g.kind, g.id, g.gran)
	}
	var spans [][2]time.Time
	if s.After(e) {
		spans = append(spans, [2]time.Time{from, to})
	} else {
		if from.Before(s) {
			spans = append(spans, [2]time.Time{from, s})
		}
		if e.Before(to) {
			spans = append(spans, [2]time.Time{e, to})
		}
	}
	var classes []int
	for _, f := range g.fields {
		fi := slices.Index(granOrder, finestOf(g.kind, f))
		if fi < gi && !slices.Contains(classes, fi) {
			classes = append(classes, fi)
		}
	}
	if len(classes) == 0 {
		return nil, nil
	}
	var out []edgePart
	for _, p := range spans {
		if p[1].Sub(p[0]) > 24*time.Hour {
			return nil, fmt.Errorf("group %s %d %s: an edge longer than a day is beyond the bench's count", g.kind, g.id, g.gran)
		}
		out = append(out, edgePart{entity: fmt.Sprint(g.kind, g.id, g.zone), from: p[0], to: p[1], classes: classes, below: gi, loc: loc})
	}
	return out, nil
}

// countEdges counts the requests the edge parts need, and how many of them
// merging saves (the requests of the parts counted one by one, less the
// merged count). Parts of one entity over the same span merge (the union of their classes, below the finest
// of their groups' granularities). A merged part costs one request when
// one granularity finer than its groups', and offered by every field
// (not finer than the coarsest class), tiles it exactly; else one request
// per class with a whole bucket of that class inside the part (edgeRequests).
func countEdges(parts []edgePart) (n, saved int) {
	separate := 0
	for _, p := range parts {
		separate += edgeRequests(p)
	}
	merged := map[string]*edgePart{}
	var keys []string
	for _, p := range parts {
		k := fmt.Sprint(p.entity, p.from.Unix(), p.to.Unix())
		m := merged[k]
		if m == nil {
			c := p
			c.classes = slices.Clone(p.classes)
			merged[k] = &c
			keys = append(keys, k)
			continue
		}
		m.below = min(m.below, p.below)
		for _, c := range p.classes {
			if !slices.Contains(m.classes, c) {
				m.classes = append(m.classes, c)
			}
		}
	}
	for _, k := range keys {
		n += edgeRequests(*merged[k])
	}
	return n, separate - n
}

// edgeRequests is what one part costs: one request when a granularity
// finer than its groups', offered by every field (not finer than the
// coarsest class), tiles it exactly; else one per class with a whole
// bucket of that class inside the part.
func edgeRequests(p edgePart) int {
	coarsestFinest := slices.Max(p.classes)
	for i := p.below - 1; i >= coarsestFinest; i-- {
		if aligned(p.from, granOrder[i], p.loc) && aligned(p.to, granOrder[i], p.loc) {
			return 1
		}
	}
	n := 0
	for _, c := range p.classes {
		if a, b := ceilTo(p.from, granOrder[c], p.loc), floorTo(p.to, granOrder[c], p.loc); a.Before(b) {
			n++
		}
	}
	return n
}

// aligned reports whether t is a bucket boundary of gran in loc.
func aligned(t time.Time, gran string, loc *time.Location) bool {
	w := t.In(loc)
	switch gran {
	case "1min":
		return w.Second() == 0 && w.Nanosecond() == 0
	case "5min":
		return w.Minute()%5 == 0
	case "15min":
		return w.Minute()%15 == 0
	case "hourly":
		return w.Minute() == 0
	case "daily":
		return w.Hour() == 0 && w.Minute() == 0
	case "monthly":
		return w.Day() == 1 && w.Hour() == 0 && w.Minute() == 0
	}
	return w.Month() == 1 && w.Day() == 1 && w.Hour() == 0 && w.Minute() == 0
}

// ceilTo is the first boundary of gran at or after t (minute steps, at
// most two days; the zero time beyond).
func ceilTo(t time.Time, gran string, loc *time.Location) time.Time {
	for n := 0; !aligned(t, gran, loc); n++ {
		if n > 2*24*60 {
			return time.Time{}
		}
		t = t.Add(time.Minute)
	}
	return t
}

// floorTo is the last boundary of gran at or before t (as ceilTo).
func floorTo(t time.Time, gran string, loc *time.Location) time.Time {
	for n := 0; !aligned(t, gran, loc); n++ {
		if n > 2*24*60 {
			return time.Time{}
		}
		t = t.Add(-time.Minute)
	}
	return t
}
