package query

import (
	"time"

	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// chooseZone returns the zone an entity of q is aligned in and sent as tz:
// the zone q names (resolveZone), else the site's. A dashboard zone that was
// not sent (alert rules have no browser) falls back to site-local; a site
// without a usable locationTimezone falls back to UTC. Each fallback adds a
// notice.
func chooseZone(q *timeSeriesQuery, fromAlert bool, en entity, m *metaInfo) (string, *time.Location) {
	if q.zone.loc != nil {
		return q.zone.name, q.zone.loc
	}
	name, loc := siteZone(en, m)
	if q.TimeZoneMode == TZDashboard {
		if fromAlert {
			m.info("Alert rule: no dashboard time zone, using the site's zone %s", name)
		} else {
			m.info("Dashboard time zone not sent (or the browser's, unknown to the server): using the site's zone %s", name)
		}
	}
	return name, loc
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
