package query

import (
	"math"
	"strings"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/kpi"
	"github.com/sunfleet/locus-datasource/pkg/locus"
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

// timeSeriesQuery is a time series query resolved once, at decode time:
// the model as sent (defaults filled, KPI fields split into their inputs)
// and what its keys mean, parsed. Handlers and the planner take it.
type timeSeriesQuery struct {
	*TimeSeriesQuery
	// kind and ids are the entities of EntityType, in order, distinct.
	kind locus.EntityKind
	ids  []int64
	// siteHint is the site a component query names (0: none or several).
	siteHint int64
	// gran is the explicit granularity; "" means auto.
	gran planner.Granularity
	// edges is the edge mode (planner.EdgesExact by default).
	edges planner.EdgeMode
	// zone is the fixed zone of the utc, named and dashboard modes; its loc
	// is nil when buckets align in each site's zone (site mode, or a
	// dashboard zone the server does not know).
	zone fixedZone
}

// fixedZone is a zone a query names: its name as sent to Locus and its
// location (nil: none, use the site's).
type fixedZone struct {
	name string
	loc  *time.Location
}

// timeSeries is the resolved query of a time series request.
func (r *request) timeSeries() *timeSeriesQuery { return r.query.(*timeSeriesQuery) }

// isAuto reports whether the planner chooses the granularity.
func (q *timeSeriesQuery) isAuto() bool { return q.gran == "" }

// resolveTimeSeries checks a time series query, fills its defaults and
// resolves its ids, granularity, edge mode and zone.
func resolveTimeSeries(q *TimeSeriesQuery) (*timeSeriesQuery, error) {
	r := &timeSeriesQuery{TimeSeriesQuery: q}
	if err := resolveEntityType(&q.Entity); err != nil {
		return nil, err
	}
	var err error
	if r.ids, err = entityIDs(q.Entity); err != nil {
		return nil, err
	}
	r.kind = locus.KindSite
	if q.EntityType == EntityComponent {
		r.kind = locus.KindComponent
		r.siteHint, _ = parseOptionalID("siteId", q.SiteID)
	}
	if err := cleanFieldsThen(&q.Fields, func() error { return splitKPIFields(q) }); err != nil {
		return nil, err
	}
	g := strings.TrimSpace(q.Granularity)
	if g == "" || strings.EqualFold(g, GranularityAuto) {
		q.Granularity = GranularityAuto
	} else {
		if strings.EqualFold(g, "latest") {
			return nil, badInput("granularity \"latest\" is its own query type: use queryType \"latest\", or one of %s", granularityHelp)
		}
		pg, err := planner.ParseGranularity(g)
		if err != nil {
			return nil, badInput("granularity %q is unknown: valid values are %s", truncate(g, 40), granularityHelp)
		}
		q.Granularity = string(pg)
		r.gran = pg
	}
	if r.zone, err = resolveZone(q); err != nil {
		return nil, err
	}
	if r.edges, err = planner.ParseEdgeMode(q.Edges); err != nil {
		return nil, badInput("edges %q is unknown: valid values are exact (recompute partial buckets at the range's edges from finer data, the default) and omit (leave them out)", truncate(q.Edges, 40))
	}
	q.Edges = string(r.edges)
	for k, v := range q.FieldParams {
		if strings.TrimSpace(k) == "" {
			return nil, badInput("fieldParams has an empty parameter name: valid names come from dataavailable (modelType, irradianceSource, inverterClipping)")
		}
		if strings.TrimSpace(v) == "" {
			return nil, badInput("fieldParams.%s is empty: choose one of the values dataavailable lists for it", k)
		}
	}
	return r, nil
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

// resolveZone checks the time zone mode and the zone it needs, and loads
// that zone once: UTC, the named zone (sent by its canonical name: "utc"
// is "UTC", surrounding spaces are gone) or the dashboard's. Site mode, and
// a dashboard zone that was not sent or is the browser's (alert rules have
// no browser), give no fixed zone: buckets align in the site's zone
// (chooseZone).
func resolveZone(q *TimeSeriesQuery) (fixedZone, error) {
	if q.TimeZoneMode == "" {
		q.TimeZoneMode = TZSite
	}
	if !contains(tzModes, q.TimeZoneMode) {
		return fixedZone{}, badInput("timeZoneMode %q is unknown: valid values are %s", truncate(string(q.TimeZoneMode), 40), quoteList(tzModes))
	}
	tz := strings.TrimSpace(q.TimeZone)
	q.TimeZone = tz
	switch q.TimeZoneMode {
	case TZUTC:
		return fixedZone{"UTC", time.UTC}, nil
	case TZNamed:
		if tz == "" {
			return fixedZone{}, badInput("timeZone is empty: timeZoneMode \"named\" needs an IANA zone such as \"America/New_York\"")
		}
		loc, err := planner.LoadZone(tz)
		if err != nil {
			return fixedZone{}, badInput("timeZone %q is not a known IANA zone: use a name such as \"America/New_York\", \"Europe/Berlin\" or \"UTC\"", truncate(tz, 60))
		}
		return fixedZone{loc.String(), loc}, nil
	case TZDashboard:
		if tz != "" && !isBrowserZone(tz) {
			name := dashboardZoneName(tz)
			loc, err := planner.LoadZone(name)
			if err != nil {
				return fixedZone{}, badInput("timeZone %q (the dashboard's zone) is not a known IANA zone: use a name such as \"America/New_York\" or \"utc\"", truncate(tz, 60))
			}
			return fixedZone{name, loc}, nil
		}
	}
	return fixedZone{}, nil
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

// cleanFieldsThen cleans the field list (cleanFields), then runs split (the
// query type's KPI split, which reads the cleaned list).
func cleanFieldsThen(fields *[]string, split func() error) error {
	cleaned, err := cleanFields(*fields)
	if err != nil {
		return err
	}
	*fields = cleaned
	return split()
}

// latestQuery is a latest query resolved at decode time.
type latestQuery struct {
	*LatestQuery
	// ids are the components, in order, distinct.
	ids []int64
}

// resolveLatest checks a latest query and parses its component ids.
func resolveLatest(q *LatestQuery) (*latestQuery, error) {
	ids, err := parseIDs("componentId", q.ComponentID)
	if err != nil {
		return nil, err
	}
	if q.Fields, err = cleanFields(q.Fields); err != nil {
		return nil, err
	}
	for _, f := range q.Fields {
		if kpiByName(f) != nil || f == KPIAvailability {
			return nil, badInput("%q is not offered in the latest query: Locus' latest values are per component and it gives the installed size per site only, so no honest per-component KPI exists (docs/kpi.md); use a site time series query with %q (1min or 5min) and the Last reducer", f, f)
		}
	}
	return &latestQuery{LatestQuery: q, ids: ids}, nil
}

// bulkQuery is a bulk query resolved at decode time.
type bulkQuery struct {
	*BulkQuery
	// clients keeps the sites of these clients; nil keeps every site.
	clients map[int64]bool
}

// resolveBulk checks a bulk query, fills its defaults and parses its
// client filter.
func resolveBulk(q *BulkQuery) (*bulkQuery, error) {
	if err := cleanFieldsThen(&q.Fields, func() error { return splitBulkKPIFields(q) }); err != nil {
		return nil, err
	}
	if q.Format == "" {
		q.Format = BulkTable
	}
	if !contains(bulkFormats, q.Format) {
		return nil, badInput("format %q is unknown: valid values are %s", truncate(string(q.Format), 40), quoteList(bulkFormats))
	}
	clients, err := parseIDFilter("clientId", q.ClientID)
	if err != nil {
		return nil, err
	}
	return &bulkQuery{BulkQuery: q, clients: clients}, nil
}

// rankingQuery is a ranking query resolved at decode time.
type rankingQuery struct {
	*RankingQuery
	// clients keeps the sites of these clients; nil keeps every site.
	clients map[int64]bool
	// siteIDs keeps these sites; nil keeps every site of the clients.
	siteIDs []int64
}

// resolveRanking checks a ranking query, fills its defaults and parses its
// client and site filters.
func resolveRanking(q *RankingQuery) (*rankingQuery, error) {
	r := &rankingQuery{RankingQuery: q}
	var err error
	if r.clients, err = parseIDFilter("clientId", q.ClientID); err != nil {
		return nil, err
	}
	if strings.TrimSpace(q.SiteID) != "" {
		if r.siteIDs, err = parseIDs("siteId", q.SiteID); err != nil {
			return nil, err
		}
	}
	switch t := q.AvailabilityThreshold; {
	case t == 0:
		q.AvailabilityThreshold = kpi.DefaultAvailabilityThreshold
	case math.IsNaN(t) || t < 0 || t > 1500:
		return nil, badInput("availabilityThreshold %g is out of range: give an irradiance in W/m² between 0 and 1500 (default %g)", t, kpi.DefaultAvailabilityThreshold)
	}
	return r, nil
}

// alertsQuery is an alerts query resolved at decode time.
type alertsQuery struct {
	*AlertsQuery
	// ids are the sites or components of a site or component scope.
	ids []int64
}

// resolveAlerts checks an alerts query, fills defaults, canonicalises the
// filter values and parses the ids of its scope.
func resolveAlerts(q *AlertsQuery) (*alertsQuery, error) {
	r := &alertsQuery{AlertsQuery: q}
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
	var err error
	switch q.Scope {
	case ScopePartner:
	case ScopeSite:
		if r.ids, err = parseIDs("siteId", q.SiteID); err != nil {
			return nil, err
		}
	case ScopeComponent:
		if r.ids, err = parseIDs("componentId", q.ComponentID); err != nil {
			return nil, err
		}
	default:
		return nil, badInput("scope %q is unknown: valid values are %s", truncate(string(q.Scope), 40), quoteList(alertScopes))
	}
	if q.AlertTypes, err = canonicalAlertTypes(q.AlertTypes); err != nil {
		return nil, err
	}
	if q.Priorities, err = canonical("priorities", q.Priorities, knownPriorities); err != nil {
		return nil, err
	}
	st := strings.ToLower(strings.TrimSpace(q.Status))
	if st == "all" || st == "any" {
		st = ""
	}
	if st != "" && !contains(knownStatuses, st) {
		return nil, badInput("status %q is unknown: valid values are \"open\", \"closed\" or empty for both", truncate(q.Status, 40))
	}
	q.Status = st
	return r, nil
}

// canonical maps each value (or comma list inside a value) to its known
// spelling, case-insensitively; "All" and empty entries are dropped.
func canonical(field string, in []string, known []string) ([]string, error) {
	var out []string
	for _, p := range splitList(in...) {
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
	return out, nil
}

// canonicalAlertTypes maps each alert type to the spelling Locus documents
// (case-insensitively) and keeps any other type as typed: a custom type is
// valid, fetched unfiltered and matched locally (see upstreamAlertTypes).
// "All" and empty entries are dropped; a type longer than 100 characters is
// refused.
func canonicalAlertTypes(in []string) ([]string, error) {
	var out []string
	for _, p := range splitList(in...) {
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
	return out, nil
}

// splitList splits each value's comma list (a multi-value variable
// interpolated into one entry, {a,b} braces accepted), trimming and
// dropping empty and "All" entries.
func splitList(in ...string) []string {
	var out []string
	for _, v := range in {
		for _, p := range strings.Split(strings.Trim(strings.TrimSpace(v), "{}"), ",") {
			if p = strings.TrimSpace(p); p != "" && !strings.EqualFold(p, "all") && p != "$__all" {
				out = append(out, p)
			}
		}
	}
	return out
}

// metadataQuery is a metadata query resolved at decode time.
type metadataQuery struct {
	*MetadataQuery
	// clients filters sites (kind sites; nil: every site); clientID is the
	// one client of a components query (0: none).
	clients  map[int64]bool
	clientID int64
	// siteIDs are the sites of a components query (nil: none given);
	// siteID is the one site of the other kinds (0: none).
	siteIDs []int64
	siteID  int64
	// componentID scopes kind fields (0: none).
	componentID int64
}

// resolveMetadata checks a metadata query (each kind's required scope) and
// parses its ids.
func resolveMetadata(q *MetadataQuery) (*metadataQuery, error) {
	if q.Kind == "" {
		return nil, badInput("kind is empty: valid values are %s", quoteList(metadataKinds))
	}
	if !contains(metadataKinds, q.Kind) {
		return nil, badInput("kind %q is unknown: valid values are %s", truncate(string(q.Kind), 40), quoteList(metadataKinds))
	}
	r := &metadataQuery{MetadataQuery: q}
	var err error
	if q.Kind == MetaComponents {
		r.clientID, err = parseOptionalID("clientId", q.ClientID)
	} else {
		r.clients, err = parseIDFilter("clientId", q.ClientID)
	}
	if err != nil {
		return nil, err
	}
	if q.Kind == MetaComponents && strings.TrimSpace(q.SiteID) != "" {
		// Components accept a list (a multi-value $site variable).
		if r.siteIDs, err = parseIDs("siteId", q.SiteID); err != nil {
			return nil, err
		}
		r.siteID = r.siteIDs[0]
	} else if r.siteID, err = parseOptionalID("siteId", q.SiteID); err != nil {
		return nil, err
	}
	if r.componentID, err = parseOptionalID("componentId", q.ComponentID); err != nil {
		return nil, err
	}
	switch q.Kind {
	case MetaInstallInfo, MetaModelSettings:
		if r.siteID == 0 {
			return nil, badInput("siteId is empty: kind %q needs a site", q.Kind)
		}
	case MetaComponents:
		if r.siteID == 0 && strings.TrimSpace(q.ClientID) == "" {
			return nil, badInput("siteId is empty: kind \"components\" needs a site (or a clientId for all its components)")
		}
	}
	return r, nil
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
