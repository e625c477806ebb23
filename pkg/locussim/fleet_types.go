package locussim

import "time"

// Site classes, which decide size and equipment.
const (
	classResidential = iota
	classCommercial
	classUtility
)

var classNames = [...]string{"residential", "commercial", "utility"}

// Node types of generated components.
const (
	NodeMeter          = "METER"
	NodeInverter       = "INVERTER"
	NodeWeatherStation = "WEATHERSTATION"
)

// Partner is a Locus partner (an account's top-level entity).
type Partner struct {
	ID        int64
	Name      string
	ClientIDs []int64
	SiteIDs   []int64
}

// Client is a Locus client ("project") as the API returns it.
type Client struct {
	ID        int64  `json:"id"`
	PartnerID int64  `json:"partnerId"`
	TZ        string `json:"tz"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
}

// InstallInfo is a site's install information (optional members omitted when empty).
type InstallInfo struct {
	Installer     string `json:"installer,omitempty"`
	InstallCrew   string `json:"installCrew,omitempty"`
	InstallDate   string `json:"installDate,omitempty"`
	PTODate       string `json:"ptoDate,omitempty"`
	StartupDate   string `json:"startupDate,omitempty"`
	UninstallCrew string `json:"uninstallCrew,omitempty"`
	UninstallDate string `json:"uninstallDate,omitempty"`
}

// ModelSettings are a site's PV model parameters (percentages).
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

// Site is a generated site. Exported fields describe it for tests; the API
// object is built from them (Latitude/Longitude are omitted from it when
// HasLocation is false).
type Site struct {
	ID          int64
	ClientID    int64
	PartnerID   int64
	Name        string
	Address1    string
	Address2    string
	Locale3     string // city
	Locale1     string // state
	LocaleCode1 string
	PostalCode  string
	CountryCode string
	// Latitude and Longitude are the physical location the data is modelled at.
	Latitude, Longitude float64
	// HasLocation is false for the few sites that cannot be geolocated: the
	// API omits their latitude/longitude and they have no GHI_m fields.
	HasLocation bool
	// Timezone is the IANA locationTimezone.
	Timezone string
	// Class is residential, commercial or utility.
	Class string
	// SizeKW is the installed DC size.
	SizeKW float64
	// Startup is local midnight of the startup date; no data exists before it.
	Startup time.Time
	// Install and Model are what installinfo and modelsettings return.
	Install InstallInfo
	Model   ModelSettings
	// Components lists the site's components, parents before children.
	Components []*Component

	loc     *time.Location
	place   *place
	placeIx uint64
	class   int
	variant variant // place, tilt and azimuth the physics is modelled with
	startup int64   // Unix minute of Startup
	health  float64 // measured / modelled ratio of a healthy system
}

// Component is a generated component. Exported fields describe it for
// tests; the API object is built from them.
type Component struct {
	ID               int64
	SiteID           int64
	ClientID         int64
	PartnerID        int64
	ParentID         int64
	ParentType       string
	NodeID           string
	Name             string
	NodeType         string
	Application      string
	GenerationType   string
	OEM              string
	Model            string
	IsConceptualNode bool
	SerialNumber     string
	Description      string
	// Notes is searched by the partner components `notes` filter; the API
	// does not return it.
	Notes string
	// ChildIDs are the components whose parent is this one.
	ChildIDs []int64
	// DCSizeW and ACCapacityW describe an inverter (zero for other types).
	DCSizeW, ACCapacityW float64

	site      *Site
	inverters []*Component // a meter's inverters
	health    float64      // inverter's own performance factor
	vNominal  float64      // line-to-line AC voltage
}

// Site returns the component's site.
func (c *Component) Site() *Site { return c.site }

// Location returns the site's time zone.
func (s *Site) Location() *time.Location { return s.loc }

// ComponentsOfType returns the site's components of one node type.
func (s *Site) ComponentsOfType(nodeType string) []*Component {
	var out []*Component
	for _, c := range s.Components {
		if c.NodeType == nodeType {
			out = append(out, c)
		}
	}
	return out
}

// Fleet is the generated, immutable set of partners, clients, sites and
// components. Treat it as read-only.
type Fleet struct {
	Partners   []*Partner
	Clients    []*Client
	Sites      []*Site
	Components []*Component

	partnerByID map[int64]*Partner
	clientByID  map[int64]*Client
	siteByID    map[int64]*Site
	compByID    map[int64]*Component
	sitesByCli  map[int64][]*Site
}

// Partner returns a partner by id, or nil.
func (f *Fleet) Partner(id int64) *Partner { return f.partnerByID[id] }

// Client returns a client by id, or nil.
func (f *Fleet) Client(id int64) *Client { return f.clientByID[id] }

// Site returns a site by id, or nil.
func (f *Fleet) Site(id int64) *Site { return f.siteByID[id] }

// Component returns a component by id, or nil.
func (f *Fleet) Component(id int64) *Component { return f.compByID[id] }

// SitesOfPartner returns a partner's sites in id order.
func (f *Fleet) SitesOfPartner(partnerID int64) []*Site {
	p := f.partnerByID[partnerID]
	if p == nil {
		return nil
	}
	out := make([]*Site, 0, len(p.SiteIDs))
	for _, id := range p.SiteIDs {
		out = append(out, f.siteByID[id])
	}
	return out
}

// SitesOfClient returns a client's sites in id order.
func (f *Fleet) SitesOfClient(clientID int64) []*Site { return f.sitesByCli[clientID] }

// componentsOfSites lists the components of sites, site by site in order.
func componentsOfSites(sites []*Site) []*Component {
	var comps []*Component
	for _, st := range sites {
		comps = append(comps, st.Components...)
	}
	return comps
}

// FindSite returns the first site of the partner for which ok is true, or nil.
func (f *Fleet) FindSite(partnerID int64, ok func(*Site) bool) *Site {
	for _, s := range f.SitesOfPartner(partnerID) {
		if ok(s) {
			return s
		}
	}
	return nil
}

// HasTypes reports whether a site has at least one component of each node type.
func (s *Site) HasTypes(nodeTypes ...string) bool {
	for _, t := range nodeTypes {
		if len(s.ComponentsOfType(t)) == 0 {
			return false
		}
	}
	return true
}
