package locussim

import (
	"math"
	"sync"
)

// Physical quantities live at quarter-hour nodes (Unix second 900*q); a
// minute's value interpolates linearly between the nodes around it. Nodes
// depend only on a site's physics variant (place, tilt, azimuth), so sites
// sharing one share node blocks, cached across requests: a 10,000-site
// fleet has a few hundred variants.

// blockQuarters is the number of quarters of one cached block (4 days).
const blockQuarters = 384

const (
	inverterEfficiency = 0.975
	tempCoefficient    = -0.0037 // per °C, crystalline silicon
	acLossFactor       = 0.99    // meter side wiring/transformer loss
	maxCachedBlocks    = 512     // about 40 KB each
)

// variant identifies the physics of a site: weather and sun at its place,
// array tilt and azimuth (degrees).
type variant struct {
	place      uint64
	tilt, azim int16
}

// nodeBlock holds nodes q0..q0+blockQuarters (one more than its quarters,
// for interpolation) and prefix sums of per-quarter minute sums.
type nodeBlock struct {
	q0     int64
	pdc    [blockQuarters + 1]float64 // AC power per W of DC before site losses, actual weather, unclipped
	pdcTMY [blockQuarters + 1]float64 // the same for typical (TMY) weather
	poa    [blockQuarters + 1]float64 // plane-of-array irradiance, W/m²
	ghi    [blockQuarters + 1]float64 // global horizontal irradiance, W/m²
	ghiSat [blockQuarters + 1]float64 // modelled (satellite) GHI, W/m²
	ghiTMY [blockQuarters + 1]float64 // typical GHI, W/m²
	poaSat [blockQuarters + 1]float64 // modelled (satellite) POA irradiance, W/m²: poa with ghiSat's error
	tamb   [blockQuarters + 1]float64 // ambient temperature, °C
	tmod   [blockQuarters + 1]float64 // module temperature, °C
	wind   [blockQuarters + 1]float64 // wind speed, m/s
	// Prefix sums: p[i] is the sum over quarters j < i of the quarter's 15
	// interpolated minute values.
	pPdc, pPdcTMY, pGhiSat, pGhiTMY, pPoaSat [blockQuarters + 1]float64
	maxPdc, maxPdcTMY                        float64
}

type blockKey struct {
	v     variant
	index int64
}

// nodeCache shares node blocks between evaluations.
type nodeCache struct {
	mu sync.Mutex
	m  map[blockKey]*nodeBlock
}

// block returns the node block holding quarter q for a site.
func (w *world) block(s *Site, q int64) *nodeBlock {
	k := blockKey{v: s.variant, index: floorDiv(q, blockQuarters)}
	w.nodes.mu.Lock()
	b := w.nodes.m[k]
	w.nodes.mu.Unlock()
	if b != nil {
		return b
	}
	b = &nodeBlock{}
	w.computeNodes(s, k.index*blockQuarters, b)
	w.nodes.mu.Lock()
	defer w.nodes.mu.Unlock()
	if w.nodes.m == nil || len(w.nodes.m) >= maxCachedBlocks {
		w.nodes.m = make(map[blockKey]*nodeBlock, maxCachedBlocks)
	}
	w.nodes.m[k] = b
	return b
}

// derate is the product of the site's DC model losses and the inverter efficiency.
func (s *Site) derate() float64 {
	m := s.Model
	return float64(m.Mismatch) * float64(m.DiodesAndConnections) * float64(m.DCWiring) *
		float64(m.Soiling) * float64(m.Nameplate) / 1e10 * inverterEfficiency
}

// quarterSum is the sum of the 15 minute values interpolated from a to b.
func quarterSum(a, b float64) float64 {
	return quarterMin * (a + (a + (b-a)*(quarterMin-1)/quarterMin)) / 2
}

// computeNodes fills a block starting at quarter q0.
func (w *world) computeNodes(s *Site, q0 int64, n *nodeBlock) {
	n.q0 = q0
	pl := &places[s.variant.place]
	tilt := float64(s.variant.tilt) * math.Pi / 180
	geom := newArrayGeom(pl.lat*math.Pi/180, pl.lon, tilt, float64(s.variant.azim)*math.Pi/180)
	var day int64 = math.MinInt64
	var wd dayWeather
	var typ, season float64
	var sd sunDay
	var utcDay int64 = math.MinInt64
	for i := 0; i <= blockQuarters; i++ {
		q := q0 + int64(i)
		t := q * 900
		if d := dayIndex(t, pl.lon); d != day {
			day = d
			wd = weatherOf(w.seed, s.variant.place, pl, day)
			typ = typicalClear(pl, day)
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
			cloud = cloudAt(w.seed, s.variant.place, wd, q)
		}
		ghi := cs * cloud
		poa := planeOfArray(ghi, cloud, g, tilt)
		ghiT := cs * typ
		poaT := planeOfArray(ghiT, typ, g, tilt)
		wind := windAt(w.seed, s.variant.place, q)
		tamb := ambientTemp(pl, season, t, pl.lon, wd.tAnomaly, wd.clear)
		tambT := ambientTemp(pl, season, t, pl.lon, 0, typ)
		tmod := tamb + poa*0.03/(1+0.12*wind)
		tmodT := tambT + poaT*0.03/(1+0.12*2)
		n.pdc[i] = poa / 1000 * (1 + tempCoefficient*(tmod-25))
		n.pdcTMY[i] = poaT / 1000 * (1 + tempCoefficient*(tmodT-25))
		n.poa[i] = poa
		n.ghi[i] = ghi
		satErr := 1 + 0.06*(unit(hash3(w.seed, saltMinute, uint64(q)^s.variant.place<<44))-0.5)
		n.ghiSat[i] = ghi * satErr
		n.poaSat[i] = poa * satErr
		n.ghiTMY[i] = ghiT
		n.tamb[i] = tamb
		n.tmod[i] = tmod
		n.wind[i] = wind
	}
	for i := 0; i < blockQuarters; i++ {
		n.pPdc[i+1] = n.pPdc[i] + quarterSum(n.pdc[i], n.pdc[i+1])
		n.pPdcTMY[i+1] = n.pPdcTMY[i] + quarterSum(n.pdcTMY[i], n.pdcTMY[i+1])
		n.pGhiSat[i+1] = n.pGhiSat[i] + quarterSum(n.ghiSat[i], n.ghiSat[i+1])
		n.pGhiTMY[i+1] = n.pGhiTMY[i] + quarterSum(n.ghiTMY[i], n.ghiTMY[i+1])
		n.pPoaSat[i+1] = n.pPoaSat[i] + quarterSum(n.poaSat[i], n.poaSat[i+1])
		n.maxPdc = math.Max(n.maxPdc, n.pdc[i])
		n.maxPdcTMY = math.Max(n.maxPdcTMY, n.pdcTMY[i])
	}
	n.maxPdc = math.Max(n.maxPdc, n.pdc[blockQuarters])
	n.maxPdcTMY = math.Max(n.maxPdcTMY, n.pdcTMY[blockQuarters])
}
