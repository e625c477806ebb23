package locussim

import "math"

// siteNodes are a site's physical quantities at quarter-hour nodes
// (Unix second 900*q); minute values interpolate linearly between nodes.
type siteNodes struct {
	q0     int64
	pdc    []float64 // AC-side power per W of DC, actual weather, before clipping
	pdcTMY []float64 // the same for typical (TMY) weather
	poa    []float64 // plane-of-array irradiance, W/m²
	ghi    []float64 // global horizontal irradiance, W/m²
	ghiSat []float64 // modelled (satellite) GHI, W/m²
	ghiTMY []float64 // typical GHI, W/m²
	tamb   []float64 // ambient temperature, °C
	tmod   []float64 // module temperature, °C
	wind   []float64 // wind speed, m/s
}

const (
	inverterEfficiency = 0.975
	tempCoefficient    = -0.0037 // per °C, crystalline silicon
	acLossFactor       = 0.99    // meter side wiring/transformer loss
)

// derate is the product of the site's DC model losses.
func (s *Site) derate() float64 {
	m := s.Model
	return float64(m.Mismatch) * float64(m.DiodesAndConnections) * float64(m.DCWiring) *
		float64(m.Soiling) * float64(m.Nameplate) / 1e10
}

// computeNodes fills the nodes of quarters [q0, q1] (inclusive).
func (w *world) computeNodes(s *Site, q0, q1 int64, n *siteNodes) {
	cnt := int(q1 - q0 + 1)
	n.q0 = q0
	for _, p := range []*[]float64{&n.pdc, &n.pdcTMY, &n.poa, &n.ghi, &n.ghiSat, &n.ghiTMY, &n.tamb, &n.tmod, &n.wind} {
		if cap(*p) < cnt {
			*p = make([]float64, cnt)
		}
		*p = (*p)[:cnt]
	}
	geom := newArrayGeom(s.Latitude*math.Pi/180, s.Longitude, s.tiltRad, s.azimRad)
	der := s.derate() * inverterEfficiency
	var day int64 = math.MinInt64
	var wd dayWeather
	var typ, season float64
	var sd sunDay
	var utcDay int64 = math.MinInt64
	for i := 0; i < cnt; i++ {
		q := q0 + int64(i)
		t := q * 900
		if d := dayIndex(t, s.Longitude); d != day {
			day = d
			wd = weatherOf(w.seed, s.placeIx, s.place, day)
			typ = typicalClear(s.place, day)
			season = seasonal(day)
		}
		if ud := floorDiv(t, 86400); ud != utcDay {
			utcDay = ud
			sd = sunDayAt(ud*86400 + 43200)
		}
		g := sunAt(t, sd, geom)
		cs := clearSkyGHI(g.cosZ)
		var cloud float64 = 1
		if cs > 0 {
			cloud = cloudAt(w.seed, s.placeIx, wd, q)
		}
		ghi := cs * cloud
		poa := planeOfArray(ghi, cloud, g, s.tiltRad)
		ghiT := cs * typ
		poaT := planeOfArray(ghiT, typ, g, s.tiltRad)
		wind := windAt(w.seed, s.placeIx, q)
		tamb := ambientTemp(s.place, season, t, s.Longitude, wd.tAnomaly, wd.clear)
		tambT := ambientTemp(s.place, season, t, s.Longitude, 0, typ)
		tmod := tamb + poa*0.03/(1+0.12*wind)
		tmodT := tambT + poaT*0.03/(1+0.12*2)
		n.pdc[i] = poa / 1000 * (1 + tempCoefficient*(tmod-25)) * der
		n.pdcTMY[i] = poaT / 1000 * (1 + tempCoefficient*(tmodT-25)) * der
		n.poa[i] = poa
		n.ghi[i] = ghi
		n.ghiSat[i] = ghi * (1 + 0.06*(unit(hash3(w.seed, saltMinute, uint64(q)^s.placeIx<<44))-0.5))
		n.ghiTMY[i] = ghiT
		n.tamb[i] = tamb
		n.tmod[i] = tmod
		n.wind[i] = wind
	}
}
