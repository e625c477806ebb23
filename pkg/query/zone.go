package query

import (
	"time"

	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// chooseZone resolves the zone a time series is aligned in and sent as tz.
// Site-local is the default; a dashboard zone that was not sent (alert rules
// have no browser) falls back to site-local; a site without a usable
// locationTimezone falls back to UTC. Each fallback adds a notice.
func chooseZone(mode TimeZoneMode, tz string, fromAlert bool, en entity, m *metaInfo) (string, *time.Location, error) {
	switch mode {
	case TZUTC:
		return "UTC", time.UTC, nil
	case TZNamed:
		loc, err := planner.LoadZone(tz)
		if err != nil {
			return "", nil, badInput("timeZone %q is not a known IANA zone: use a name such as \"America/New_York\"", tz)
		}
		// The zone's canonical name is what Locus is sent: "utc" (Grafana's
		// spelling) is "UTC", and surrounding spaces are gone.
		return loc.String(), loc, nil
	case TZDashboard:
		if tz != "" && !isBrowserZone(tz) {
			name := dashboardZoneName(tz)
			loc, err := planner.LoadZone(name)
			if err != nil {
				return "", nil, badInput("timeZone %q (the dashboard's zone) is not a known IANA zone", tz)
			}
			return name, loc, nil
		}
		name, loc := siteZone(en, m)
		if fromAlert {
			m.info("Alert rule: no dashboard time zone, using the site's zone %s", name)
		} else {
			m.info("Dashboard time zone not sent (or the browser's, unknown to the server): using the site's zone %s", name)
		}
		return name, loc, nil
	}
	name, loc := siteZone(en, m)
	return name, loc, nil
}

// siteZone returns the site's zone, or UTC with a warning.
func siteZone(en entity, m *metaInfo) (string, *time.Location) {
	if en.SiteZone == "" {
		m.warn("Site %d has no locationTimezone in Locus: buckets are aligned in UTC", en.Names.SiteID)
		return "UTC", time.UTC
	}
	loc, err := planner.LoadZone(en.SiteZone)
	if err != nil {
		m.warn("Site %d's locationTimezone %q is not a known zone: buckets are aligned in UTC", en.Names.SiteID, en.SiteZone)
		return "UTC", time.UTC
	}
	return en.SiteZone, loc
}
