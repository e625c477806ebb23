package frames

import (
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// tableMeta marks a frame as a plain table.
func tableMeta() *data.FrameMeta {
	return &data.FrameMeta{Type: data.FrameTypeTable}
}

// Clients is a table of Locus clients.
func Clients(clients []locus.Client) *data.Frame {
	n := len(clients)
	ids, partners := make([]int64, n), make([]int64, n)
	names, first, last, emails, tzs := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, c := range clients {
		ids[i], partners[i] = c.ID, c.PartnerID
		first[i], last[i], emails[i], tzs[i] = c.FirstName, c.LastName, c.Email, c.TZ
		names[i] = joinNonEmpty(" ", c.FirstName, c.LastName)
	}
	f := data.NewFrame("clients",
		data.NewField("id", nil, ids),
		data.NewField("name", nil, names),
		data.NewField("firstName", nil, first),
		data.NewField("lastName", nil, last),
		data.NewField("email", nil, emails),
		data.NewField("tz", nil, tzs),
		data.NewField("partnerId", nil, partners),
	)
	f.Meta = tableMeta()
	return f
}

// Sites is a table of sites with latitude and longitude for the Geomap panel.
func Sites(sites []locus.Site) *data.Frame {
	n := len(sites)
	ids, clients := make([]int64, n), make([]int64, n)
	names, addr1, addr2, city, state, stateCode, postal, country, tzs :=
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	lats, lons := make([]*float64, n), make([]*float64, n)
	for i, s := range sites {
		ids[i], clients[i], names[i] = s.ID, s.ClientID, s.Name
		addr1[i], addr2[i], city[i], state[i], stateCode[i] = s.Address1, s.Address2, s.Locale3, s.Locale1, s.LocaleCode1
		postal[i], country[i], tzs[i] = s.PostalCode, s.CountryCode, s.LocationTimezone
		lats[i], lons[i] = s.Latitude, s.Longitude
	}
	f := data.NewFrame("sites",
		data.NewField("id", nil, ids),
		data.NewField("name", nil, names),
		data.NewField("clientId", nil, clients),
		data.NewField("latitude", nil, lats),
		data.NewField("longitude", nil, lons),
		data.NewField("address1", nil, addr1),
		data.NewField("address2", nil, addr2),
		data.NewField("city", nil, city),
		data.NewField("state", nil, state),
		data.NewField("stateCode", nil, stateCode),
		data.NewField("postalCode", nil, postal),
		data.NewField("countryCode", nil, country),
		data.NewField("timezone", nil, tzs),
	)
	f.Meta = tableMeta()
	return f
}

// NoComponents is the note of a components row for a site of the scope
// without any component: "no components at this site".
const NoComponents = "no components at this site"

// NoComponentsOfType is the note of a components row for a site of the
// scope without any component of the node types asked for.
func NoComponentsOfType(nodeType string) string {
	return "no components of node type " + nodeType + " at this site"
}

// Components is a table of components with their parent, node type, OEM and
// model, then a note column. Each site of bare (sites of the scope without
// any matching component) follows as one row with its id in siteId, the
// component columns null or empty and note; only then are the id, clientId,
// parentId and isConceptualNode columns nullable.
func Components(comps []locus.Component, bare []int64, note string) *data.Frame {
	n := len(comps) + len(bare)
	ids, sites, clients, parents := make([]*int64, n), make([]int64, n), make([]*int64, n), make([]*int64, n)
	names, parentTypes, nodeIDs, nodeTypes, apps, gens, oems, models, serials, descs, notes :=
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	conceptual := make([]*bool, n)
	for i, c := range comps {
		ids[i], sites[i], clients[i], parents[i] = &c.ID, c.SiteID, &c.ClientID, &c.ParentID
		names[i], parentTypes[i], nodeIDs[i], nodeTypes[i] = c.Name, c.ParentType, c.NodeID, c.NodeType
		apps[i], gens[i], oems[i], models[i] = c.Application, c.GenerationType, c.OEM, c.Model
		serials[i], descs[i], conceptual[i] = c.SerialNumber, c.Description, &c.IsConceptualNode
	}
	for j, id := range bare {
		sites[len(comps)+j], notes[len(comps)+j] = id, note
	}
	nullable := len(bare) > 0
	f := data.NewFrame("components",
		optionalField("id", ids, nullable),
		data.NewField("name", nil, names),
		data.NewField("siteId", nil, sites),
		optionalField("clientId", clients, nullable),
		optionalField("parentId", parents, nullable),
		data.NewField("parentType", nil, parentTypes),
		data.NewField("nodeId", nil, nodeIDs),
		data.NewField("nodeType", nil, nodeTypes),
		data.NewField("application", nil, apps),
		data.NewField("generationType", nil, gens),
		data.NewField("oem", nil, oems),
		data.NewField("model", nil, models),
		data.NewField("serialNumber", nil, serials),
		data.NewField("description", nil, descs),
		optionalField("isConceptualNode", conceptual, nullable),
		data.NewField("note", nil, notes),
	)
	f.Meta = tableMeta()
	return f
}

// optionalField is a nullable field of values when nullable, else a plain
// one (every value is then set).
func optionalField[T any](name string, values []*T, nullable bool) *data.Field {
	if nullable {
		return data.NewField(name, nil, values)
	}
	plain := make([]T, len(values))
	for i, v := range values {
		plain[i] = *v
	}
	return data.NewField(name, nil, plain)
}

// InstallInfo is a one-row table of a site's install information.
func InstallInfo(siteID int64, info locus.InstallInfo) *data.Frame {
	f := data.NewFrame("installinfo",
		data.NewField("siteId", nil, []int64{siteID}),
		data.NewField("installer", nil, []string{info.Installer}),
		data.NewField("installCrew", nil, []string{info.InstallCrew}),
		data.NewField("installDate", nil, []string{info.InstallDate}),
		data.NewField("ptoDate", nil, []string{info.PTODate}),
		data.NewField("startupDate", nil, []string{info.StartupDate}),
		data.NewField("uninstallCrew", nil, []string{info.UninstallCrew}),
		data.NewField("uninstallDate", nil, []string{info.UninstallDate}),
	)
	f.Meta = tableMeta()
	return f
}

// ModelSettings is a one-row table of a site's PV model parameters (the
// losses are percentages).
func ModelSettings(siteID int64, m locus.ModelSettings) *data.Frame {
	var tmy3 []*int64
	tmy3 = append(tmy3, m.TMY3ID)
	pct := func(name string, v int) *data.Field {
		f := data.NewField(name, nil, []int64{int64(v)})
		f.Config = &data.FieldConfig{Unit: "percent"}
		return f
	}
	size := data.NewField("size", nil, []*float64{m.Size})
	size.Config = &data.FieldConfig{Unit: "kwatt", DisplayNameFromDS: "size (kW DC)"}
	f := data.NewFrame("modelsettings",
		data.NewField("siteId", nil, []int64{siteID}),
		size,
		pct("mismatch", m.Mismatch),
		pct("diodesAndConnections", m.DiodesAndConnections),
		pct("dcWiring", m.DCWiring),
		pct("soiling", m.Soiling),
		pct("sunTracking", m.SunTracking),
		pct("nameplate", m.Nameplate),
		pct("acWiring", m.ACWiring),
		pct("transformer", m.Transformer),
		data.NewField("tmy3Id", nil, tmy3),
	)
	f.Meta = tableMeta()
	return f
}

// Fields is a field catalogue as a table: one row per shortName, in the
// catalogue's order, with its base field, long name, source, unit (Locus and
// Grafana), aggregation, granularities and field parameter names (both
// comma lists).
func Fields(cat *locus.Catalog) *data.Frame {
	columns := []struct {
		name  string
		value func(locus.Field) string
	}{
		{"shortName", func(f locus.Field) string { return f.ShortName }},
		{"baseField", func(f locus.Field) string { return f.BaseField }},
		{"longName", func(f locus.Field) string { return f.LongName }},
		{"source", func(f locus.Field) string { return f.Source }},
		{"unit", func(f locus.Field) string { return f.Unit }},
		{"grafanaUnit", func(f locus.Field) string { return GrafanaUnit(f.Unit) }},
		{"aggregation", func(f locus.Field) string { return f.Aggregation }},
		{"granularities", func(f locus.Field) string { return joinNonEmpty(",", f.Granularities...) }},
		{"fieldParameters", func(f locus.Field) string {
			ps := make([]string, 0, len(f.FieldParameters))
			for _, p := range f.FieldParameters {
				ps = append(ps, p.Param)
			}
			return joinNonEmpty(",", ps...)
		}},
	}
	frame := data.NewFrame("fields")
	for _, c := range columns {
		values := make([]string, 0, cat.Len())
		for _, f := range cat.Fields() {
			values = append(values, c.value(f))
		}
		frame.Fields = append(frame.Fields, data.NewField(c.name, nil, values))
	}
	frame.Meta = tableMeta()
	return frame
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}
