package locussim

import (
	"net/http"
	"strconv"
	"strings"
)

// routes registers every endpoint of the reference.
func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /oauth/token", s.handleToken)
	m.HandleFunc("GET /v3/clients/{id}", s.getClient)
	m.HandleFunc("GET /v3/partners/{id}/clients", s.partnerClients)
	m.HandleFunc("GET /v3/sites/{id}", s.getSite)
	m.HandleFunc("GET /v3/clients/{id}/sites", s.clientSites)
	m.HandleFunc("GET /v3/partners/{id}/sites", s.partnerSites)
	m.HandleFunc("GET /v3/sites/{id}/installinfo", s.installInfo)
	m.HandleFunc("GET /v3/sites/{id}/modelsettings", s.modelSettings)
	m.HandleFunc("GET /v3/components/{id}", s.getComponent)
	m.HandleFunc("GET /v3/sites/{id}/components", s.siteComponents)
	m.HandleFunc("GET /v3/clients/{id}/components", s.clientComponents)
	m.HandleFunc("GET /v3/partners/{id}/components", s.partnerComponents)
	m.HandleFunc("GET /v3/components/{id}/dataavailable", s.componentDataAvailable)
	m.HandleFunc("GET /v3/sites/{id}/dataavailable", s.siteDataAvailable)
	m.HandleFunc("GET /v3/partners/{id}/sites/dataavailable", s.bulkDataAvailable)
	m.HandleFunc("GET /v3/components/{id}/data", s.componentData)
	m.HandleFunc("GET /v3/sites/{id}/data", s.siteData)
	m.HandleFunc("GET /v3/partners/{id}/sites/data", s.bulkData)
	m.HandleFunc("GET /v3/partners/{id}/alerts", s.partnerAlerts)
	m.HandleFunc("GET /v3/sites/{id}/alerts", s.siteAlerts)
	m.HandleFunc("GET /v3/components/{id}/alerts", s.componentAlerts)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
	s.mux = m
}

// pathID parses the {id} path value; it writes a 400 and returns false
// when it is not a positive integer.
func pathID(w http.ResponseWriter, r *http.Request, what string) (int64, bool) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, what+" must be a positive integer, got "+quote(raw))
		return 0, false
	}
	return id, true
}

// owned writes 404 for an unknown entity and 403 for another partner's.
func owned(w http.ResponseWriter, r *http.Request, what string, id int64, exists bool, partnerID int64) bool {
	if !exists {
		writeError(w, http.StatusNotFound, what+" "+strconv.FormatInt(id, 10)+" not found")
		return false
	}
	if partnerID != accountOf(r).partnerID {
		writeError(w, http.StatusForbidden, what+" "+strconv.FormatInt(id, 10)+" does not belong to your partner")
		return false
	}
	return true
}

func (s *Server) lookupPartner(w http.ResponseWriter, r *http.Request) (*Partner, bool) {
	id, ok := pathID(w, r, "partnerId")
	if !ok {
		return nil, false
	}
	p := s.Fleet().Partner(id)
	if p == nil {
		writeError(w, http.StatusNotFound, "partner "+strconv.FormatInt(id, 10)+" not found")
		return nil, false
	}
	if !owned(w, r, "partner", id, true, p.ID) {
		return nil, false
	}
	return p, true
}

// lookupOwned reads the id in path parameter param, finds it with get and
// checks that it belongs to the caller's partner (owned): the entity, or
// false once the error answer is written.
func lookupOwned[T any](w http.ResponseWriter, r *http.Request, param, what string, get func(int64) *T, partnerOf func(*T) int64) (*T, bool) {
	id, ok := pathID(w, r, param)
	if !ok {
		return nil, false
	}
	v := get(id)
	var pid int64
	if v != nil {
		pid = partnerOf(v)
	}
	return v, owned(w, r, what, id, v != nil, pid)
}

func (s *Server) lookupClient(w http.ResponseWriter, r *http.Request) (*Client, bool) {
	return lookupOwned(w, r, "clientId", "client", s.Fleet().Client, func(c *Client) int64 { return c.PartnerID })
}

func (s *Server) lookupSite(w http.ResponseWriter, r *http.Request) (*Site, bool) {
	return lookupOwned(w, r, "siteId", "site", s.Fleet().Site, func(st *Site) int64 { return st.PartnerID })
}

func (s *Server) lookupComponent(w http.ResponseWriter, r *http.Request) (*Component, bool) {
	return lookupOwned(w, r, "componentId", "component", s.Fleet().Component, func(c *Component) int64 { return c.PartnerID })
}

// siteJSON is the API's site object.
type siteJSON struct {
	StatusCode       int      `json:"statusCode,omitempty"`
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

func siteObject(s *Site) siteJSON {
	o := siteJSON{StatusCode: 200, ID: s.ID, ClientID: s.ClientID, Name: s.Name, Address1: s.Address1,
		Address2: s.Address2, Locale3: s.Locale3, Locale1: s.Locale1, LocaleCode1: s.LocaleCode1,
		PostalCode: s.PostalCode, CountryCode: s.CountryCode, LocationTimezone: s.Timezone}
	if s.HasLocation {
		lat, lon := s.Latitude, s.Longitude
		o.Latitude, o.Longitude = &lat, &lon
	}
	return o
}

// componentJSON is the API's component object.
type componentJSON struct {
	StatusCode       int    `json:"statusCode,omitempty"`
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

func componentObject(c *Component) componentJSON {
	return componentJSON{ID: c.ID, SiteID: c.SiteID, ClientID: c.ClientID, ParentID: c.ParentID,
		ParentType: c.ParentType, NodeID: c.NodeID, Name: c.Name, NodeType: c.NodeType,
		Application: c.Application, GenerationType: c.GenerationType, OEM: c.OEM, Model: c.Model,
		IsConceptualNode: c.IsConceptualNode, SerialNumber: c.SerialNumber, Description: c.Description}
}

type clientJSON struct {
	StatusCode int `json:"statusCode,omitempty"`
	*Client
}

func (s *Server) getClient(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.lookupClient(w, r); ok {
		writeJSON(w, http.StatusOK, clientJSON{200, c})
	}
}

func (s *Server) partnerClients(w http.ResponseWriter, r *http.Request) {
	p, ok := s.lookupPartner(w, r)
	if !ok {
		return
	}
	f := s.Fleet()
	out := make([]*Client, 0, len(p.ClientIDs))
	for _, id := range p.ClientIDs {
		out = append(out, f.Client(id))
	}
	writeJSON(w, http.StatusOK, map[string]any{"statusCode": 200, "clients": out})
}

func (s *Server) getSite(w http.ResponseWriter, r *http.Request) {
	if st, ok := s.lookupSite(w, r); ok {
		writeJSON(w, http.StatusOK, siteObject(st))
	}
}

func writeSites(w http.ResponseWriter, sites []*Site) {
	out := make([]siteJSON, 0, len(sites))
	for _, st := range sites {
		out = append(out, siteObject(st))
	}
	writeJSON(w, http.StatusOK, map[string]any{"statusCode": 200, "sites": out})
}

func (s *Server) clientSites(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.lookupClient(w, r); ok {
		writeSites(w, s.Fleet().SitesOfClient(c.ID))
	}
}

func (s *Server) partnerSites(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.lookupPartner(w, r); ok {
		writeSites(w, s.Fleet().SitesOfPartner(p.ID))
	}
}

func (s *Server) installInfo(w http.ResponseWriter, r *http.Request) {
	if st, ok := s.lookupSite(w, r); ok {
		writeJSON(w, http.StatusOK, struct {
			StatusCode int `json:"statusCode"`
			InstallInfo
		}{200, st.Install})
	}
}

func (s *Server) modelSettings(w http.ResponseWriter, r *http.Request) {
	if st, ok := s.lookupSite(w, r); ok {
		writeJSON(w, http.StatusOK, struct {
			StatusCode int `json:"statusCode"`
			ModelSettings
		}{200, st.Model})
	}
}

func (s *Server) getComponent(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.lookupComponent(w, r); ok {
		o := componentObject(c)
		o.StatusCode = 200
		writeJSON(w, http.StatusOK, o)
	}
}

func writeComponents(w http.ResponseWriter, comps []*Component) {
	out := make([]componentJSON, 0, len(comps))
	for _, c := range comps {
		out = append(out, componentObject(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"statusCode": 200, "components": out})
}

func (s *Server) siteComponents(w http.ResponseWriter, r *http.Request) {
	if st, ok := s.lookupSite(w, r); ok {
		writeComponents(w, st.Components)
	}
}

func (s *Server) clientComponents(w http.ResponseWriter, r *http.Request) {
	c, ok := s.lookupClient(w, r)
	if !ok {
		return
	}
	comps := componentsOfSites(s.Fleet().SitesOfClient(c.ID))
	writeComponents(w, comps)
}

func (s *Server) partnerComponents(w http.ResponseWriter, r *http.Request) {
	p, ok := s.lookupPartner(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	nodeID, hasNode := q["nodeId"]
	notes, hasNotes := q["notes"]
	var comps []*Component
	for _, st := range s.Fleet().SitesOfPartner(p.ID) {
		for _, c := range st.Components {
			if hasNode && !likeMatch(nodeID[0], c.NodeID) {
				continue
			}
			if hasNotes && !likeMatch(notes[0], c.Notes) {
				continue
			}
			comps = append(comps, c)
		}
	}
	writeComponents(w, comps)
}

// likeMatch matches s against a pattern where % is a wildcard for any run
// of characters (SQL LIKE, case-insensitive).
func likeMatch(pattern, s string) bool {
	p, t := strings.ToLower(pattern), strings.ToLower(s)
	parts := strings.Split(p, "%")
	if len(parts) == 1 {
		return p == t
	}
	if !strings.HasPrefix(t, parts[0]) {
		return false
	}
	t = t[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(t, mid)
		if i < 0 {
			return false
		}
		t = t[i+len(mid):]
	}
	return strings.HasSuffix(t, last)
}
