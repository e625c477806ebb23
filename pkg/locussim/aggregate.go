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
	prefix := fast && e.sumsOnly && need&^prefixChans == 0 && len(e.meters) > 0
	m := m0
	for m < m1 {
		if prefix && m%quarterMin == 0 {
			if next := e.prefixRun(m, m1, need, st); next > m {
				m = next
				continue
			}
		}
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

// prefixChans are the channels prefixRun can sum from block prefix sums.
var prefixChans = maskOf(chW, chWm, chWe, chGHIm, chGHIt, chPOAm)

// prefixRun adds whole quarters from minute m (quarter-aligned) towards m1
// without evaluating minutes: stretches where no event is active and no
// inverter clips come from the node block's prefix sums; other quarters
// from clipSum per inverter, with the events' output factors and gaps
// (event boundaries are quarter-aligned, so a quarter's state is uniform).
// Min and max are not maintained (only used when no field needs them). It
// returns the minute it reached, or m when nothing could be summed.
func (e *evaluator) prefixRun(m, m1 int64, need chanMask, st *[nChan]chanStat) int64 {
	q := m / quarterMin
	b := e.ensureBlock(q)
	i, j := int(q-b.q0), int(min(b.q0+blockQuarters, m1/quarterMin)-b.q0)
	if j <= i {
		return m
	}
	der := e.derate
	limit := math.Min(e.clipAt, e.clipAtT) / der
	limitT := e.clipAtT / der
	withT := need.has(chWe)
	var w, wm, we float64
	nW := 0
	for idx := i; idx < j; {
		mq := (b.q0 + int64(idx)) * quarterMin
		if !e.anyEventAt(mq) {
			end := j
			if next := e.nextEventStart(mq); next < (b.q0+int64(j))*quarterMin {
				end = int(next/quarterMin - b.q0)
			}
			run := idx
			for run < end && b.pdc[run] <= limit && b.pdc[run+1] <= limit && (!withT || b.pdcTMY[run] <= limitT && b.pdcTMY[run+1] <= limitT) {
				run++
			}
			if run > idx {
				w += e.sumDCh * der * (b.pPdc[run] - b.pPdc[idx])
				wm += e.sumDC * der * (b.pPdc[run] - b.pPdc[idx])
				we += e.sumDC * der * (b.pPdcTMY[run] - b.pPdcTMY[idx])
				nW += (run - idx) * quarterMin
				idx = run
				continue
			}
		}
		a0, a1 := b.pdc[idx]*der, b.pdc[idx+1]*der
		t0, t1 := b.pdcTMY[idx]*der, b.pdcTMY[idx+1]*der
		measured := false
		for _, me := range e.meters {
			_, gap := eventAt(me.events, mq)
			var mw float64
			for _, iv := range me.invs {
				dch := iv.c.DCSizeW * iv.health
				capDC := iv.c.ACCapacityW / iv.c.DCSizeW
				if !gap {
					f, limW := 1.0, iv.c.ACCapacityW
					if ev, ok := eventAt(iv.events, mq); ok {
						if ev.limitW > 0 {
							limW = math.Min(limW, ev.limitW)
						} else {
							f = ev.factor
						}
					}
					mw += f * dch * clipSum(a0, a1, limW/dch)
				}
				wm += iv.c.DCSizeW * clipSum(a0, a1, capDC)
				if withT {
					we += iv.c.DCSizeW * clipSum(t0, t1, capDC)
				}
			}
			if !gap {
				w += mw
				measured = true
			}
		}
		if measured {
			nW += quarterMin
		}
		idx++
	}
	n := (j - i) * quarterMin
	if need.has(chW) && nW > 0 {
		st[chW].sum += w * e.loss
		st[chW].n += nW
	}
	if need.has(chWm) {
		st[chWm].sum += wm * e.loss
		st[chWm].n += n
	}
	if withT {
		st[chWe].sum += we * e.loss
		st[chWe].n += n
	}
	if e.comp == nil && e.site.HasLocation {
		if need.has(chGHIm) {
			st[chGHIm].sum += b.pGhiSat[j] - b.pGhiSat[i]
			st[chGHIm].n += n
		}
		if need.has(chGHIt) {
			st[chGHIt].sum += b.pGhiTMY[j] - b.pGhiTMY[i]
			st[chGHIt].n += n
		}
		if need.has(chPOAm) {
			st[chPOAm].sum += b.pPoaSat[j] - b.pPoaSat[i]
			st[chPOAm].n += n
		}
	}
	return (b.q0 + int64(j)) * quarterMin
}

// clipSum is the sum over k = 0..14 of min(a + (b-a)k/15, limit): a
// quarter's minute values interpolated from a to b, clipped at limit.
func clipSum(a, b, limit float64) float64 {
	last := a + (b-a)*(quarterMin-1)/quarterMin
	switch {
	case a <= limit && last <= limit:
		return quarterMin * (a + last) / 2
	case a >= limit && last >= limit:
		return quarterMin * limit
	}
	d := (b - a) / quarterMin
	kc := (limit - a) / d // where the line meets the limit
	if d > 0 {
		n := min(max(int(math.Floor(kc))+1, 0), quarterMin) // k = 0..n-1 below the limit
		fn := float64(n)
		return fn*a + d*fn*(fn-1)/2 + float64(quarterMin-n)*limit
	}
	n0 := min(max(int(math.Ceil(kc)), 0), quarterMin) // k = n0..14 below the limit
	cnt := float64(quarterMin - n0)
	return cnt*a + d*float64(n0+quarterMin-1)*cnt/2 + float64(n0)*limit
}
