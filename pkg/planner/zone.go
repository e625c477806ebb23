package planner

import (
	"fmt"
	"strings"
	"time"

	// The plugin runs where the host may have no zoneinfo (Windows, scratch
	// containers); embed the IANA database so every zone name resolves.
	_ "time/tzdata"
)

// WallLayout is the API's request time format: a wall-clock time without offset.
const WallLayout = "2006-01-02T15:04:05"

// FormatWall formats t as the API's wall-clock time in loc.
func FormatWall(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(WallLayout)
}

// LoadZone resolves an IANA zone name such as "America/New_York" or "UTC".
// Empty and "Local" are rejected: the server's own zone means nothing to a
// dashboard viewer.
func LoadZone(name string) (*time.Location, error) {
	trimmed := strings.TrimSpace(name)
	if trimmed == "" {
		return nil, fmt.Errorf("time zone is empty; use an IANA zone name such as %s", zoneExamples)
	}
	if strings.EqualFold(trimmed, "local") {
		return nil, fmt.Errorf("time zone %q is the server's local zone and is not allowed; use an IANA zone name such as %s", name, zoneExamples)
	}
	if strings.EqualFold(trimmed, "utc") {
		// Grafana spells the dashboard zone "utc".
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(trimmed)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q; use an IANA zone name such as %s", name, zoneExamples)
	}
	return loc, nil
}

const zoneExamples = `"America/New_York", "US/Pacific", "Europe/Berlin" or "UTC"`
