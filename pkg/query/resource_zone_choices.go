package query

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// commonZones is the named-zone picker's list: UTC first, then zones where
// solar fleets commonly are, grouped by region. Each is checked to load.
var commonZones = []string{
	"UTC",
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "America/Toronto", "America/Vancouver",
	"America/Mexico_City", "America/Sao_Paulo", "America/Santiago", "America/Bogota", "America/Lima",
	"US/Eastern", "US/Central", "US/Mountain", "US/Arizona", "US/Pacific", "US/Alaska", "US/Hawaii",
	"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Berlin",
	"Europe/Rome", "Europe/Amsterdam", "Europe/Athens", "Europe/Istanbul",
	"Africa/Johannesburg", "Africa/Cairo", "Africa/Nairobi", "Africa/Casablanca",
	"Asia/Dubai", "Asia/Riyadh", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka",
	"Asia/Bangkok", "Asia/Singapore", "Asia/Shanghai", "Asia/Manila", "Asia/Tokyo", "Asia/Seoul",
	"Australia/Perth", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney", "Australia/Lord_Howe",
	"Pacific/Auckland",
}

// TimeZones is the named-zone picker's list: UTC, then the zones of the
// partner's own sites (most sites first), then the common zones; only zones
// this process can load. If the site list cannot be had, the picker still
// gets the common zones.
func (e *Engine) TimeZones(ctx context.Context) []string {
	out := []string{"UTC"}
	seen := map[string]bool{"UTC": true}
	add := func(z string) {
		if seen[z] {
			return
		}
		seen[z] = true
		if _, err := time.LoadLocation(z); err == nil {
			out = append(out, z)
		}
	}
	if list, err := e.sites.load(ctx, e.api); err == nil {
		for _, z := range zonesByUse(list.entries) {
			add(z)
		}
	} else {
		e.log.Debug("time zone list without the fleet's zones", "error", err.Error())
	}
	for _, z := range commonZones {
		add(z)
	}
	return out
}

// zonesByUse are the sites' zones, most used first, then by name.
func zonesByUse(entries []siteEntry) []string {
	counts := map[string]int{}
	for _, e := range entries {
		if z := e.site.LocationTimezone; z != "" {
			counts[z]++
		}
	}
	zones := make([]string, 0, len(counts))
	for z := range counts {
		zones = append(zones, z)
	}
	slices.SortFunc(zones, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b)) })
	return zones
}
