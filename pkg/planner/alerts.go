package planner

import "time"

// PartnerAlertWindowDays is the longest openDuringMin..openDuringMax window
// one partner alerts call may span (v3 reference, "Get alerts for partner":
// "Open during time period is limited to 31 days"). Site and component
// alerts have no such limit.
const PartnerAlertWindowDays = 31

// AlertWindows splits [from, to) into the openDuring windows of alerts
// calls, in order, covering it exactly. For the partner scope each window
// spans at most PartnerAlertWindowDays calendar days in loc (the zone sent
// as tz, in which Locus measures the window); for site and component scope
// the whole range is one window, one call. An empty range has no window.
func AlertWindows(from, to time.Time, partner bool, loc *time.Location) []Chunk {
	if !from.Before(to) {
		return nil
	}
	if !partner {
		return []Chunk{{Start: from, End: to}}
	}
	var out []Chunk
	for cur := from; cur.Before(to); {
		next := cur.In(loc).AddDate(0, 0, PartnerAlertWindowDays)
		if next.After(to) {
			next = to
		}
		out = append(out, Chunk{Start: cur, End: next})
		cur = next
	}
	return out
}
