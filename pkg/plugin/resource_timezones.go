package plugin

import (
	"net/http"
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

func (d *Datasource) handleTimezones(w http.ResponseWriter, _ *http.Request) error {
	out := make([]string, 0, len(commonZones))
	for _, z := range commonZones {
		if _, err := time.LoadLocation(z); err == nil {
			out = append(out, z)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"timezones": out})
	return nil
}
