package query

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestMetadataTables(t *testing.T) {
	e := newEnv(t, nil, nil)
	fleet := e.sim.Fleet()
	s, inv := e.inverter(t, "", testNow, "WEATHERSTATION")
	partnerSites := fleet.SitesOfPartner(locussim.DefaultPartnerID)
	clients := fleet.Partner(locussim.DefaultPartnerID).ClientIDs
	if len(clients) < 2 {
		t.Fatal("the simulated partner needs two clients")
	}
	cases := []struct {
		name, js string
		rows     int // -1: at least one
		field    string
	}{
		{"clients", `{"kind":"clients"}`, -1, "id"},
		{"sites", `{"kind":"sites"}`, len(partnerSites), "latitude"},
		{"sites of a client", fmt.Sprintf(`{"kind":"sites","clientId":"%d"}`, s.ClientID), len(fleet.SitesOfClient(s.ClientID)), "longitude"},
		{"sites of two clients", fmt.Sprintf(`{"kind":"sites","clientId":"%d,%d"}`, clients[0], clients[1]),
			len(fleet.SitesOfClient(clients[0])) + len(fleet.SitesOfClient(clients[1])), "latitude"},
		{"sites of all clients (All interpolated to nothing)", `{"kind":"sites","clientId":""}`, len(partnerSites), "latitude"},
		{"components", fmt.Sprintf(`{"kind":"components","siteId":"%d"}`, s.ID), len(s.Components), "parentId"},
		{"inverters only", fmt.Sprintf(`{"kind":"components","siteId":"%d","nodeType":"inverter"}`, s.ID), len(s.ComponentsOfType("INVERTER")), "nodeType"},
		{"install info", fmt.Sprintf(`{"kind":"installinfo","siteId":"%d"}`, s.ID), 1, "siteId"},
		{"model settings", fmt.Sprintf(`{"kind":"modelsettings","siteId":"%d"}`, s.ID), 1, "siteId"},
		{"fields of a component", fmt.Sprintf(`{"kind":"fields","componentId":"%d"}`, inv.ID), -1, "unit"},
		{"fields of a site", fmt.Sprintf(`{"kind":"fields","siteId":"%d"}`, s.ID), -1, "unit"},
		{"bulk fields", `{"kind":"fields"}`, -1, "unit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: `{"queryType":"metadata",` + tc.js[1:]})
			fs := testkit.Frames(t, resp, "A")
			if len(fs) != 1 {
				t.Fatalf("%d frames, want 1 table", len(fs))
			}
			rows := testkit.Field(t, fs[0], tc.field).Len()
			if (tc.rows < 0 && rows == 0) || (tc.rows >= 0 && rows != tc.rows) {
				t.Errorf("%d rows, want %d", rows, tc.rows)
			}
			if fs[0].Meta.ExecutedQueryString == "" {
				t.Error("no executed query string")
			}
			if strings.HasPrefix(tc.name, "sites") && strings.Contains(fs[0].Meta.ExecutedQueryString, "/clients/") {
				t.Errorf("sites filtered by client should come from the partner site list, executed %q", fs[0].Meta.ExecutedQueryString)
			}
		})
	}
}
