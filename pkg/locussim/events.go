package locussim

import "time"

// Alert types, as the API names them.
const (
	AlertSystemDisconnect   = "System Disconnect"
	AlertZeroGeneration     = "Zero Generation"
	AlertDeviceFault        = "Device Fault"
	AlertPerformanceIndex   = "Performance Index"
	AlertStringsPerformance = "Strings Performance"
	// AlertPerformanceYield is documented (Locus v3 API reference) but never generated here.
	AlertPerformanceYield = "Performance Yield"
)

// AlertTypes lists every alert type the simulator accepts in filters (all
// documented types; every one but Performance Yield is also generated).
var AlertTypes = []string{AlertDeviceFault, AlertPerformanceIndex, AlertPerformanceYield, AlertStringsPerformance, AlertSystemDisconnect, AlertZeroGeneration}

// Events are outages and faults. Each lives inside one 16-day epoch of one
// component (at most one per epoch), so the events touching any window are
// found by hashing only the epochs it overlaps; boundaries fall on
// quarter-hours so they line up with every granularity the data offers.
const (
	epochMinutes = 16 * 24 * 60
	quarterMin   = 15
)

// eventEpochStart is the Unix minute of epoch 0.
var eventEpochStart = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).Unix() / 60

// event is one outage or fault of a component. Minutes are Unix minutes;
// end is exclusive. An event whose end lies after now is open.
type event struct {
	id        int64
	comp      *Component
	alertType string
	priority  string
	start     int64
	end       int64
	// factor multiplies the component's output while the event lasts
	// (0 for zero generation and device faults); gap means no data at all.
	factor float64
	gap    bool
	// limitW, when positive, caps the inverter's AC output at this many
	// watts instead of applying factor (an export or firmware power limit).
	limitW      float64
	short, long string
}

type faultText struct{ short, long string }

var deviceFaults = []faultText{
	{"VDC high", "A voltage higher than 1000 V is present on the DC bus. (Resettable)"},
	{"Ground fault", "Ground fault detected on the DC array: insulation resistance below the trip threshold."},
	{"Grid overvoltage", "AC grid voltage exceeded the upper trip limit; the inverter disconnected. (Resettable)"},
	{"Overtemperature", "Heat sink temperature exceeded 85 °C; the inverter stopped to protect itself."},
	{"Arc fault", "An arc fault was detected on a DC string; a manual reset is required."},
	{"Fan failure", ""},
	{"Contactor fault", "The AC contactor failed to close during the grid connection sequence."},
}

// epochEvent returns the event of component c in epoch e, if any.
func epochEvent(seed uint64, c *Component, e int64) (event, bool) {
	h := hash4(seed, saltEvent, uint64(c.ID), uint64(e))
	var p float64
	switch c.NodeType {
	case NodeInverter:
		p = 0.14
	case NodeMeter:
		p = 0.06
	default:
		p = 0.05
	}
	if unit(h) >= p {
		return event{}, false
	}
	ev := event{comp: c, id: c.ID*10000 + e%10000}
	h2 := mix(h ^ 0x5bd1e995)
	dur := func(loMin, hiMin int64) int64 {
		return (loMin + int64(unit(mix(h2^1))*float64(hiMin-loMin))) / quarterMin * quarterMin
	}
	var d int64
	switch c.NodeType {
	case NodeInverter:
		switch u := unit(h2); {
		case u < 0.4:
			ev.alertType, ev.priority, ev.factor = AlertZeroGeneration, "High", 0
			d = dur(120, 30*60)
		case u < 0.75:
			ev.alertType, ev.priority, ev.factor = AlertDeviceFault, "Medium", 0
			d = dur(60, 48*60)
			if d > 24*60 {
				ev.priority = "High"
			}
			ft := deviceFaults[pick(mix(h2^2), len(deviceFaults))]
			ev.short, ev.long = ft.short, ft.long
		case u < 0.9:
			ev.alertType, ev.priority = AlertPerformanceIndex, "Low"
			ev.factor = between(mix(h2^3), 0.6, 0.8)
			d = dur(2*24*60, 8*24*60)
		default:
			ev.alertType, ev.priority = AlertStringsPerformance, "Low"
			ev.factor = between(mix(h2^3), 0.8, 0.9)
			d = dur(3*24*60, 10*24*60)
		}
	default:
		ev.alertType, ev.priority, ev.gap = AlertSystemDisconnect, "High", true
		d = dur(60, 3*24*60)
	}
	d = max(d, quarterMin)
	slots := (epochMinutes - d) / quarterMin
	epoch0 := eventEpochStart + e*epochMinutes
	ev.start = epoch0 + int64(unit(mix(h2^4))*float64(slots))*quarterMin
	if ev.alertType == AlertZeroGeneration {
		// Zero generation is only noticed when generation is expected: move
		// the start into the morning (solar time) of its day when that
		// keeps the event inside its epoch.
		solarOffset := int64(c.site.Longitude * 4) // minutes east of UTC, solar
		local := ev.start + solarOffset
		day := floorDiv(local, 1440) * 1440
		for _, shift := range []int64{0, -1440, 1440, -2880} {
			morning := day + shift + 7*60 + int64(unit(mix(h2^5))*300) - solarOffset
			morning = floorDiv(morning, quarterMin) * quarterMin
			if morning >= epoch0 && morning+d <= epoch0+epochMinutes {
				ev.start = morning
				break
			}
		}
	}
	ev.end = ev.start + d
	return ev, true
}

// anchoredEvents are open alerts placed relative to the simulator's start
// time so that a fresh fleet always shows some current problems.
func anchoredEvents(f *Fleet, partnerID int64, anchorMin int64) map[int64][]event {
	out := map[int64][]event{}
	base := anchorMin / quarterMin * quarterMin
	sites := f.SitesOfPartner(partnerID)
	add := func(ev event) {
		if ev.start >= ev.comp.site.startup {
			out[ev.comp.ID] = append(out[ev.comp.ID], ev)
		}
	}
	if len(sites) > 1 {
		if inv := sites[1].ComponentsOfType(NodeInverter); len(inv) > 0 {
			c := inv[0]
			add(event{id: c.ID*10000 + 9999, comp: c, alertType: AlertDeviceFault, priority: "High",
				start: base - 26*60, end: base + 14*24*60, factor: 0,
				short: "Ground fault", long: "Ground fault detected on the DC array: insulation resistance below the trip threshold."})
		}
	}
	if len(sites) > 0 {
		if inv := sites[0].ComponentsOfType(NodeInverter); len(inv) > 0 {
			c := inv[len(inv)-1]
			add(event{id: c.ID*10000 + 9998, comp: c, alertType: AlertPerformanceIndex, priority: "Low",
				start: base - 3*24*60, end: base + 10*24*60, factor: 0.7})
		}
	}
	return out
}

// Kinds of known underperformers.
const (
	FaultSoiling      = "soiling"
	FaultFailedString = "failed string"
	FaultClipping     = "clipping"
	FaultOutage       = "outage"
)

// Underperformer is a site of the main partner with a fault placed
// relative to the simulator's start (Config.Now), whose effect on the
// measured output is known in advance; the modelled (W_m, Wh_m) and
// expected (Wh_e) fields do not see it. Its alerts are served like any
// other. While the fault lasts, the site has no other events.
type Underperformer struct {
	SiteID int64
	Kind   string
	// Start and End (exclusive) bound the fault, on UTC midnights; End may
	// lie after now.
	Start, End time.Time
	// OutputFactor multiplies every affected inverter's measured output
	// (soiling, failed string, outage); 1 for clipping.
	OutputFactor float64
	// LimitShareOfDC, for clipping, caps every inverter's AC output at this
	// share of its DC size (W per Wp); 0 otherwise.
	LimitShareOfDC float64
	// InverterIDs are the affected inverters.
	InverterIDs []int64
}

// Known underperformers' effects (documented in README.md).
const (
	soilingFactor      = 0.6 // heavy soiling: 40 % less light reaches the cells
	failedStringFactor = 0.5 // one of the inverter's two strings open
	clipLimitShare     = 0.3 // AC output limited to 30 % of DC size
)

// underperformers places the known faults on the main partner's sites
// (never the first two, which carry the anchored alerts): a soiled site,
// a single-inverter site with a failed string, a power-limited (clipping)
// site and a site-wide outage. With D the UTC midnight of the start day,
// the first three last [D-10d, D+5d), the outage [D-4d, D+1d): a fresh
// simulator shows them in the last days and they stay visible for days.
// Events are at most 15 days long (an event must not outlast the 16-day
// epoch the evaluator scans back).
func underperformers(f *Fleet, partnerID int64, anchorMin int64) []Underperformer {
	day := floorDiv(anchorMin, 1440) * 1440
	start, end := day-10*1440, day+5*1440
	utc := func(m int64) time.Time { return time.Unix(m*60, 0).UTC() }
	kinds := []string{FaultFailedString, FaultSoiling, FaultClipping, FaultOutage}
	used := map[int64]bool{}
	var out []Underperformer
	sites := f.SitesOfPartner(partnerID)
	for _, kind := range kinds {
		for i := 2; i < len(sites); i++ {
			s := sites[i]
			invs := s.ComponentsOfType(NodeInverter)
			if used[s.ID] || !s.HasLocation || len(invs) == 0 || s.startup > start {
				continue
			}
			if kind == FaultFailedString && len(invs) != 1 {
				continue
			}
			u := Underperformer{SiteID: s.ID, Kind: kind, Start: utc(start), End: utc(end), OutputFactor: 1}
			switch kind {
			case FaultSoiling:
				u.OutputFactor = soilingFactor
			case FaultFailedString:
				u.OutputFactor = failedStringFactor
			case FaultClipping:
				u.LimitShareOfDC = clipLimitShare
			case FaultOutage:
				u.OutputFactor = 0
				u.Start, u.End = utc(day-4*1440), utc(day+1440)
			}
			for _, c := range invs {
				u.InverterIDs = append(u.InverterIDs, c.ID)
			}
			used[s.ID] = true
			out = append(out, u)
			break
		}
	}
	return out
}

// events returns the underperformer's inverter events.
func (u Underperformer) events(f *Fleet) []event {
	var out []event
	for _, id := range u.InverterIDs {
		c := f.Component(id)
		ev := event{id: c.ID*10000 + 9990, comp: c, start: u.Start.Unix() / 60, end: u.End.Unix() / 60, factor: u.OutputFactor}
		switch u.Kind {
		case FaultSoiling:
			ev.alertType, ev.priority = AlertPerformanceIndex, "Low"
		case FaultFailedString:
			ev.alertType, ev.priority = AlertStringsPerformance, "Medium"
		case FaultClipping:
			ev.alertType, ev.priority = AlertPerformanceIndex, "Low"
			ev.limitW = u.LimitShareOfDC * c.DCSizeW
		case FaultOutage:
			ev.alertType, ev.priority = AlertZeroGeneration, "High"
		}
		out = append(out, ev)
	}
	return out
}

// eventsOf returns the events of component c that overlap [from, to),
// visible at nowMin (started before it), in start order.
func (w *world) eventsOf(c *Component, from, to int64) []event {
	var out []event
	anch := w.anchored[c.ID]
	e0 := floorDiv(from-eventEpochStart, epochMinutes)
	e1 := floorDiv(to-1-eventEpochStart, epochMinutes)
	anchorEpoch := floorDiv(w.anchorMin-eventEpochStart, epochMinutes)
	for e := e0; e <= e1; e++ {
		if (len(anch) > 0 || w.quiet[c.SiteID]) && e >= anchorEpoch-1 {
			break
		}
		ev, ok := epochEvent(w.seed, c, e)
		if !ok || ev.start < c.site.startup || ev.start >= w.nowMin() || ev.end <= from || ev.start >= to {
			continue
		}
		out = append(out, ev)
	}
	for _, ev := range anch {
		if ev.start < w.nowMin() && ev.end > from && ev.start < to {
			out = append(out, ev)
		}
	}
	return out
}
