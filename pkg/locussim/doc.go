// Package locussim is a faithful, in-process simulator of the Locus Energy
// (SolarNOC) v3 API: OAuth token grants, partners, clients, sites,
// components, dataavailable, time-series data, bulk data and alerts, with the
// API's rules (bearer tokens, 403/404, one request in flight per account,
// span limits, time zones and DST) and a deterministic generated fleet whose
// data comes from a physical PV model (sun position, weather, inverter
// clipping) with outages that match the alerts.
//
// A *Server is an http.Handler for the whole origin (/oauth/token and
// /v3/...); RoundTripper serves the same requests without a network. Fault
// knobs (Faults) inject 429s, 5xx, resets, truncated, malformed or oversize
// bodies and stalls for reliability tests; Stats counts what was served.
//
// The package knows nothing of the plugin; see README.md for the command,
// the fleet, the fields and the knobs.
package locussim
