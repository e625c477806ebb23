package locus

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// granularities are the API's gran values.
var granularities = []string{"latest", "1min", "5min", "15min", "hourly", "daily", "monthly", "yearly"}

// Data fetches one site's or component's data. The Series has one column
// per requested field (null where Locus sent no value), times in UTC. Its
// columns may be shared with the cache: treat them as read-only.
func (a *API) Data(ctx context.Context, r DataRequest) (*Series, error) {
	fields, err := a.checkData(r)
	if err != nil {
		return nil, err
	}
	var q query
	q.add("fields", strings.Join(fields, ","))
	if r.Gran != "latest" || r.Start != "" {
		q.add("start", r.Start)
		q.add("end", r.End)
	}
	q.add("tz", r.TZ)
	q.add("gran", r.Gran)
	for _, k := range slices.Sorted(maps.Keys(r.Params)) {
		q.add(k, r.Params[k])
	}
	path := fmt.Sprintf("/v3/%s/%d/data%s", r.Kind, r.ID, q)
	loc, _ := time.LoadLocation(r.TZ) // checked by checkData
	return getRecycled(ctx, a, path, a.dataTTL(r.End, r.TZ, r.Gran),
		func(body []byte) (*Series, error) {
			t, err := decodeData(body, fields, false, loc)
			if err != nil {
				return nil, err
			}
			return decodedSeries(r.ID, fields, t), nil
		},
		seriesSize, cloneSeries)
}

// BulkData fetches partner-wide monthly site data: one Series per site that
// returned data, ordered by site id. Sites without components are absent;
// fields a site cannot have are null.
func (a *API) BulkData(ctx context.Context, r BulkRequest) ([]Series, error) {
	fields, err := checkFields(r.Fields)
	if err != nil {
		return nil, err
	}
	if err := checkRange("bulk data request", r.Start, r.End, r.TZ); err != nil {
		return nil, err
	}
	var q query
	q.add("fields", strings.Join(fields, ","))
	q.add("start", r.Start)
	q.add("end", r.End)
	q.add("tz", r.TZ)
	q.add("gran", "monthly")
	path := fmt.Sprintf("/v3/partners/%d/sites/data%s", a.cfg.PartnerID, q)
	loc, _ := time.LoadLocation(r.TZ) // checked by checkRange
	return getRecycled(ctx, a, path, a.dataTTL(r.End, r.TZ, "monthly"),
		func(body []byte) ([]Series, error) {
			t, err := decodeData(body, fields, true, loc)
			if err != nil {
				return nil, err
			}
			return t.splitByID(fields), nil
		},
		seriesListSize, func(in []Series) []Series {
			out := make([]Series, len(in))
			for i := range in {
				out[i] = *cloneSeries(&in[i])
			}
			return out
		})
}

func (a *API) checkData(r DataRequest) ([]string, error) {
	if err := checkKind(r.Kind); err != nil {
		return nil, err
	}
	if err := checkID(kindName(r.Kind), r.ID); err != nil {
		return nil, err
	}
	fields, err := checkFields(r.Fields)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(granularities, r.Gran) {
		return nil, badRequest(fmt.Sprintf("data request: granularity %q is not one of %s", r.Gran, strings.Join(granularities, ", ")))
	}
	if r.Gran == "latest" {
		if r.Kind != KindComponent {
			return nil, badRequest("data request: granularity latest is only available for components")
		}
		if err := checkTZ("data request", r.TZ); err != nil {
			return nil, err
		}
		if r.Start == "" && r.End == "" {
			return fields, nil
		}
	}
	if err := checkRange("data request", r.Start, r.End, r.TZ); err != nil {
		return nil, err
	}
	for k, v := range r.Params {
		if !isName(k) {
			return nil, badRequest(fmt.Sprintf("data request: field parameter name %q must be letters and digits, such as modelType", k))
		}
		if strings.TrimSpace(v) == "" {
			return nil, badRequest(fmt.Sprintf("data request: field parameter %s needs a value from dataavailable", k))
		}
	}
	return fields, nil
}

// checkFields validates shortNames and drops duplicates, keeping order.
func checkFields(in []string) ([]string, error) {
	if len(in) == 0 {
		return nil, badRequest("no fields requested: choose shortNames from dataavailable, such as W_avg or Wh_sum")
	}
	out := make([]string, 0, len(in))
	for _, f := range in {
		if !isName(f) {
			return nil, badRequest(fmt.Sprintf("field %q is not a dataavailable shortName (letters, digits and _ only, such as W_avg)", f))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

func isName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func checkTZ(what, tz string) error {
	if strings.TrimSpace(tz) == "" {
		return badRequest(what + ": time zone (tz) is required, an IANA name such as US/Pacific or UTC")
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "Local" {
		return badRequest(fmt.Sprintf("%s: time zone %q is not an IANA name such as US/Pacific, America/New_York or UTC", what, tz))
	}
	return nil
}

// checkRange validates start < end, both YYYY-MM-DDThh:mm:ss, and tz.
func checkRange(what, start, end, tz string) error {
	if err := checkTZ(what, tz); err != nil {
		return err
	}
	s, err := parseWall(what, "start", start)
	if err != nil {
		return err
	}
	e, err := parseWall(what, "end", end)
	if err != nil {
		return err
	}
	if !s.Before(e) {
		return badRequest(fmt.Sprintf("%s: start %s must be before end %s", what, start, end))
	}
	return nil
}

func parseWall(what, name, v string) (time.Time, error) {
	t, err := time.Parse(wallLayout, v)
	if err != nil {
		return time.Time{}, badRequest(fmt.Sprintf("%s: %s %q must be a wall-clock time YYYY-MM-DDThh:mm:ss", what, name, v))
	}
	return t, nil
}

// decodedSeries is the Series of one entity's decoded rows, in time order.
func decodedSeries(id int64, fields []string, t *rowTable) *Series {
	t.sortBy(nil)
	return &Series{ID: id, Times: t.times, Values: columns(fields, t.cols), Timestamps: t.tsReport(0, len(t.times))}
}

// seriesSize is the memory a decoded Series holds, which the cache budgets
// (not its JSON size: a sparse row of many fields is a few bytes of JSON
// but a value per field once decoded): 24 bytes per time, and per field 8
// bytes per row of capacity for the value, plus 1 per row of its validity
// slice when it has one, plus the map and slice headers.
func seriesSize(s *Series, _ []byte) int64 {
	n := int64(128) + int64(cap(s.Times))*24
	for k, col := range s.Values {
		n += 64 + int64(len(k)) + int64(cap(col.Values))*8 + int64(cap(col.Valid))
	}
	return n
}

// seriesListSize is seriesSize summed over a bulk answer.
func seriesListSize(list []Series, body []byte) int64 {
	n := int64(64)
	for i := range list {
		n += seriesSize(&list[i], body)
	}
	return n
}

func columns(fields []string, cols []Column) map[string]Column {
	m := make(map[string]Column, len(fields))
	for i, f := range fields {
		m[f] = cols[i]
	}
	return m
}

// cloneSeries is the caller's copy of a cached series: its own map; the
// time and value columns, read-only by contract, are shared (capacity
// capped, so an append never writes into the cached arrays).
func cloneSeries(s *Series) *Series {
	out := &Series{ID: s.ID, Times: s.Times[:len(s.Times):len(s.Times)], Values: make(map[string]Column, len(s.Values)), Timestamps: s.Timestamps}
	for k, c := range s.Values {
		out.Values[k] = Column{Values: c.Values[:len(c.Values):len(c.Values)], Valid: c.Valid[:len(c.Valid):len(c.Valid)]}
	}
	return out
}
