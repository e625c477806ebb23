package planner

import "time"

// BulkSpanYears is the longest span of one bulk site data request
// (/partners/{id}/sites/data): monthly only, `end` at most one year after
// `start`, both read as wall-clock times in the request's zone (v3 reference,
// "Get bulk site data"). The simulator enforces the same rule.
const BulkSpanYears = 1

// BulkChunks widens [from, to) to whole months in loc (bulk data is monthly
// only, so a cut month is fetched whole) and splits the result into bulk
// requests, in order, each spanning at most BulkSpanYears: every request but
// the last spans exactly BulkSpanYears. It fails as Align does (an empty or
// reversed range, a zone without boundaries).
func BulkChunks(from, to time.Time, loc *time.Location) ([]Chunk, error) {
	start, end, err := Align(from, to, Monthly, loc)
	if err != nil {
		return nil, err
	}
	var out []Chunk
	for cur := start; cur.Before(end); {
		next := cur.AddDate(BulkSpanYears, 0, 0)
		if next.After(end) {
			next = end
		}
		out = append(out, Chunk{Start: cur, End: next})
		cur = next
	}
	return out, nil
}
