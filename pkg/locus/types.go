package locus

import "time"

// Client is a Locus client ("project") of a partner.
type Client struct {
	ID        int64  `json:"id"`
	PartnerID int64  `json:"partnerId"`
	TZ        string `json:"tz"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
}

// Site is a Locus site. Optional attributes are pointers or empty strings.
type Site struct {
	ID               int64    `json:"id"`
	ClientID         int64    `json:"clientId"`
	Name             string   `json:"name"`
	Address1         string   `json:"address1"`
	Address2         string   `json:"address2,omitempty"`
	Locale3          string   `json:"locale3"`
	Locale1          string   `json:"locale1"`
	LocaleCode1      string   `json:"localeCode1"`
	PostalCode       string   `json:"postalCode"`
	CountryCode      string   `json:"countryCode"`
	Latitude         *float64 `json:"latitude,omitempty"`
	Longitude        *float64 `json:"longitude,omitempty"`
	LocationTimezone string   `json:"locationTimezone,omitempty"`
}

// Component is a Locus component; components form a tree under a site
// (ParentType "SITE" or "COMPONENT").
type Component struct {
	ID               int64  `json:"id"`
	SiteID           int64  `json:"siteId"`
	ClientID         int64  `json:"clientId"`
	ParentID         int64  `json:"parentId"`
	ParentType       string `json:"parentType"`
	NodeID           string `json:"nodeId"`
	Name             string `json:"name"`
	NodeType         string `json:"nodeType"`
	Application      string `json:"application"`
	GenerationType   string `json:"generationType"`
	OEM              string `json:"oem"`
	Model            string `json:"model"`
	IsConceptualNode bool   `json:"isConceptualNode"`
	SerialNumber     string `json:"serialNumber,omitempty"`
	Description      string `json:"description,omitempty"`
}

// InstallInfo is a site's install information; every attribute is optional.
type InstallInfo struct {
	Installer     string `json:"installer,omitempty"`
	InstallCrew   string `json:"installCrew,omitempty"`
	InstallDate   string `json:"installDate,omitempty"`
	PTODate       string `json:"ptoDate,omitempty"`
	StartupDate   string `json:"startupDate,omitempty"`
	UninstallCrew string `json:"uninstallCrew,omitempty"`
	UninstallDate string `json:"uninstallDate,omitempty"`
}

// ModelSettings are a site's PV model parameters.
type ModelSettings struct {
	Size                 *float64 `json:"size,omitempty"`
	Mismatch             int      `json:"mismatch"`
	DiodesAndConnections int      `json:"diodesAndConnections"`
	DCWiring             int      `json:"dcWiring"`
	Soiling              int      `json:"soiling"`
	SunTracking          int      `json:"sunTracking"`
	Nameplate            int      `json:"nameplate"`
	ACWiring             int      `json:"acWiring"`
	Transformer          int      `json:"transformer"`
	TMY3ID               *int64   `json:"tmy3Id,omitempty"`
}

// Aggregation is one shortName of a base field (W_avg, Wh_sum, ...).
type Aggregation struct {
	ShortName   string `json:"shortName"`
	Aggregation string `json:"aggregation"`
}

// FieldParameter is a data-call parameter a base field accepts, with its allowed values.
type FieldParameter struct {
	Param  string   `json:"param"`
	Values []string `json:"values"`
}

// BaseField is one entry of a dataavailable response.
type BaseField struct {
	BaseField       string           `json:"baseField"`
	LongName        string           `json:"longName"`
	Source          string           `json:"source"` // Measured, Modeled or Expected
	Unit            string           `json:"unit"`
	Aggregations    []Aggregation    `json:"aggregations"`
	FieldParameters []FieldParameter `json:"fieldParameters,omitempty"`
	Granularities   []string         `json:"granularities"`
}

// Alert is a Locus alert; End is nil while the alert is open.
type Alert struct {
	ID               int64      `json:"id"`
	ComponentID      int64      `json:"componentId"`
	ComponentName    string     `json:"componentName"`
	SiteID           int64      `json:"siteId"`
	SiteName         string     `json:"siteName"`
	AlertType        string     `json:"alertType"`
	Priority         string     `json:"priority"`
	Start            time.Time  `json:"start"`
	End              *time.Time `json:"end,omitempty"`
	Updated          time.Time  `json:"updated"`
	DescriptionShort string     `json:"descriptionShort,omitempty"`
	DescriptionLong  string     `json:"descriptionLong,omitempty"`
}

// EntityKind is the level a data or dataavailable call addresses.
type EntityKind string

// Entity kinds of data calls.
const (
	KindSite      EntityKind = "sites"
	KindComponent EntityKind = "components"
)

// DataRequest is one upstream data call. Start and End are wall-clock times
// in TZ, formatted "2006-01-02T15:04:05"; Gran is the API's granularity name.
type DataRequest struct {
	Kind   EntityKind
	ID     int64
	Fields []string
	Start  string
	End    string
	TZ     string
	Gran   string
	// Params are field parameters (modelType, irradianceSource, inverterClipping).
	Params map[string]string
}

// BulkRequest is one partner bulk data call (monthly only, at most one year).
type BulkRequest struct {
	Fields []string
	Start  string
	End    string
	TZ     string
}

// Series is the decoded data of one entity: a time column and one value
// column per requested field, all of equal length, in ts order. Times are
// UTC instants (the bucket starts Locus sent with their offsets; a ts
// without offset is a wall-clock time in the request's tz). The time
// and value columns may be shared with the client's cache and with other
// series: treat them as read-only (build new slices to change one).
type Series struct {
	ID     int64
	Times  []time.Time
	Values map[string]Column
	// Timestamps counts the rows whose ts lacked the zone's offset.
	Timestamps TimestampReport
}

// Column is one field's values over a series' buckets, without a pointer
// per value: Values[i] is bucket i's value when Valid is nil (the column
// has no null) or Valid[i] is true; a null bucket holds 0 in Values. Both
// slices have the column's length (Valid when not nil).
type Column struct {
	Values []float64
	Valid  []bool
}

// Len is the number of buckets of the column.
func (c Column) Len() int { return len(c.Values) }

// At returns bucket i's value and whether it has one (false past the end).
func (c Column) At(i int) (float64, bool) {
	if i < 0 || i >= len(c.Values) || (c.Valid != nil && !c.Valid[i]) {
		return 0, false
	}
	return c.Values[i], true
}

// HasNulls reports whether some bucket of the column has no value.
func (c Column) HasNulls() bool {
	for _, ok := range c.Valid {
		if !ok {
			return true
		}
	}
	return false
}

// Pointers returns the column as nullable values (nil where a bucket has
// no value), pointing into Values: one slice, no allocation per value.
func (c Column) Pointers() []*float64 {
	out := make([]*float64, len(c.Values))
	for i := range c.Values {
		if c.Valid == nil || c.Valid[i] {
			out[i] = &c.Values[i]
		}
	}
	return out
}

// ColumnOf builds a column from nullable values (nil is a null), copying
// them; Valid stays nil when no value is nil.
func ColumnOf(vals []*float64) Column {
	c := Column{Values: make([]float64, len(vals))}
	for i, p := range vals {
		if p != nil {
			c.Values[i] = *p
			continue
		}
		if c.Valid == nil {
			c.Valid = make([]bool, len(vals))
			for j := range i {
				c.Valid[j] = true
			}
		}
	}
	if c.Valid != nil {
		for i, p := range vals {
			c.Valid[i] = p != nil
		}
	}
	return c
}

// AlertsRequest filters an alerts call. Times are wall-clock in TZ.
type AlertsRequest struct {
	Kind          string // "partners", "sites" or "components"
	ID            int64
	TZ            string
	UpdatedSince  string
	OpenDuringMin string
	OpenDuringMax string
	AlertTypes    []string
	Status        string
	Priorities    []string
}
