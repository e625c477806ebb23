package query

import (
	"math"
	"strings"

	"github.com/sunfleet/locus-datasource/pkg/kpi"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// GranularityAuto lets the planner choose the granularity.
const GranularityAuto = "auto"

// Known alert filter values (FACTS.md); matching is case-insensitive and the
// canonical spelling is sent upstream.
var (
	knownAlertTypes = []string{"System Disconnect", "Zero Generation", "Performance Index", "Performance Yield", "Strings Performance", "Device Fault"}
	knownPriorities = []string{"High", "Medium", "Low"}
	knownStatuses   = []string{"open", "closed"}
	tzModes         = []TimeZoneMode{TZSite, TZDashboard, TZUTC, TZNamed}
	bulkFormats     = []BulkFormat{BulkTable, BulkTimeSeries}
	alertScopes     = []AlertScope{ScopePartner, ScopeSite, ScopeComponent}
	metadataKinds   = []MetadataKind{MetaClients, MetaSites, MetaComponents, MetaInstallInfo, MetaModelSettings, MetaFields}
	granularityHelp = "\"auto\", \"1min\", \"5min\", \"15min\", \"hourly\", \"daily\", \"monthly\", \"yearly\""
)

// validateTimeSeries checks a time series query and fills its defaults.
func validateTimeSeries(q *TimeSeriesQuery) error {
	if err := resolveEntityType(&q.Entity); err != nil {
		return err
	}
	if _, err := entityIDs(q.Entity); err != nil {
		return err
	}
	fields, err := cleanFields(q.Fields)
	if err != nil {
		return err
	}
	q.Fields = fields
	if err := splitKPIFields(q); err != nil {
		return err
	}
	g := strings.TrimSpace(q.Granularity)
	if g == "" || strings.EqualFold(g, GranularityAuto) {
		q.Granularity = GranularityAuto
	} else {
		if strings.EqualFold(g, "latest") {
			return badInput("granularity \"latest\" is its own query type: use queryType \"latest\", or one of %s", granularityHelp)
		}
		pg, err := planner.ParseGranularity(g)
		if err != nil {
			return badInput("granularity %q is unknown: valid values are %s", truncate(g, 40), granularityHelp)
		}
		q.Granularity = string(pg)
	}
	if err := validateZone(q); err != nil {
		return err
	}
	mode, err := planner.ParseEdgeMode(q.Edges)
	if err != nil {
		return badInput("edges %q is unknown: valid values are exact (recompute partial buckets at the range's edges from finer data, the default) and omit (leave them out)", truncate(q.Edges, 40))
	}
	q.Edges = string(mode)
	for k, v := range q.FieldParams {
		if strings.TrimSpace(k) == "" {
			return badInput("fieldParams has an empty parameter name: valid names come from dataavailable (modelType, irradianceSource, inverterClipping)")
		}
		if strings.TrimSpace(v) == "" {
			return badInput("fieldParams.%s is empty: choose one of the values dataavailable lists for it", k)
		}
	}
	return nil
}

// resolveEntityType defaults and checks entityType.
func resolveEntityType(e *Entity) error {
	switch e.EntityType {
	case "":
		if strings.TrimSpace(e.ComponentID) != "" {
			e.EntityType = EntityComponent
		} else {
			e.EntityType = EntitySite
		}
	case EntitySite, EntityComponent:
	default:
		return badInput("entityType %q is unknown: valid values are \"site\" and \"component\"", truncate(string(e.EntityType), 40))
	}
	return nil
}

// entityIDs parses the ids the entity type selects.
func entityIDs(e Entity) ([]int64, error) {
	if e.EntityType == EntityComponent {
		return parseIDs("componentId", e.ComponentID)
	}
	return parseIDs("siteId", e.SiteID)
}

// validateZone checks the time zone mode and the zone it needs.
func validateZone(q *TimeSeriesQuery) error {
	if q.TimeZoneMode == "" {
		q.TimeZoneMode = TZSite
	}
	if !contains(tzModes, q.TimeZoneMode) {
		return badInput("timeZoneMode %q is unknown: valid values are %s", truncate(string(q.TimeZoneMode), 40), quoteList(tzModes))
	}
	tz := strings.TrimSpace(q.TimeZone)
	q.TimeZone = tz
	switch q.TimeZoneMode {
	case TZNamed:
		if tz == "" {
			return badInput("timeZone is empty: timeZoneMode \"named\" needs an IANA zone such as \"America/New_York\"")
		}
		if _, err := planner.LoadZone(tz); err != nil {
			return badInput("timeZone %q is not a known IANA zone: use a name such as \"America/New_York\", \"Europe/Berlin\" or \"UTC\"", truncate(tz, 60))
		}
	case TZDashboard:
		// Empty or "browser" falls back to site-local at plan time (alert
		// rules have no browser); anything else must be a real zone.
		if tz != "" && !isBrowserZone(tz) {
			if _, err := planner.LoadZone(dashboardZoneName(tz)); err != nil {
				return badInput("timeZone %q (the dashboard's zone) is not a known IANA zone: use a name such as \"America/New_York\" or \"utc\"", truncate(tz, 60))
			}
		}
	}
	return nil
}

// isBrowserZone reports a dashboard zone the server cannot know.
func isBrowserZone(tz string) bool { return strings.EqualFold(tz, "browser") }

// dashboardZoneName maps Grafana's dashboard zone spelling to IANA.
func dashboardZoneName(tz string) string {
	if strings.EqualFold(tz, "utc") {
		return "UTC"
	}
	return tz
}

// cleanFields trims the field list, splits comma lists (a multi-value
// variable interpolated into one entry) and drops duplicates.
func cleanFields(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, f := range in {
		for _, p := range strings.Split(strings.Trim(strings.TrimSpace(f), "{}"), ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if strings.HasPrefix(p, "$") {
				return nil, badInput("fields entry %q is a template variable that was not interpolated: check that the dashboard defines it", truncate(p, 40))
			}
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		return nil, badInput("fields is empty: choose at least one field that dataavailable lists, e.g. \"W_avg\" or \"Wh_sum\"")
	}
	return out, nil
}

// validateLatest checks a latest query.
func validateLatest(q *LatestQuery) error {
	if _, err := parseIDs("componentId", q.ComponentID); err != nil {
		return err
	}
	fields, err := cleanFields(q.Fields)
	q.Fields = fields
	if err != nil {
		return err
	}
	for _, f := range fields {
		if kpiByName(f) != nil || f == KPIAvailability {
			return badInput("%q is not offered in the latest query: Locus' latest values are per component and it gives the installed size per site only, so no honest per-component KPI exists (docs/kpi.md); use a site time series query with %q (1min or 5min) and the Last reducer", f, f)
		}
	}
	return nil
}

// validateBulk checks a bulk query and fills its defaults.
func validateBulk(q *BulkQuery) error {
	fields, err := cleanFields(q.Fields)
	if err != nil {
		return err
	}
	q.Fields = fields
	if err := splitBulkKPIFields(q); err != nil {
		return err
	}
	if q.Format == "" {
		q.Format = BulkTable
	}
	if !contains(bulkFormats, q.Format) {
		return badInput("format %q is unknown: valid values are %s", truncate(string(q.Format), 40), quoteList(bulkFormats))
	}
	_, err = parseIDFilter("clientId", q.ClientID)
	return err
}

// validateRanking checks a ranking query and fills its defaults.
func validateRanking(q *RankingQuery) error {
	if _, err := parseIDFilter("clientId", q.ClientID); err != nil {
		return err
	}
	if strings.TrimSpace(q.SiteID) != "" {
		if _, err := parseIDs("siteId", q.SiteID); err != nil {
			return err
		}
	}
	switch t := q.AvailabilityThreshold; {
	case t == 0:
		q.AvailabilityThreshold = kpi.DefaultAvailabilityThreshold
	case math.IsNaN(t) || t < 0 || t > 1500:
		return badInput("availabilityThreshold %g is out of range: give an irradiance in W/m² between 0 and 1500 (default %g)", t, kpi.DefaultAvailabilityThreshold)
	}
	return nil
}

// validateAlerts checks an alerts query, fills defaults and canonicalises
// the filter values.
func validateAlerts(q *AlertsQuery) error {
	if q.Scope == "" {
		switch {
		case strings.TrimSpace(q.ComponentID) != "":
			q.Scope = ScopeComponent
		case strings.TrimSpace(q.SiteID) != "":
			q.Scope = ScopeSite
		default:
			q.Scope = ScopePartner
		}
	}
	switch q.Scope {
	case ScopePartner:
	case ScopeSite:
		if _, err := parseIDs("siteId", q.SiteID); err != nil {
			return err
		}
	case ScopeComponent:
		if _, err := parseIDs("componentId", q.ComponentID); err != nil {
			return err
		}
	default:
		return badInput("scope %q is unknown: valid values are %s", truncate(string(q.Scope), 40), quoteList(alertScopes))
	}
	var err error
	if q.AlertTypes, err = canonicalAlertTypes(q.AlertTypes); err != nil {
		return err
	}
	if q.Priorities, err = canonical("priorities", q.Priorities, knownPriorities); err != nil {
		return err
	}
	st := strings.ToLower(strings.TrimSpace(q.Status))
	if st == "all" || st == "any" {
		st = ""
	}
	if st != "" && !contains(knownStatuses, st) {
		return badInput("status %q is unknown: valid values are \"open\", \"closed\" or empty for both", truncate(q.Status, 40))
	}
	q.Status = st
	return nil
}

// canonical maps each value (or comma list inside a value) to its known
// spelling, case-insensitively; "All" and empty entries are dropped.
func canonical(field string, in []string, known []string) ([]string, error) {
	var out []string
	for _, v := range in {
		for _, p := range strings.Split(strings.Trim(v, "{}"), ",") {
			p = strings.TrimSpace(p)
			if p == "" || strings.EqualFold(p, "all") || p == "$__all" {
				continue
			}
			match := ""
			for _, k := range known {
				if strings.EqualFold(k, p) {
					match = k
				}
			}
			if match == "" {
				return nil, badInput("%s entry %q is unknown: valid values are %s", field, truncate(p, 40), quoteList(known))
			}
			if !contains(out, match) {
				out = append(out, match)
			}
		}
	}
	return out, nil
}

// canonicalAlertTypes maps each alert type to the spelling Locus documents
// (case-insensitively) and keeps any other type as typed: a custom type is
// valid, fetched unfiltered and matched locally (see upstreamAlertTypes).
// "All" and empty entries are dropped; a type longer than 100 characters is
// refused.
func canonicalAlertTypes(in []string) ([]string, error) {
	var out []string
	for _, v := range in {
		for _, p := range strings.Split(strings.Trim(v, "{}"), ",") {
			p = strings.TrimSpace(p)
			if p == "" || strings.EqualFold(p, "all") || p == "$__all" {
				continue
			}
			if len(p) > 100 {
				return nil, badInput("alertTypes entry %q is too long: an alert type name has at most 100 characters", truncate(p, 40))
			}
			for _, k := range knownAlertTypes {
				if strings.EqualFold(k, p) {
					p = k
				}
			}
			if !containsFold(out, p) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// validateMetadata checks a metadata query: each kind's required scope.
func validateMetadata(q *MetadataQuery) error {
	if q.Kind == "" {
		return badInput("kind is empty: valid values are %s", quoteList(metadataKinds))
	}
	if !contains(metadataKinds, q.Kind) {
		return badInput("kind %q is unknown: valid values are %s", truncate(string(q.Kind), 40), quoteList(metadataKinds))
	}
	if q.Kind == MetaComponents {
		if _, err := parseOptionalID("clientId", q.ClientID); err != nil {
			return err
		}
	} else if _, err := parseIDFilter("clientId", q.ClientID); err != nil {
		return err
	}
	var (
		site int64
		err  error
	)
	if q.Kind == MetaComponents && strings.TrimSpace(q.SiteID) != "" {
		// Components accept a list (a multi-value $site variable).
		ids, err := parseIDs("siteId", q.SiteID)
		if err != nil {
			return err
		}
		site = ids[0]
	} else if site, err = parseOptionalID("siteId", q.SiteID); err != nil {
		return err
	}
	if _, err := parseOptionalID("componentId", q.ComponentID); err != nil {
		return err
	}
	switch q.Kind {
	case MetaInstallInfo, MetaModelSettings:
		if site == 0 {
			return badInput("siteId is empty: kind %q needs a site", q.Kind)
		}
	case MetaComponents:
		if site == 0 && strings.TrimSpace(q.ClientID) == "" {
			return badInput("siteId is empty: kind \"components\" needs a site (or a clientId for all its components)")
		}
	}
	return nil
}

// contains reports whether vs holds v.
func contains[T comparable](vs []T, v T) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}
