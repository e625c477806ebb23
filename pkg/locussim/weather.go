package locussim

import "math"

// Weather is a function of (seed, place, time): sites near the same place
// share it, so a cloudy day is cloudy across a city.

// dayWeather is the character of one local day at a place.
type dayWeather struct {
	clear    float64 // day's mean clear-sky index
	variab   float64 // amplitude of quarter-hour cloud variability
	tAnomaly float64 // temperature anomaly, °C
}

// dayIndex is the local solar day number of Unix second t at a longitude.
func dayIndex(t int64, lonDeg float64) int64 {
	return floorDiv(t+int64(lonDeg*240), 86400)
}

// seasonal returns a value in [-1, 1] peaking in mid-July.
func seasonal(day int64) float64 {
	return math.Cos(2 * math.Pi * float64(day%365-200+365*2) / 365.2422)
}

// sunnyProbability is the chance a day at the place is clear, higher in summer.
func sunnyProbability(p *place, day int64) float64 {
	return math.Min(0.95, math.Max(0.2, p.sunny+0.12*seasonal(day)))
}

func weatherOf(seed uint64, placeIdx uint64, p *place, day int64) dayWeather {
	h := hash4(seed, saltWeatherDay, placeIdx, uint64(day))
	u := unit(h)
	ps := sunnyProbability(p, day)
	var w dayWeather
	switch {
	case u < ps:
		w = dayWeather{clear: between(mix(h), 0.93, 1.0), variab: 0.03}
	case u < ps+(1-ps)*0.6:
		w = dayWeather{clear: between(mix(h), 0.55, 0.85), variab: 0.35}
	default:
		w = dayWeather{clear: between(mix(h), 0.15, 0.4), variab: 0.1}
	}
	w.tAnomaly = between(hash3(seed, saltTempDay, uint64(day)^placeIdx<<40), -4, 4) - 3*(1-w.clear)
	return w
}

// typicalClear is the climatological (TMY) clear-sky index for a day.
func typicalClear(p *place, day int64) float64 {
	ps := sunnyProbability(p, day)
	return ps*0.965 + (1-ps)*(0.6*0.7+0.4*0.275)
}

// cloudAt is the cloud factor (clear-sky index) of quarter-hour q.
func cloudAt(seed, placeIdx uint64, w dayWeather, q int64) float64 {
	r1 := unit(hash3(seed, saltWeatherQuarter, placeIdx<<40^uint64(q)))
	r0 := unit(hash3(seed, saltWeatherQuarter, placeIdx<<40^uint64(q-1)))
	c := w.clear + w.variab*((r0+r1)-1)
	return math.Min(1.05, math.Max(0.05, c))
}

// ambientTemp is the air temperature, °C, at Unix second t; season is seasonal(day).
func ambientTemp(p *place, season float64, t int64, lonDeg, anomaly, clear float64) float64 {
	solarHour := float64(((t+int64(lonDeg*240))%86400+86400)%86400) / 3600
	// Clear days swing more; maritime places (small seasonal swing) less.
	swing := (2 + 4*clear) * math.Min(1, 0.4+p.tampC/10)
	diurnal := swing * math.Cos(2*math.Pi*(solarHour-15)/24)
	return p.tmeanC + p.tampC*season + anomaly + diurnal
}

// windAt is the wind speed, m/s, of quarter-hour q.
func windAt(seed, placeIdx uint64, q int64) float64 {
	r1 := unit(hash3(seed, saltWind, placeIdx<<40^uint64(q)))
	r0 := unit(hash3(seed, saltWind, placeIdx<<40^uint64(q-1)))
	return 0.5 + 3*(r0+r1)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
