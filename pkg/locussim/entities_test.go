package locussim

import (
	"fmt"
	"strings"
	"testing"
)

// requireKeys checks an object has the always-returned attributes with the
// documented JSON types ("n" number, "s" string, "b" bool).
func requireKeys(t *testing.T, what string, obj map[string]any, keys map[string]string) {
	t.Helper()
	for k, typ := range keys {
		v, ok := obj[k]
		if !ok {
			t.Errorf("%s lacks %s: %v", what, k, obj)
			continue
		}
		good := false
		switch typ {
		case "n":
			_, good = v.(float64)
		case "s":
			_, good = v.(string)
		case "b":
			_, good = v.(bool)
		}
		if !good {
			t.Errorf("%s.%s = %#v, want type %s", what, k, v, typ)
		}
	}
}

var siteKeys = map[string]string{"id": "n", "clientId": "n", "name": "s", "address1": "s", "locale3": "s", "locale1": "s", "localeCode1": "s", "postalCode": "s", "countryCode": "s"}
var componentKeys = map[string]string{"id": "n", "siteId": "n", "clientId": "n", "parentId": "n", "parentType": "s", "nodeId": "s", "name": "s", "nodeType": "s", "application": "s", "generationType": "s", "oem": "s", "model": "s", "isConceptualNode": "b"}
var clientKeys = map[string]string{"id": "n", "partnerId": "n", "tz": "s", "firstName": "s", "lastName": "s", "email": "s"}

func list(t *testing.T, m map[string]any, key string) []map[string]any {
	t.Helper()
	raw, ok := m[key].([]any)
	if !ok {
		t.Fatalf("envelope lacks %q array: %v", key, m)
	}
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i] = r.(map[string]any)
	}
	return out
}

func TestEntityEndpointsReturnDocumentedShapes(t *testing.T) {
	h := newHarness(t, nil)
	f := h.sim.Fleet()
	site := h.siteWith(NodeMeter, NodeInverter, NodeWeatherStation)

	sites := list(t, h.getJSON("/v3/partners/4242/sites", 200), "sites")
	if len(sites) != DefaultSites {
		t.Errorf("partner sites = %d, want %d", len(sites), DefaultSites)
	}
	for _, s := range sites {
		requireKeys(t, "site", s, siteKeys)
	}
	one := h.getJSON(fmt.Sprintf("/v3/sites/%d", site.ID), 200)
	requireKeys(t, "site", one, siteKeys)
	if one["locationTimezone"] != site.Timezone || one["statusCode"].(float64) != 200 {
		t.Errorf("site object: %v", one)
	}
	if _, ok := one["latitude"].(float64); !ok {
		t.Errorf("geolocated site lacks latitude: %v", one)
	}

	clients := list(t, h.getJSON("/v3/partners/4242/clients", 200), "clients")
	if len(clients) != len(f.Partner(DefaultPartnerID).ClientIDs) {
		t.Errorf("clients = %d", len(clients))
	}
	for _, c := range clients {
		requireKeys(t, "client", c, clientKeys)
	}
	requireKeys(t, "client", h.getJSON(fmt.Sprintf("/v3/clients/%d", site.ClientID), 200), clientKeys)
	cs := list(t, h.getJSON(fmt.Sprintf("/v3/clients/%d/sites", site.ClientID), 200), "sites")
	for _, s := range cs {
		if int64(s["clientId"].(float64)) != site.ClientID {
			t.Errorf("client sites holds a site of client %v", s["clientId"])
		}
	}

	comps := list(t, h.getJSON(fmt.Sprintf("/v3/sites/%d/components", site.ID), 200), "components")
	if len(comps) != len(site.Components) {
		t.Fatalf("site components = %d, want %d", len(comps), len(site.Components))
	}
	ids := map[int64]bool{site.ID: true}
	types := map[string]int{}
	for _, c := range comps {
		requireKeys(t, "component", c, componentKeys)
		types[c["nodeType"].(string)]++
		// Parents come before children; inverters hang under meters.
		if !ids[int64(c["parentId"].(float64))] {
			t.Errorf("component %v listed before its parent", c["id"])
		}
		ids[int64(c["id"].(float64))] = true
		if c["nodeType"] == NodeInverter && c["parentType"] != "COMPONENT" {
			t.Errorf("inverter parentType = %v", c["parentType"])
		}
		if c["nodeType"] == NodeMeter && c["parentType"] != "SITE" {
			t.Errorf("meter parentType = %v", c["parentType"])
		}
	}
	if types[NodeMeter] == 0 || types[NodeInverter] == 0 || types[NodeWeatherStation] != 1 {
		t.Errorf("component types = %v", types)
	}
	comp := h.getJSON(fmt.Sprintf("/v3/components/%d", site.Components[0].ID), 200)
	requireKeys(t, "component", comp, componentKeys)

	all := list(t, h.getJSON(fmt.Sprintf("/v3/clients/%d/components", site.ClientID), 200), "components")
	want := 0
	for _, s := range f.SitesOfClient(site.ClientID) {
		want += len(s.Components)
	}
	if len(all) != want {
		t.Errorf("client components = %d, want %d", len(all), want)
	}

	ii := h.getJSON(fmt.Sprintf("/v3/sites/%d/installinfo", site.ID), 200)
	if ii["startupDate"] != site.Install.StartupDate || ii["startupDate"] != site.Startup.Format("2006-01-02") {
		t.Errorf("installinfo startupDate = %v, site starts %s", ii["startupDate"], site.Startup)
	}
	ms := h.getJSON(fmt.Sprintf("/v3/sites/%d/modelsettings", site.ID), 200)
	requireKeys(t, "modelsettings", ms, map[string]string{"mismatch": "n", "diodesAndConnections": "n", "dcWiring": "n", "soiling": "n", "sunTracking": "n", "nameplate": "n", "acWiring": "n", "transformer": "n", "size": "n"})
	if ms["size"].(float64) != site.SizeKW {
		t.Errorf("modelsettings size = %v, want %v", ms["size"], site.SizeKW)
	}
}

func TestPartnerComponentFilters(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	inv := site.ComponentsOfType(NodeInverter)[0]
	exact := list(t, h.getJSON("/v3/partners/4242/components?nodeId="+inv.NodeID, 200), "components")
	if len(exact) != 1 || int64(exact[0]["id"].(float64)) != inv.ID {
		t.Errorf("nodeId exact: %v", exact)
	}
	mac := strings.Split(inv.NodeID, ".")[1]
	wild := list(t, h.getJSON("/v3/partners/4242/components?nodeId=OB."+mac+".%25", 200), "components")
	if len(wild) != len(site.Components) {
		t.Errorf("nodeId wildcard matched %d, want the site's %d", len(wild), len(site.Components))
	}
	notes := list(t, h.getJSON("/v3/partners/4242/components?notes=%25weather%25", 200), "components")
	if len(notes) == 0 {
		t.Fatal("notes wildcard matched nothing")
	}
	for _, c := range notes {
		if c["nodeType"] != NodeWeatherStation {
			t.Errorf("notes=%%weather%% matched a %v", c["nodeType"])
		}
	}
	none := list(t, h.getJSON("/v3/partners/4242/components?nodeId=NOPE", 200), "components")
	if len(none) != 0 {
		t.Errorf("unknown nodeId matched %d", len(none))
	}
}

func TestForbiddenNotFoundAndBadIDs(t *testing.T) {
	h := newHarness(t, nil)
	f := h.sim.Fleet()
	other := f.SitesOfPartner(OtherPartnerID)
	if len(other) != OtherSites {
		t.Fatalf("other partner has %d sites", len(other))
	}
	os := other[0]
	oc := os.Components[0]
	for _, p := range []string{
		fmt.Sprintf("/v3/sites/%d", os.ID),
		fmt.Sprintf("/v3/sites/%d/components", os.ID),
		fmt.Sprintf("/v3/sites/%d/installinfo", os.ID),
		fmt.Sprintf("/v3/components/%d", oc.ID),
		fmt.Sprintf("/v3/components/%d/dataavailable", oc.ID),
		fmt.Sprintf("/v3/clients/%d", os.ClientID),
		"/v3/partners/9999/sites",
		fmt.Sprintf("/v3/sites/%d/data?fields=Wh_sum&start=2024-01-01T00:00:00&end=2024-01-02T00:00:00&tz=UTC&gran=hourly", os.ID),
	} {
		if msg := h.errorMessage(p, 403); !strings.Contains(msg, "does not belong") {
			t.Errorf("%s: %q", p, msg)
		}
	}
	for _, p := range []string{"/v3/sites/1", "/v3/components/5", "/v3/clients/7", "/v3/partners/123/sites", "/v3/nothing/here"} {
		h.errorMessage(p, 404)
	}
	for _, p := range []string{"/v3/sites/abc", "/v3/components/-3", "/v3/partners/x/sites"} {
		if msg := h.errorMessage(p, 400); !strings.Contains(msg, "positive integer") {
			t.Errorf("%s: %q", p, msg)
		}
	}
	// The other account sees its own partner and gets 403 on ours.
	tok := h.login(OtherUsername, OtherPassword)
	if c, _ := h.GetWith("/v3/partners/9999/sites", tok, nil); c != 200 {
		t.Errorf("other account on its partner: %d", c)
	}
	if c, _ := h.GetWith("/v3/partners/4242/sites", tok, nil); c != 403 {
		t.Errorf("other account on ours: %d", c)
	}
}
