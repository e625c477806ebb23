// Package query holds the plugin's query model (mirrored by src/types.ts) and
// one handler per query type.
package query

// QueryType names one kind of query; it is the discriminator of the model.
type QueryType string

// The query types the plugin serves.
const (
	// TypeTimeSeries is site or component data over the panel's time range.
	TypeTimeSeries QueryType = "timeseries"
	// TypeLatest is the latest point of component fields.
	TypeLatest QueryType = "latest"
	// TypeBulk is partner-wide monthly site data (fleet bulk).
	TypeBulk QueryType = "bulk"
	// TypeAlerts is Locus alerts for a partner, site or component.
	TypeAlerts QueryType = "alerts"
	// TypeMetadata is a table of clients, sites, components, install info or model settings.
	TypeMetadata QueryType = "metadata"
	// TypeRanking is one row per site with KPIs over the range, worst first (ranking.go).
	TypeRanking QueryType = "ranking"
)

// Base is shared by every query type.
type Base struct {
	RefID     string    `json:"refId"`
	QueryType QueryType `json:"queryType"`
	// Alias is a legend template: {{site}} {{component}} {{field}} {{longName}} {{aggregation}} {{source}} {{unit}}.
	Alias string `json:"alias,omitempty"`
}

// EntityType says whether a query targets a site or a component.
type EntityType string

// Entity types.
const (
	EntitySite      EntityType = "site"
	EntityComponent EntityType = "component"
)

// Entity selects one or more sites or components. IDs are strings so that
// template variables survive the dashboard JSON; after interpolation each
// holds one integer id or a comma-separated list of them (multi-value and
// "All" variables give one series per id).
type Entity struct {
	EntityType  EntityType `json:"entityType,omitempty"`
	SiteID      string     `json:"siteId,omitempty"`
	ComponentID string     `json:"componentId,omitempty"`
}

// TimeZoneMode says which zone aligns buckets and is sent as `tz`.
type TimeZoneMode string

// Time zone modes.
const (
	// TZSite uses the site's locationTimezone (default).
	TZSite TimeZoneMode = "site"
	// TZDashboard uses the dashboard's zone, sent by the frontend in TimeZone.
	TZDashboard TimeZoneMode = "dashboard"
	// TZUTC uses UTC.
	TZUTC TimeZoneMode = "utc"
	// TZNamed uses the IANA zone in TimeZone.
	TZNamed TimeZoneMode = "named"
)

// TimeSeriesQuery is data for sites or components over the panel's range.
type TimeSeriesQuery struct {
	Base
	Entity
	// Fields are dataavailable shortNames such as W_avg, Wh_sum, and for
	// sites the KPI fields specificYield, normalisedPower, performanceIndex
	// and performanceRatio (docs/kpi.md).
	Fields []string `json:"fields"`
	// FieldParams are the field parameters (modelType, irradianceSource,
	// inverterClipping) sent with the data call, values from dataavailable.
	FieldParams map[string]string `json:"fieldParams,omitempty"`
	// Granularity is "auto" (default) or one of 1min 5min 15min hourly daily monthly yearly.
	Granularity string `json:"granularity,omitempty"`
	// TimeZoneMode defaults to TZSite.
	TimeZoneMode TimeZoneMode `json:"timeZoneMode,omitempty"`
	// TimeZone is the IANA zone for TZNamed and TZDashboard.
	TimeZone string `json:"timeZone,omitempty"`
	// Edges says what happens to a bucket that straddles the range's from
	// or to: "exact" (default) recomputes it over its part inside the range
	// from finer buckets (sum: sum, avg: duration-weighted mean, min/max:
	// min/max), "omit" leaves it out with a notice (docs/range-contract.md).
	Edges string `json:"edges,omitempty"`

	// shown are the Locus fields asked for and kpis the KPI fields
	// (KPIFieldNames); Fields becomes what to fetch (kpi.go), optional the
	// KPI inputs fetched only from entities that offer them.
	shown, kpis, optional []string
}

// LatestQuery is the latest point of component fields (gran=latest).
type LatestQuery struct {
	Base
	// ComponentID is one id or a comma-separated list.
	ComponentID string   `json:"componentId"`
	Fields      []string `json:"fields"`
}

// BulkFormat is the shape of a fleet bulk result.
type BulkFormat string

// Bulk formats.
const (
	// BulkTable is one row per site and month with name, latitude, longitude.
	BulkTable BulkFormat = "table"
	// BulkTimeSeries is one series per site and field.
	BulkTimeSeries BulkFormat = "timeseries"
)

// BulkQuery is partner-wide monthly site data.
type BulkQuery struct {
	Base
	Fields []string   `json:"fields"`
	Format BulkFormat `json:"format,omitempty"`
	// ClientID optionally keeps only the sites of one client.
	ClientID string `json:"clientId,omitempty"`
	// LatestMonthOnly keeps only the newest month of the range (for maps and stat tables).
	LatestMonthOnly bool `json:"latestMonthOnly,omitempty"`

	// shown are the bulk fields asked for and kpis the KPI fields
	// (BulkKPIFieldNames); Fields becomes what to fetch (kpi.go).
	shown, kpis []string
}

// AlertScope is the entity level whose alerts are listed.
type AlertScope string

// Alert scopes.
const (
	ScopePartner   AlertScope = "partner"
	ScopeSite      AlertScope = "site"
	ScopeComponent AlertScope = "component"
)

// AlertsQuery lists Locus alerts open during the panel's range.
type AlertsQuery struct {
	Base
	Scope       AlertScope `json:"scope,omitempty"`
	SiteID      string     `json:"siteId,omitempty"`
	ComponentID string     `json:"componentId,omitempty"`
	// AlertTypes filters by type (System Disconnect, Zero Generation, ...); empty means all.
	AlertTypes []string `json:"alertTypes,omitempty"`
	// Priorities filters by High, Medium, Low; empty means all.
	Priorities []string `json:"priorities,omitempty"`
	// Status is "open", "closed" or empty for both.
	Status string `json:"status,omitempty"`
}

// MetadataKind is the table a metadata query returns.
type MetadataKind string

// Metadata kinds.
const (
	MetaClients       MetadataKind = "clients"
	MetaSites         MetadataKind = "sites"
	MetaComponents    MetadataKind = "components"
	MetaInstallInfo   MetadataKind = "installinfo"
	MetaModelSettings MetadataKind = "modelsettings"
	MetaFields        MetadataKind = "fields"
)

// MetadataQuery is a table of Locus metadata; also backs template variables.
type MetadataQuery struct {
	Base
	Kind MetadataKind `json:"kind"`
	// ClientID filters sites by client.
	ClientID string `json:"clientId,omitempty"`
	// SiteID scopes components, install info, model settings and fields.
	SiteID string `json:"siteId,omitempty"`
	// ComponentID scopes fields to a component.
	ComponentID string `json:"componentId,omitempty"`
	// NodeType filters components (METER, INVERTER, WEATHERSTATION, ...).
	NodeType string `json:"nodeType,omitempty"`
}

// RankingQuery ranks the sites in scope over the panel's range, worst
// performance index first (docs/kpi.md).
type RankingQuery struct {
	Base
	// ClientID keeps the sites of these clients (comma list); empty: the partner's.
	ClientID string `json:"clientId,omitempty"`
	// SiteID keeps these sites (comma list, e.g. a multi-value variable).
	SiteID string `json:"siteId,omitempty"`
	// PerSite computes PR and availability from per-site hourly data even
	// when bulk data covers the range (one request per site and 31 days).
	PerSite bool `json:"perSite,omitempty"`
	// AvailabilityThreshold is the modelled POA irradiance (W/m²) from which
	// an hour counts as daylight for availability; default 50.
	AvailabilityThreshold float64 `json:"availabilityThreshold,omitempty"`
}
