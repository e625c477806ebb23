package locussim

import (
	"math"
	"sort"
)

// invEval is an inverter's contribution during one evaluation.
type invEval struct {
	c      *Component
	health float64
	events []event
	gapped bool // its meter is disconnected
}

// meterEval groups a meter's inverters and its disconnections.
type meterEval struct {
	c      *Component
	invs   []*invEval
	events []event
}

// evaluator produces an entity's per-minute channel values over a window.
// A minute value is NaN when there is no data.
type evaluator struct {
	w      *world
	site   *Site
	comp   *Component // nil for the site itself
	meters []*meterEval
	inv    *invEval   // the entity itself when it is an inverter
	wsEvts []event    // weather station disconnections
	lo, hi int64      // minutes with data: [max(startup, from), min(now, to))
	blk    *nodeBlock // current node block
	derate float64
	capW   float64

	// Fast path when no event is active and no inverter clips: power is
	// linear in pdc with these coefficients.
	allEvents       []event    // every event of the evaluated inverters and meters, by start
	invs            []*invEval // every evaluated inverter
	sumDC, sumDCh   float64    // Σ DC size, Σ DC size × health
	clipAt, clipAtT float64    // pdc (measured / modelled) above which some inverter clips
	loss            float64
	// sumsOnly says no requested field needs a minimum or maximum.
	sumsOnly bool
}

// newEvaluator prepares the evaluation of a site (comp nil) or component
// for minutes [from, to).
func (w *world) newEvaluator(s *Site, comp *Component, from, to int64) *evaluator {
	e := &evaluator{w: w, site: s, comp: comp, derate: s.derate()}
	e.lo = max(from, s.startup)
	e.hi = min(to, w.nowMin())
	if e.hi <= e.lo {
		return e
	}
	mkInv := func(c *Component) *invEval {
		return &invEval{c: c, health: s.health * c.health, events: w.eventsOf(c, e.lo, e.hi)}
	}
	mkMeter := func(m *Component, invs []*Component) *meterEval {
		me := &meterEval{c: m, events: w.eventsOf(m, e.lo, e.hi)}
		for _, c := range invs {
			me.invs = append(me.invs, mkInv(c))
		}
		return me
	}
	switch {
	case comp == nil:
		for _, c := range s.Components {
			if c.NodeType == NodeMeter {
				e.meters = append(e.meters, mkMeter(c, c.inverters))
			}
		}
	case comp.NodeType == NodeMeter:
		e.meters = []*meterEval{mkMeter(comp, comp.inverters)}
	case comp.NodeType == NodeInverter:
		parent := w.fleet().Component(comp.ParentID)
		me := mkMeter(parent, []*Component{comp})
		e.meters = []*meterEval{me}
		e.inv = me.invs[0]
	default:
		e.wsEvts = w.eventsOf(comp, e.lo, e.hi)
	}
	e.clipAt, e.clipAtT, e.loss = math.Inf(1), math.Inf(1), acLossFactor
	if e.inv != nil {
		e.loss = 1
	}
	for _, m := range e.meters {
		e.allEvents = append(e.allEvents, m.events...)
		for _, iv := range m.invs {
			e.capW += iv.c.ACCapacityW
			e.sumDC += iv.c.DCSizeW
			e.sumDCh += iv.c.DCSizeW * iv.health
			e.allEvents = append(e.allEvents, iv.events...)
			e.invs = append(e.invs, iv)
			if iv.c.DCSizeW > 0 {
				e.clipAt = math.Min(e.clipAt, iv.c.ACCapacityW/(iv.c.DCSizeW*math.Max(iv.health, 1)))
				e.clipAtT = math.Min(e.clipAtT, iv.c.ACCapacityW/iv.c.DCSizeW)
			}
		}
	}
	sort.Slice(e.allEvents, func(i, j int) bool { return e.allEvents[i].start < e.allEvents[j].start })
	return e
}

// nextEventStart returns the first event start after minute m (MaxInt64 if none).
func (e *evaluator) nextEventStart(m int64) int64 {
	n := sort.Search(len(e.allEvents), func(i int) bool { return e.allEvents[i].start > m })
	if n < len(e.allEvents) {
		return e.allEvents[n].start
	}
	return math.MaxInt64
}

// anyEventAt reports whether any event of the evaluated components is
// active at minute m (events never overlap their own epoch, but different
// components' events may, so scan those starting before m).
func (e *evaluator) anyEventAt(m int64) bool {
	n := sort.Search(len(e.allEvents), func(i int) bool { return e.allEvents[i].start > m })
	for i := n - 1; i >= 0; i-- {
		if e.allEvents[i].end > m {
			return true
		}
		if m-e.allEvents[i].start > epochMinutes {
			break
		}
	}
	return false
}

// eventAt returns the first event active at minute m.
func eventAt(evs []event, m int64) (event, bool) {
	for _, ev := range evs {
		if m >= ev.start && m < ev.end {
			return ev, true
		}
	}
	return event{}, false
}

// ensureBlock makes e.blk hold quarter q.
func (e *evaluator) ensureBlock(q int64) *nodeBlock {
	if b := e.blk; b != nil && q >= b.q0 && q < b.q0+blockQuarters {
		return b
	}
	e.blk = e.w.block(e.site, q)
	return e.blk
}

// minute evaluates the channels in need at minute m into out (NaN = no
// data). It reports whether any inverter clipped, which makes the minute
// values non-linear between nodes.
func (e *evaluator) minute(m int64, need chanMask, out *[nChan]float64) (clipped bool) {
	for i := range out {
		out[i] = math.NaN()
	}
	if m < e.lo || m >= e.hi {
		return false
	}
	q := floorDiv(m, quarterMin)
	b := e.ensureBlock(q)
	i := int(q - b.q0)
	frac := float64(m-q*quarterMin) / quarterMin
	lerp := func(a *[blockQuarters + 1]float64) float64 { return a[i] + (a[i+1]-a[i])*frac }

	if e.comp != nil && e.comp.NodeType == NodeWeatherStation {
		if _, gap := eventAt(e.wsEvts, m); gap {
			return false
		}
		out[chPOA] = lerp(&b.poa)
		out[chGHI] = lerp(&b.ghi)
		out[chTmpAmb] = lerp(&b.tamb)
		out[chTmpBOM] = lerp(&b.tmod)
		out[chWndSpd] = lerp(&b.wind)
		return false
	}

	pdc := lerp(&b.pdc) * e.derate
	var pdcT float64
	if need.has(chWe) {
		pdcT = lerp(&b.pdcTMY) * e.derate
	}
	if len(e.meters) > 0 && pdc <= e.clipAt && pdc <= e.clipAtT && (!need.has(chWe) || pdcT <= e.clipAtT) && !e.anyEventAt(m) {
		w := pdc * e.sumDCh * e.loss
		out[chW] = w
		out[chWm] = pdc * e.sumDC * e.loss
		if need.has(chWe) {
			out[chWe] = pdcT * e.sumDC * e.loss
		}
		return e.finishMinute(m, need, w, true, lerp, out)
	}
	var wSum, wmSum, weSum float64
	anyMeasured := false
	for _, me := range e.meters {
		_, gap := eventAt(me.events, m)
		var mw, mwm, mwe float64
		for _, iv := range me.invs {
			raw := pdc * iv.c.DCSizeW
			capW := iv.c.ACCapacityW
			wm := raw
			if wm > capW {
				wm, clipped = capW, true
			}
			meas := raw * iv.health
			if meas > capW {
				meas, clipped = capW, true
			}
			if ev, ok := eventAt(iv.events, m); ok {
				if ev.limitW > 0 {
					if meas > ev.limitW {
						meas, clipped = ev.limitW, true
					}
				} else {
					meas *= ev.factor
				}
			}
			mw += meas
			mwm += wm
			if need.has(chWe) {
				we := pdcT * iv.c.DCSizeW
				if we > capW {
					we, clipped = capW, true
				}
				mwe += we
			}
		}
		if e.inv == nil {
			mw, mwm, mwe = mw*acLossFactor, mwm*acLossFactor, mwe*acLossFactor
		}
		if !gap {
			wSum += mw
			anyMeasured = true
		}
		wmSum += mwm
		weSum += mwe
	}
	if anyMeasured {
		out[chW] = wSum
	}
	out[chWm] = wmSum
	if need.has(chWe) {
		out[chWe] = weSum
	}
	return e.finishMinute(m, need, wSum, anyMeasured, lerp, out) || clipped
}

// finishMinute fills the site's irradiance channels or a component's
// electrical ones.
func (e *evaluator) finishMinute(m int64, need chanMask, w float64, measured bool, lerp func(*[blockQuarters + 1]float64) float64, out *[nChan]float64) bool {
	if e.comp == nil {
		if e.site.HasLocation && need&maskOf(chGHIm, chGHIt, chPOAm) != 0 {
			out[chGHIm] = lerp(&e.blk.ghiSat)
			out[chGHIt] = lerp(&e.blk.ghiTMY)
			out[chPOAm] = lerp(&e.blk.poaSat)
		}
		return false
	}
	if measured && need&electricalChans != 0 {
		e.electrical(m, w, out)
	}
	return false
}

// electrical derives the AC quantities of a meter or inverter from its power.
func (e *evaluator) electrical(m int64, w float64, out *[nChan]float64) {
	h := hash3(e.w.seed, saltMinute, uint64(e.comp.ID)<<32^uint64(m))
	load := 0.0
	if e.capW > 0 {
		load = w / e.capW
	}
	vLL := e.comp.vNominal * (1 + 0.006*math.Sin(2*math.Pi*float64(m%1440)/1440) + 0.012*load + 0.004*(unit(h)-0.5))
	hz := 60 + 0.03*(unit(mix(h^1))-0.5)
	pf := 0.0
	if w > 0 {
		pf = 0.96 + 0.035*math.Min(1, load/0.3) + 0.004*(unit(mix(h^2))-0.5)
		pf = math.Min(pf, 1)
	}
	va, vr := 0.0, 0.0
	if pf > 0 {
		va = w / pf
		vr = math.Sqrt(math.Max(0, va*va-w*w))
	}
	imb := 0.01 * (unit(hash2(e.w.seed, uint64(e.comp.ID))) - 0.5)
	out[chPPV] = vLL
	out[chPhV] = vLL / math.Sqrt(3)
	out[chHz] = hz
	out[chPF] = pf
	out[chVA] = va
	out[chVAR] = vr
	out[chA] = va / (math.Sqrt(3) * vLL)
	out[chWphA] = w / 3 * (1 + imb)
	out[chWphB] = w / 3 * (1 - imb/2)
	out[chWphC] = w / 3 * (1 - imb/2)
}
