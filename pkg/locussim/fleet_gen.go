package locussim

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// ID bases: ids are sequential from these, sites and components numbered
// across both partners (main partner first).
const (
	clientIDBase    = 410000
	siteIDBase      = 3390000
	componentIDBase = 20000000
)

// startupEpoch is the earliest startup date; startup dates are absolute so
// the fleet depends on the seed only.
var startupEpoch = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

type inverterModel struct {
	oem, model string
	capW       float64
	vLL        float64
}

var residentialInverters = []inverterModel{
	{"SolarEdge", "SE7600H-US", 7600, 240},
	{"SolarEdge", "SE10000H-US", 10000, 240},
	{"Fronius", "Primo 8.2-1", 8200, 240},
}

var commercialInverters = []inverterModel{
	{"Solectria", "PVI 36TL-480", 36000, 480},
	{"Chint Power Systems", "CPS SCA50KTL-DO/US-480", 50000, 480},
	{"SMA", "Sunny Tripower CORE1 62-US", 62500, 480},
	{"Advanced Energy", "AE 100TX", 100000, 480},
}

var utilityInverters = []inverterModel{
	{"Sungrow", "SG250HX-US", 250000, 600},
	{"Advanced Energy", "AE 500NX 480V", 500000, 480},
}

var deviceDescriptions = []string{"revenue grade meter", "production meter", "utility interconnection meter"}

// generateFleet builds the whole fleet deterministically from cfg.
func generateFleet(cfg Config) *Fleet {
	f := &Fleet{
		partnerByID: map[int64]*Partner{},
		clientByID:  map[int64]*Client{},
		siteByID:    make(map[int64]*Site, cfg.Sites+OtherSites),
		compByID:    make(map[int64]*Component, 10*(cfg.Sites+OtherSites)),
		sitesByCli:  map[int64][]*Site{},
	}
	g := &fleetGen{locs: map[string]*time.Location{}, f: f, seed: uint64(cfg.Seed), nextSite: siteIDBase + 1, nextComp: componentIDBase + 1, nextClient: clientIDBase + 1}
	g.partner(cfg.PartnerID, "Sunfleet Asset Management", cfg.Sites, true)
	g.partner(cfg.otherPartnerID(), "Other Partner Solar", OtherSites, false)
	return f
}

// location loads a zone once per generation (LoadLocation reads tzdata).
func (g *fleetGen) location(name string) *time.Location {
	if loc, ok := g.locs[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC // the places table only holds zones Go ships
	}
	g.locs[name] = loc
	return loc
}

type fleetGen struct {
	locs                           map[string]*time.Location
	f                              *Fleet
	seed                           uint64
	nextSite, nextComp, nextClient int64
}

func (g *fleetGen) partner(id int64, name string, nSites int, main bool) {
	p := &Partner{ID: id, Name: name}
	g.f.Partners = append(g.f.Partners, p)
	g.f.partnerByID[id] = p
	nClients := max(1, (nSites+3)/4)
	clients := make([]*Client, nClients)
	for k := range clients {
		clients[k] = &Client{ID: g.nextClient, PartnerID: id}
		g.nextClient++
		p.ClientIDs = append(p.ClientIDs, clients[k].ID)
	}
	for i := 0; i < nSites; i++ {
		cl := clients[i%nClients]
		s := g.site(p, cl, i, main)
		if i < nClients {
			g.fillClient(cl, s, uint64(i))
		}
	}
	for _, cl := range clients {
		g.f.Clients = append(g.f.Clients, cl)
		g.f.clientByID[cl.ID] = cl
	}
}

func (g *fleetGen) fillClient(cl *Client, first *Site, i uint64) {
	h := hash3(g.seed, saltClient, uint64(cl.ID))
	cl.TZ = first.place.clientTZ
	cl.FirstName = firstNames[pick(h, len(firstNames))]
	cl.LastName = lastNames[pick(h>>17, len(lastNames))]
	cl.Email = strings.ToLower(cl.FirstName+"."+cl.LastName) + fmt.Sprintf("%d@example.com", i+1)
}

// forcedClass makes the first sites of the main partner cover every kind of
// equipment, so small fleets are still interesting.
var forcedClass = []int{classCommercial, classUtility, classResidential, classCommercial}

func (g *fleetGen) site(p *Partner, cl *Client, i int, main bool) *Site {
	h := func(k uint64) uint64 { return hash4(g.seed, saltSite, uint64(p.ID)<<20|uint64(i), k) }
	placeIx := pick(h(1), len(places))
	pl := &places[placeIx]
	class := classResidential
	switch u := unit(h(2)); {
	case main && i < len(forcedClass):
		class = forcedClass[i]
	case u < 0.25:
		class = classResidential
	case u < 0.78:
		class = classCommercial
	default:
		class = classUtility
	}
	loc := g.location(pl.tz)
	special := !main || i >= len(forcedClass)
	s := &Site{
		ID:          g.nextSite,
		ClientID:    cl.ID,
		PartnerID:   p.ID,
		Address1:    fmt.Sprintf("%d %s", 10+pick(h(3), 9000), streetNames[pick(h(4), len(streetNames))]),
		Locale3:     pl.city,
		Locale1:     pl.state,
		LocaleCode1: pl.stateCode,
		PostalCode:  pl.zip,
		CountryCode: "US",
		Latitude:    round(pl.lat+between(h(5), -0.15, 0.15), 4),
		Longitude:   round(pl.lon+between(h(6), -0.15, 0.15), 4),
		HasLocation: !(special && unit(h(7)) < 0.05),
		Timezone:    pl.tz,
		Class:       classNames[class],
		loc:         loc,
		place:       pl,
		placeIx:     uint64(placeIx),
		class:       class,
		health:      between(h(8), 0.93, 0.99),
	}
	g.nextSite++
	if unit(h(9)) < 0.3 {
		s.Address2 = fmt.Sprintf("Unit %d", 1+pick(h(10), 40))
	}
	kinds := siteKinds[class]
	s.Name = fmt.Sprintf("%s %s %d", pl.city, kinds[pick(h(11), len(kinds))], i+1)

	switch class {
	case classResidential:
		s.SizeKW = round(between(h(12), 4, 14), 2)
		s.variant = variant{place: uint64(placeIx), tilt: 22, azim: int16(-20 + 10*pick(h(13), 5))}
	case classCommercial:
		s.SizeKW = round(between(h(12), 60, 1500), 1)
		s.variant = variant{place: uint64(placeIx), tilt: 10}
	default:
		s.SizeKW = round(between(h(12), 2000, 8000), 0)
		s.variant = variant{place: uint64(placeIx), tilt: 25}
	}

	days := 365 * 10
	if main && i < len(forcedClass) {
		days = 365 * 4
	}
	startDay := startupEpoch.AddDate(0, 0, pick(h(14), days))
	s.Startup = time.Date(startDay.Year(), startDay.Month(), startDay.Day(), 0, 0, 0, 0, loc)
	s.startup = s.Startup.Unix() / 60
	s.Install = InstallInfo{
		InstallDate: startDay.AddDate(0, 0, -3-pick(h(15), 18)).Format(dateLayout),
		PTODate:     startDay.AddDate(0, 0, -pick(h(16), 5)).Format(dateLayout),
		StartupDate: startDay.Format(dateLayout),
	}
	if unit(h(17)) < 0.9 {
		s.Install.Installer = installers[pick(h(18), len(installers))]
	}
	if unit(h(19)) < 0.5 {
		s.Install.InstallCrew = crews[pick(h(20), len(crews))]
	}
	noComponents := special && unit(h(21)) < 0.025
	s.Model = ModelSettings{Mismatch: 98, DiodesAndConnections: 99, DCWiring: 98,
		Soiling: 95 + pick(h(22), 4), SunTracking: 100, Nameplate: 100, ACWiring: 99, Transformer: 100}
	if class == classUtility {
		s.Model.Transformer = 98
	}
	if !noComponents {
		size := s.SizeKW
		s.Model.Size = &size
		g.components(s, h)
	}
	if s.HasLocation {
		tmy := pl.tmy3
		s.Model.TMY3ID = &tmy
	}
	p.SiteIDs = append(p.SiteIDs, s.ID)
	g.f.Sites = append(g.f.Sites, s)
	g.f.siteByID[s.ID] = s
	g.f.sitesByCli[cl.ID] = append(g.f.sitesByCli[cl.ID], s)
	return s
}

func (g *fleetGen) components(s *Site, h func(uint64) uint64) {
	mac := fmt.Sprintf("001EC6%06X", h(30)&0xFFFFFF)
	var models []inverterModel
	switch s.class {
	case classResidential:
		models = residentialInverters
	case classCommercial:
		models = commercialInverters
	default:
		models = utilityInverters
	}
	im := models[pick(h(31), len(models))]
	if s.class == classCommercial {
		// A model that fits the size: about 2..14 inverters.
		for _, m := range commercialInverters {
			if s.SizeKW*1000/1.25/m.capW <= 14 {
				im = m
				break
			}
		}
	}
	nInv := max(1, int(math.Round(s.SizeKW*1000/1.25/im.capW)))
	if s.class != classResidential {
		nInv = max(2, nInv)
	}
	nMeters := 1
	if s.class == classUtility {
		nMeters = 2
		if nInv > 8 {
			nMeters = 3
		}
	}
	dcEach := s.SizeKW * 1000 / float64(nInv)
	meters := make([]*Component, nMeters)
	for m := range meters {
		name := "PV Meter"
		if nMeters > 1 {
			name = fmt.Sprintf("PV Meter %d", m+1)
		}
		model := "LGate 120"
		if s.class != classResidential {
			model = "LGate 360"
		}
		c := g.component(s, s.ID, "SITE", fmt.Sprintf("OB.%s.%d", mac, m+1), name, NodeMeter, "Locus Energy", model, im.vLL)
		c.Notes = fmt.Sprintf("Revenue meter %d, utility account %08d", m+1, h(40+uint64(m))%100000000)
		if unit(h(50+uint64(m))) < 0.4 {
			c.Description = "This is a " + deviceDescriptions[pick(h(60+uint64(m)), len(deviceDescriptions))]
		}
		meters[m] = c
	}
	for k := 0; k < nInv; k++ {
		meter := meters[k%nMeters]
		name := fmt.Sprintf("Inverter %d", k+1)
		if s.class == classUtility {
			name = fmt.Sprintf("%s Inverter B%d-%d", shortOEM(im.oem), k%nMeters+1, k/nMeters+1)
		} else if s.class == classCommercial {
			name = fmt.Sprintf("%s Inverter E%d", shortOEM(im.oem), k+1)
		}
		c := g.component(s, meter.ID, "COMPONENT", fmt.Sprintf("OB.%s.%d", mac, 11+k), name, NodeInverter, im.oem, im.model, im.vLL)
		c.DCSizeW = dcEach
		c.ACCapacityW = im.capW
		hi := hash3(g.seed, saltInverter, uint64(c.ID))
		c.health = between(hi, 0.97, 1.01)
		c.Notes = fmt.Sprintf("Inverter %d on %s, block %c", k+1, meter.Name, 'A'+rune(k%nMeters))
		meter.ChildIDs = append(meter.ChildIDs, c.ID)
		meter.inverters = append(meter.inverters, c)
	}
	if s.class != classResidential || unit(h(32)) < 0.15 {
		c := g.component(s, s.ID, "SITE", fmt.Sprintf("OB.%s.90", mac), "Weather Station", NodeWeatherStation, "Campbell Scientific", "WS-POA-2", 0)
		c.Notes = "Weather station, POA and GHI pyranometers, ambient and back-of-module temperature"
	}
	// Parents before children: meters, their inverters, then the weather station.
	ordered := make([]*Component, 0, len(s.Components))
	for _, c := range s.Components {
		if c.NodeType == NodeMeter {
			ordered = append(ordered, c)
			ordered = append(ordered, c.inverters...)
		}
	}
	for _, c := range s.Components {
		if c.NodeType == NodeWeatherStation {
			ordered = append(ordered, c)
		}
	}
	s.Components = ordered
}

func (g *fleetGen) component(s *Site, parent int64, parentType, nodeID, name, nodeType, oem, model string, vLL float64) *Component {
	c := &Component{
		ID: g.nextComp, SiteID: s.ID, ClientID: s.ClientID, PartnerID: s.PartnerID,
		ParentID: parent, ParentType: parentType, NodeID: nodeID, Name: name, NodeType: nodeType,
		Application: "GENERATION", GenerationType: "SOLAR", OEM: oem, Model: model,
		site: s, vNominal: vLL, health: 1,
	}
	g.nextComp++
	hc := hash3(g.seed, saltComponent, uint64(c.ID))
	if unit(hc) < 0.7 {
		c.SerialNumber = fmt.Sprintf("%s%07d", strings.ToUpper(oem[:2]), hc%10000000)
	}
	s.Components = append(s.Components, c)
	g.f.Components = append(g.f.Components, c)
	g.f.compByID[c.ID] = c
	return c
}

func shortOEM(oem string) string {
	switch oem {
	case "Advanced Energy":
		return "AE"
	case "Chint Power Systems":
		return "CPS"
	}
	return oem
}

// round rounds v to the given number of decimals.
func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

const dateLayout = "2006-01-02"
