package locussim

import (
	"fmt"
	"math"
	"time"
)

// MinuteValues is the simulator's raw 1-minute series of one field: the
// value of field (a shortName the entity's dataavailable lists, such as
// Wh_sum or W_avg) of site s (c nil) or component c for each whole minute
// of [from, to), before the response's rounding to 3 decimals. A minute
// without data (before startup, after now, in a gap) is NaN. It is the
// oracle tests check the plugin's numbers against: a data response's
// bucket is the aggregate of these minutes (sum: their sum; avg: the mean
// of the minutes with data; min/max: their least/greatest).
func (s *Server) MinuteValues(st *Site, c *Component, field string, from, to time.Time) ([]float64, error) {
	spec, ok := resolveField(entityFields(st, c), field)
	if !ok {
		return nil, fmt.Errorf("field %q is not in the entity's dataavailable", field)
	}
	m0, m1 := floorDiv(from.Unix(), 60), floorDiv(to.Unix(), 60)
	if m1 < m0 {
		return nil, fmt.Errorf("range %s to %s is reversed", from, to)
	}
	out := make([]float64, m1-m0)
	need := needOf([]fieldSpec{spec})
	ev := s.w.newEvaluator(st, c, m0, m1)
	var stats [nChan]chanStat
	for m := m0; m < m1; m++ {
		ev.stats(m, m+1, need, false, &stats)
		v, ok := spec.value(&stats)
		if !ok {
			v = math.NaN()
		}
		out[m-m0] = v
	}
	return out, nil
}
