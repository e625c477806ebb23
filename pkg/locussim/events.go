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
	factor      float64
	gap         bool
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

// eventsOf returns the events of component c that overlap [from, to),
// visible at nowMin (started before it), in start order.
func (w *world) eventsOf(c *Component, from, to int64) []event {
	var out []event
	anch := w.anchored[c.ID]
	e0 := floorDiv(from-eventEpochStart, epochMinutes)
	e1 := floorDiv(to-1-eventEpochStart, epochMinutes)
	anchorEpoch := floorDiv(w.anchorMin-eventEpochStart, epochMinutes)
	for e := e0; e <= e1; e++ {
		if len(anch) > 0 && e >= anchorEpoch-1 {
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
