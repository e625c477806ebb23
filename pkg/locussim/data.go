package locussim

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// baseFieldJSON is a dataavailable entry.
type baseFieldJSON struct {
	BaseField       string           `json:"baseField"`
	LongName        string           `json:"longName"`
	Source          string           `json:"source"`
	Unit            string           `json:"unit"`
	Aggregations    []map[string]any `json:"aggregations"`
	FieldParameters []map[string]any `json:"fieldParameters,omitempty"`
	Granularities   []string         `json:"granularities"`
}

func writeDataAvailable(w http.ResponseWriter, defs []baseFieldDef) {
	out := make([]baseFieldJSON, 0, len(defs))
	for _, d := range defs {
		b := baseFieldJSON{BaseField: d.baseField, LongName: d.longName, Source: d.source, Unit: d.unit, Granularities: d.grans}
		for _, a := range d.aggs {
			b.Aggregations = append(b.Aggregations, map[string]any{"shortName": a.shortName, "aggregation": aggNames[a.kind]})
		}
		if d.params {
			b.FieldParameters = fieldParameters
		}
		out = append(out, b)
	}
	writeJSON(w, http.StatusOK, map[string]any{"statusCode": 200, "baseFields": out})
}

func (s *Server) componentDataAvailable(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.lookupComponent(w, r); ok {
		writeDataAvailable(w, entityFields(c.site, c))
	}
}

func (s *Server) siteDataAvailable(w http.ResponseWriter, r *http.Request) {
	if st, ok := s.lookupSite(w, r); ok {
		writeDataAvailable(w, entityFields(st, nil))
	}
}

func (s *Server) bulkDataAvailable(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.lookupPartner(w, r); ok {
		writeDataAvailable(w, bulkFields)
	}
}

func (s *Server) componentData(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.lookupComponent(w, r); ok {
		s.serveData(w, r, c.site, c)
	}
}

func (s *Server) siteData(w http.ResponseWriter, r *http.Request) {
	if st, ok := s.lookupSite(w, r); ok {
		s.serveData(w, r, st, nil)
	}
}

// parseFields resolves the fields parameter against defs for gran.
func parseFields(raw string, defs []baseFieldDef, gran, entity string) ([]fieldSpec, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, fmt.Errorf("fields is required: a comma-separated list of shortNames from %s dataavailable (%s)", entity, shortNames(defs))
	}
	var specs []fieldSpec
	seen := map[string]bool{}
	for _, name := range strings.Split(raw, ",") {
		name = strings.TrimSpace(name)
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		f, ok := resolveField(defs, name)
		if !ok {
			if len(defs) == 0 {
				return nil, fmt.Errorf("field %s is not available for this %s: it has no data fields", name, entity)
			}
			return nil, fmt.Errorf("field %s is not available for this %s; valid fields: %s", name, entity, shortNames(defs))
		}
		if !slices.Contains(f.def.grans, gran) {
			return nil, fmt.Errorf("field %s is not available at gran=%s; its granularities: %s", name, gran, strings.Join(f.def.grans, ", "))
		}
		specs = append(specs, f)
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("fields is required: a comma-separated list of shortNames from %s dataavailable (%s)", entity, shortNames(defs))
	}
	return specs, nil
}

// serveData answers a site (c nil) or component data request.
func (s *Server) serveData(w http.ResponseWriter, r *http.Request, st *Site, c *Component) {
	q := r.URL.Query()
	entity := "site"
	if c != nil {
		entity = "component"
	}
	loc, err := loadTZ(q.Get("tz"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	gran := q.Get("gran")
	switch {
	case gran == "":
		writeError(w, http.StatusBadRequest, "gran is required: one of "+strings.Join(gransAll, ", "))
		return
	case !slices.Contains(gransAll, gran):
		writeError(w, http.StatusBadRequest, "unknown gran "+quote(gran)+": use one of "+strings.Join(gransAll, ", "))
		return
	case gran == "latest" && c == nil:
		writeError(w, http.StatusBadRequest, "gran=latest is only available for components; sites accept "+strings.Join(gransNoLatest, ", "))
		return
	}
	specs, err := parseFields(q.Get("fields"), entityFields(st, c), gran, entity)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	id := st.ID
	if c != nil {
		id = c.ID
	}
	need := needOf(specs)
	if gran == "latest" {
		s.serveLatest(w, st, c, specs, need, loc)
		return
	}
	start, end, err := parseRange(q, loc)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := checkSpan(gran, start, end); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	bs := buckets(gran, start, end, loc)
	rw := newRowWriter(len(bs), len(specs))
	rw.tsOffset = s.Faults().TSOffset
	if len(bs) > 0 {
		ev := s.w.newEvaluator(st, c, bs[0].m0, bs[len(bs)-1].m1)
		ev.sumsOnly = sumsOnly(specs)
		quarters := granStep(gran) == 0 || granStep(gran) >= 15*time.Minute
		var stats [nChan]chanStat
		for _, b := range bs {
			ev.stats(b.m0, b.m1, need, quarters, &stats)
			rw.row(id, b.ts, specs, &stats, false)
		}
	}
	rw.finish(w)
}

// serveLatest answers gran=latest: the newest minute with data, one point.
func (s *Server) serveLatest(w http.ResponseWriter, st *Site, c *Component, specs []fieldSpec, need chanMask, loc *time.Location) {
	now := s.w.nowMin()
	const lookback = 40 * 24 * 60
	ev := s.w.newEvaluator(st, c, now-lookback, now)
	rw := newRowWriter(1, len(specs))
	rw.tsOffset = s.Faults().TSOffset
	var v [nChan]float64
	var stats [nChan]chanStat
	for m := ev.hi - 1; m >= ev.lo; m-- {
		ev.minute(m, need, &v)
		found := false
		for i := range stats {
			stats[i].reset()
			if need.has(channel(i)) && !math.IsNaN(v[i]) {
				stats[i].add(v[i])
				found = true
			}
		}
		if found {
			rw.row(c.ID, time.Unix(m*60, 0).In(loc), specs, &stats, false)
			break
		}
	}
	rw.finish(w)
}

// rowWriter builds a {"statusCode":200,"data":[...]} body by hand: data
// bodies are the bulk of the traffic and have dynamic keys.
type rowWriter struct {
	buf     []byte
	first   bool
	scratch []float64
	// tsOffset is the Faults.TSOffset knob in force for the response.
	tsOffset string
}

func newRowWriter(rows, fields int) *rowWriter {
	b := make([]byte, 0, 64+rows*(48+fields*16))
	b = append(b, `{"statusCode":200,"data":[`...)
	return &rowWriter{buf: b, first: true}
}

// row appends one data object computed from bucket stats.
func (rw *rowWriter) row(id int64, ts time.Time, specs []fieldSpec, st *[nChan]chanStat, nulls bool) {
	vs := rw.scratch[:0]
	for _, f := range specs {
		v, ok := f.value(st)
		if !ok {
			v = math.NaN()
		}
		vs = append(vs, v)
	}
	rw.scratch = vs
	rw.rowValues(id, ts, specs, vs, nulls)
}

// rowValues appends one data object; NaN values are left out, or written
// as null (bulk) when nulls is true.
func (rw *rowWriter) rowValues(id int64, ts time.Time, specs []fieldSpec, vals []float64, nulls bool) {
	if !rw.first {
		rw.buf = append(rw.buf, ',')
	}
	rw.first = false
	rw.buf = append(rw.buf, `{"id":`...)
	rw.buf = strconv.AppendInt(rw.buf, id, 10)
	rw.buf = append(rw.buf, `,"ts":"`...)
	switch rw.tsOffset {
	case TSOffsetNone:
		rw.buf = ts.AppendFormat(rw.buf, WallLayout)
	case TSOffsetUTC:
		rw.buf = ts.UTC().AppendFormat(rw.buf, TSLayout)
	default:
		rw.buf = ts.AppendFormat(rw.buf, TSLayout)
	}
	rw.buf = append(rw.buf, '"')
	for i, f := range specs {
		v := vals[i]
		if math.IsNaN(v) && !nulls {
			continue
		}
		rw.buf = append(rw.buf, `,"`...)
		rw.buf = append(rw.buf, f.name...)
		rw.buf = append(rw.buf, `":`...)
		if math.IsNaN(v) {
			rw.buf = append(rw.buf, "null"...)
			continue
		}
		rw.buf = appendMilli(rw.buf, v)
	}
	rw.buf = append(rw.buf, '}')
}

func (rw *rowWriter) finish(w http.ResponseWriter) {
	rw.buf = append(rw.buf, "]}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(rw.buf)
}

// bulkData answers partner bulk site data: monthly only, at most a year,
// one row per site with components and month, null for fields a site
// cannot have.
func (s *Server) bulkData(w http.ResponseWriter, r *http.Request) {
	p, ok := s.lookupPartner(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	loc, err := loadTZ(q.Get("tz"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	gran := q.Get("gran")
	if gran != "monthly" {
		if gran == "" {
			writeError(w, http.StatusBadRequest, "gran is required; bulk data only accepts gran=monthly")
		} else {
			writeError(w, http.StatusBadRequest, "bulk data only accepts gran=monthly, got "+quote(gran))
		}
		return
	}
	specs, err := parseFields(q.Get("fields"), bulkFields, gran, "partner bulk request")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	start, end, err := parseRange(q, loc)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := checkBulkSpan(start, end); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	bs := buckets(gran, start, end, loc)
	need := needOf(specs)
	sites := s.Fleet().SitesOfPartner(p.ID)
	rw := newRowWriter(len(bs)*len(sites), len(specs))
	rw.tsOffset = s.Faults().TSOffset
	if len(bs) > 0 {
		vals := s.bulkValues(r.Context(), sites, bs, specs, need)
		if vals == nil {
			return // cancelled
		}
		for i, st := range sites {
			if len(st.Components) == 0 {
				continue
			}
			for j, b := range bs {
				rw.rowValues(st.ID, b.ts, specs, vals[i][j*len(specs):(j+1)*len(specs)], true)
			}
		}
	}
	rw.finish(w)
}

// appendMilli appends v rounded to 3 decimals in its shortest form
// (23.717, 5936, -0.5): integer arithmetic, much faster than strconv's
// shortest float formatting on multi-megabyte bodies.
func appendMilli(b []byte, v float64) []byte {
	if math.IsInf(v, 0) || math.Abs(v) >= 1e15 {
		return strconv.AppendFloat(b, round(v, 3), 'f', -1, 64)
	}
	m := int64(math.Round(v * 1000))
	if m < 0 {
		b = append(b, '-')
		m = -m
	}
	b = strconv.AppendInt(b, m/1000, 10)
	frac := m % 1000
	if frac == 0 {
		return b
	}
	digits := [3]byte{byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	n := 3
	for digits[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, digits[:n]...)
}
