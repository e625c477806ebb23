package locussim

import "math"

// solarGeometry is the sun's position relative to a site at one instant.
type solarGeometry struct {
	cosZ   float64 // cosine of the zenith angle (<= 0 at night)
	cosInc float64 // cosine of the incidence angle on the array plane
}

// sunDay holds the slowly varying solar terms, computed once per day.
type sunDay struct {
	sinDecl, cosDecl float64
	eqtMin           float64 // equation of time, minutes
}

// sunDayAt computes declination and equation of time at Unix second t
// (NOAA low-precision formulas from the fractional year).
func sunDayAt(t int64) sunDay {
	days := float64(t)/86400 - 10957 // days since 2000-01-01T00:00Z
	g := 2 * math.Pi * math.Mod(days, 365.2422) / 365.2422
	sg, cg := math.Sincos(g)
	s2, c2 := 2*sg*cg, cg*cg-sg*sg
	s3, c3 := s2*cg+c2*sg, c2*cg-s2*sg
	decl := 0.006918 - 0.399912*cg + 0.070257*sg - 0.006758*c2 + 0.000907*s2 - 0.002697*c3 + 0.00148*s3
	sd, cd := math.Sincos(decl)
	return sunDay{sinDecl: sd, cosDecl: cd, eqtMin: 229.18 * (0.000075 + 0.001868*cg - 0.032077*sg - 0.014615*c2 - 0.040849*s2)}
}

// arrayGeom is a site's fixed geometry.
type arrayGeom struct {
	sinLat, cosLat     float64
	lonDeg             float64
	nEast, nNorth, nUp float64 // array normal in east/north/up coordinates
}

func newArrayGeom(latRad, lonDeg, tiltRad, azimRad float64) arrayGeom {
	sl, cl := math.Sincos(latRad)
	st, ct := math.Sincos(tiltRad)
	sa, ca := math.Sincos(azimRad)
	// Tilted by tiltRad, facing south rotated by azimRad (west positive).
	return arrayGeom{sinLat: sl, cosLat: cl, lonDeg: lonDeg, nEast: -st * sa, nNorth: -st * ca, nUp: ct}
}

// sunAt computes the sun's position relative to a site at Unix second t,
// with the hour angle from true solar time.
func sunAt(t int64, d sunDay, a arrayGeom) solarGeometry {
	minOfDay := float64(((t%86400)+86400)%86400) / 60
	tst := minOfDay + d.eqtMin + 4*a.lonDeg
	omega := (tst/4 - 180) * math.Pi / 180
	sw, cw := math.Sincos(omega)
	// Sun direction in east/north/up coordinates.
	east := -d.cosDecl * sw
	north := d.sinDecl*a.cosLat - d.cosDecl*a.sinLat*cw
	up := a.sinLat*d.sinDecl + a.cosLat*d.cosDecl*cw
	return solarGeometry{cosZ: up, cosInc: east*a.nEast + north*a.nNorth + up*a.nUp}
}

// clearSkyGHI is the Haurwitz clear-sky global horizontal irradiance, W/m².
func clearSkyGHI(cosZ float64) float64 {
	if cosZ <= 0.01 {
		return 0
	}
	return 1098 * cosZ * math.Exp(-0.057/cosZ)
}

// planeOfArray splits GHI into beam and diffuse by the cloud factor and
// transposes it onto the array plane (isotropic sky, ground albedo 0.2).
// It returns POA irradiance, W/m².
func planeOfArray(ghi, cloud float64, g solarGeometry, tiltRad float64) float64 {
	if ghi <= 0 {
		return 0
	}
	fd := math.Min(1, math.Max(0.12, 0.12+0.85*(1-cloud)))
	dhi := fd * ghi
	dni := math.Min(1050, (ghi-dhi)/math.Max(g.cosZ, 0.065))
	ct := math.Cos(tiltRad)
	poa := dni*math.Max(g.cosInc, 0) + dhi*(1+ct)/2 + 0.2*ghi*(1-ct)/2
	return math.Max(0, poa)
}
