// Package kpi holds the photovoltaic key performance indicators the plugin
// derives from raw Locus fields, each a pure function with its unit and
// source. Nothing here fetches data or guesses a missing input: a KPI whose
// input is absent returns a *MissingError naming it, and the caller turns
// that into a notice.
//
// Symbols follow IEC 61724-1:2021 ("Photovoltaic system performance -
// Part 1: Monitoring"): E (energy out of the system, kWh), P0 (installed DC
// power at STC, kWp; Locus' modelsettings `size`), H_POA (plane-of-array
// insolation, kWh/m²), G_STC (reference irradiance, 1 kW/m²), Yf (final
// yield), Yr (reference yield), PR (performance ratio).
package kpi

import (
	"fmt"
	"math"
)

// GSTC is the reference (standard test condition) irradiance G_i,ref of
// IEC 61724-1, in W/m².
const GSTC = 1000.0

// DefaultAvailabilityThreshold is the plane-of-array irradiance (W/m²) from
// which an interval counts as daylight for Availability.
const DefaultAvailabilityThreshold = 50.0

// MissingError says which input a KPI lacks; the KPI is not computed.
type MissingError struct {
	KPI   string // e.g. "specific yield"
	Input string // what is missing, in the API's terms
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%s needs %s, which is missing", e.KPI, e.Input)
}

func missing(kpi, input string) error { return &MissingError{KPI: kpi, Input: input} }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// SpecificYield is the final yield Yf = E / P0 (IEC 61724-1), in kWh/kWp
// (equivalently hours at full DC power): energyWh in Wh (Locus Wh_sum),
// sizeKWp the installed DC size in kWp (modelsettings `size`). Errors: a
// *MissingError when the size is absent, zero or negative, or the energy
// is NaN (no data).
func SpecificYield(energyWh, sizeKWp float64) (float64, error) {
	if !finite(sizeKWp) || sizeKWp <= 0 {
		return 0, missing("specific yield", "the site's installed DC size (modelsettings size, kWp)")
	}
	if !finite(energyWh) {
		return 0, missing("specific yield", "measured energy (Wh_sum)")
	}
	return energyWh / 1000 / sizeKWp, nil
}

// NormalisedPower is AC power per installed DC kilowatt, P / P0, in W/kWp
// (IEC 61724-1's array-normalised power): powerW in W (Locus W_avg),
// sizeKWp in kWp. Errors as SpecificYield.
func NormalisedPower(powerW, sizeKWp float64) (float64, error) {
	if !finite(sizeKWp) || sizeKWp <= 0 {
		return 0, missing("normalised power", "the site's installed DC size (modelsettings size, kWp)")
	}
	if !finite(powerW) {
		return 0, missing("normalised power", "measured power (W_avg)")
	}
	return powerW / sizeKWp, nil
}

// ReferenceYield is Yr = H_POA / G_STC (IEC 61724-1), in hours (kWh/m² ÷
// kW/m²): poaWhm2 the plane-of-array insolation in Wh/m² (Locus POAh_sum
// of a weather station, or the site's modelled POAh_m_sum).
func ReferenceYield(poaWhm2 float64) (float64, error) {
	if !finite(poaWhm2) || poaWhm2 < 0 {
		return 0, missing("reference yield", "plane-of-array insolation (POAh_sum or POAh_m_sum)")
	}
	return poaWhm2 / GSTC, nil
}

// PerformanceRatio is PR = Yf / Yr (IEC 61724-1, unitless, usually 0.7..0.9
// for a healthy system): energyWh in Wh, sizeKWp in kWp, poaWhm2 the
// plane-of-array insolation in Wh/m² over the same interval. Errors: a
// *MissingError for an absent size, energy or insolation, or when the
// insolation is zero (night: PR undefined).
func PerformanceRatio(energyWh, sizeKWp, poaWhm2 float64) (float64, error) {
	yf, err := SpecificYield(energyWh, sizeKWp)
	if err != nil {
		return 0, &MissingError{KPI: "performance ratio", Input: err.(*MissingError).Input}
	}
	yr, err := ReferenceYield(poaWhm2)
	if err != nil {
		return 0, &MissingError{KPI: "performance ratio", Input: err.(*MissingError).Input}
	}
	if yr == 0 {
		return 0, missing("performance ratio", "plane-of-array insolation above zero (the interval has no sun)")
	}
	return yf / yr, nil
}

// PerformanceIndex is measured ÷ expected energy for the weather that
// occurred (unitless, 1 = as modelled): measuredWh in Wh (Wh_sum),
// expectedWh in Wh: Locus' modelled energy Wh_m_sum (the basis of Locus'
// own Performance Index PI_m), or, where only bulk data serves, the
// expected energy adjusted to the measured weather, Wh_e × GHIh_m / GHIh_t
// (the basis of Locus' GEER). Errors: a *MissingError when either is
// absent or the expectation is not positive.
func PerformanceIndex(measuredWh, expectedWh float64) (float64, error) {
	if !finite(measuredWh) {
		return 0, missing("performance index", "measured energy (Wh_sum)")
	}
	if !finite(expectedWh) || expectedWh <= 0 {
		return 0, missing("performance index", "expected energy above zero (Wh_m_sum, or Wh_e_sum with GHIh_m and GHIh_t)")
	}
	return measuredWh / expectedWh, nil
}

// WeatherAdjustedExpected is Locus' expected energy (from typical-year
// weather) scaled by the ratio of the period's modelled to typical
// horizontal insolation: Wh_e × GHIh_m / GHIh_t, in Wh (Locus' GEER is
// Wh / this). All inputs are sums over the same period.
func WeatherAdjustedExpected(expectedWh, ghiModelledWhm2, ghiTypicalWhm2 float64) (float64, error) {
	if !finite(expectedWh) {
		return 0, missing("weather-adjusted expected energy", "expected energy (Wh_e_sum)")
	}
	if !finite(ghiModelledWhm2) || !finite(ghiTypicalWhm2) || ghiTypicalWhm2 <= 0 {
		return 0, missing("weather-adjusted expected energy", "modelled and typical horizontal insolation (GHIh_m_sum, GHIh_t_sum)")
	}
	return expectedWh * ghiModelledWhm2 / ghiTypicalWhm2, nil
}

// Interval is one time bucket of a site for Availability.
type Interval struct {
	// POA is the bucket's average plane-of-array irradiance in W/m²
	// (measured POA_avg or modelled POA_m_avg); NaN when unknown.
	POA float64
	// EnergyWh is the measured energy (Wh_sum); NaN when the bucket has no
	// measured data (a communication gap counts as unavailable).
	EnergyWh float64
}

// Availability is the time-based availability: the share (0..1) of
// daylight intervals, those whose plane-of-array irradiance is at least
// thresholdWm2, in which the site produced energy (EnergyWh > 0). An
// interval without measured data counts as not producing. This is the
// time-based technical availability of IEC TS 63019 with "daylight" made
// concrete by the irradiance threshold (this plugin's choice, default
// DefaultAvailabilityThreshold). It also returns the number of daylight
// intervals. Errors: a *MissingError when no interval has a known
// irradiance at or above the threshold.
func Availability(intervals []Interval, thresholdWm2 float64) (share float64, daylight int, err error) {
	produced := 0
	for _, iv := range intervals {
		if !finite(iv.POA) || iv.POA < thresholdWm2 {
			continue
		}
		daylight++
		if finite(iv.EnergyWh) && iv.EnergyWh > 0 {
			produced++
		}
	}
	if daylight == 0 {
		return 0, 0, missing("availability", fmt.Sprintf("intervals with plane-of-array irradiance of at least %g W/m²", thresholdWm2))
	}
	return float64(produced) / float64(daylight), daylight, nil
}
