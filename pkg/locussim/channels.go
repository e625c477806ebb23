package locussim

// channel is one physical quantity of an entity, evaluated per minute.
type channel int

const (
	chW      channel = iota // measured AC power, W
	chWm                    // modelled AC power, W
	chWe                    // expected (TMY) AC power, W
	chA                     // AC current, A
	chHz                    // AC frequency, Hz
	chPF                    // power factor
	chPPV                   // line-to-line voltage, V
	chPhV                   // line-to-neutral voltage, V
	chVA                    // apparent power, VA
	chVAR                   // reactive power, VAR
	chWphA                  // phase A power, W
	chWphB                  // phase B power, W
	chWphC                  // phase C power, W
	chPOA                   // plane-of-array irradiance, W/m²
	chGHI                   // global horizontal irradiance, W/m²
	chGHIm                  // modelled (satellite) GHI, W/m²
	chGHIt                  // typical (TMY) GHI, W/m²
	chPOAm                  // modelled (satellite) plane-of-array irradiance, W/m²
	chTmpAmb                // ambient temperature, °C
	chTmpBOM                // back-of-module temperature, °C
	chWndSpd                // wind speed, m/s
	nChan
)

// chanMask is a set of channels.
type chanMask uint32

func (m chanMask) has(c channel) bool { return m&(1<<c) != 0 }

func maskOf(cs ...channel) chanMask {
	var m chanMask
	for _, c := range cs {
		m |= 1 << c
	}
	return m
}

// linearChans are channels whose minute values interpolate linearly between
// quarter-hour nodes (before clipping), so a quarter's sum, min and max
// follow from its first and last minute.
var linearChans = maskOf(chW, chWm, chWe, chPOA, chGHI, chGHIm, chGHIt, chPOAm, chTmpAmb, chTmpBOM, chWndSpd)

// electricalChans are derived from measured power with per-minute noise.
var electricalChans = maskOf(chA, chHz, chPF, chPPV, chPhV, chVA, chVAR, chWphA, chWphB, chWphC)
