package locussim

import (
	"math"
	"time"
)

// chanStat accumulates one channel over a bucket.
type chanStat struct {
	sum, min, max float64
	n             int
}

func (c *chanStat) reset() { *c = chanStat{min: math.Inf(1), max: math.Inf(-1)} }

func (c *chanStat) add(v float64) {
	c.sum += v
	c.n++
	c.min = math.Min(c.min, v)
	c.max = math.Max(c.max, v)
}

// addLinear adds the n minutes of a linear run from first to last.
func (c *chanStat) addLinear(first, last float64, n int) {
	c.sum += float64(n) * (first + last) / 2
	c.n += n
	c.min = math.Min(c.min, math.Min(first, last))
	c.max = math.Max(c.max, math.Max(first, last))
}

// bucket is one output interval [m0, m1) in Unix minutes, labelled ts.
type bucket struct {
	ts     time.Time
	m0, m1 int64
}

// stats accumulates the channels in need over minutes [m0, m1). With
// quarters true (buckets of 15 minutes or more), whole quarter-hours whose
// channels are all linear are summed in closed form from two minutes.
func (e *evaluator) stats(m0, m1 int64, need chanMask, quarters bool, st *[nChan]chanStat) {
	for c := range st {
		st[c].reset()
	}
	m0, m1 = max(m0, e.lo), min(m1, e.hi)
	var v, v2 [nChan]float64
	addMinute := func(m int64) {
		e.minute(m, need, &v)
		for c := channel(0); c < nChan; c++ {
			if need.has(c) && !math.IsNaN(v[c]) {
				st[c].add(v[c])
			}
		}
	}
	fast := quarters && need&^linearChans == 0
	m := m0
	for m < m1 {
		if !fast || m%quarterMin != 0 || m+quarterMin > m1 {
			addMinute(m)
			m++
			continue
		}
		c1 := e.minute(m, need, &v)
		c2 := e.minute(m+quarterMin-1, need, &v2)
		linear := !c1 && !c2
		for c := channel(0); c < nChan && linear; c++ {
			if need.has(c) && math.IsNaN(v[c]) != math.IsNaN(v2[c]) {
				linear = false
			}
		}
		if !linear {
			for k := int64(0); k < quarterMin; k++ {
				addMinute(m + k)
			}
		} else {
			for c := channel(0); c < nChan; c++ {
				if need.has(c) && !math.IsNaN(v[c]) {
					st[c].addLinear(v[c], v2[c], quarterMin)
				}
			}
		}
		m += quarterMin
	}
}

// value computes a field from its bucket's channel stats; ok is false when
// the bucket holds no data for it.
func (f fieldSpec) value(st *[nChan]chanStat) (float64, bool) {
	s := &st[f.def.ch]
	if s.n == 0 {
		return 0, false
	}
	switch f.kind {
	case aggAvg:
		return s.sum / float64(s.n), true
	case aggMax:
		return s.max, true
	case aggMin:
		return s.min, true
	case aggSum:
		scale := f.def.scale
		if scale == 0 {
			scale = 1
		}
		return s.sum * scale, true
	case aggRatio:
		d := &st[f.def.ch2]
		if d.n == 0 || d.sum <= 0 {
			return 0, false
		}
		return s.sum / d.sum, true
	case aggRatio2:
		d, g, gt := &st[f.def.ch2], &st[f.def.ch3], &st[f.def.ch4]
		if d.n == 0 || g.n == 0 || gt.n == 0 || d.sum <= 0 || g.sum <= 0 || gt.sum <= 0 {
			return 0, false
		}
		return (s.sum / d.sum) / (g.sum / gt.sum), true
	}
	return 0, false
}
