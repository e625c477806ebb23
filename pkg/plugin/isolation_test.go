package plugin

import (
	"testing"

	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

// Two data sources on different Locus accounts of one origin each see only
// their own partner's fleet: no cache, token or site index crosses over.
func TestInstancesOfDifferentAccountsDoNotShareData(t *testing.T) {
	sim, base := simkit.Serve(t, locussim.DefaultConfig(), nil)
	main, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	other, _ := newTestDatasource(t, simkit.Settings(base,
		map[string]any{"username": locussim.OtherUsername, "partnerId": locussim.OtherPartnerID},
		map[string]string{"password": locussim.OtherPassword}))

	for round := 0; round < 2; round++ { // the second round is served from caches
		for _, tc := range []struct {
			name    string
			d       *Datasource
			partner int64
		}{{"main", main, locussim.DefaultPartnerID}, {"other", other, locussim.OtherPartnerID}} {
			want := map[int64]bool{}
			for _, s := range sim.Fleet().SitesOfPartner(tc.partner) {
				want[s.ID] = true
			}
			status, body, _ := callResource(t, tc.d, "GET", "/sites?limit=500")
			if status != 200 {
				t.Fatalf("%s: %d %s", tc.name, status, errorText(body))
			}
			var sites []query.SiteSummary
			decodeInto(t, body["sites"], &sites)
			if len(sites) != len(want) {
				t.Errorf("round %d, %s account: %d sites, want %d", round, tc.name, len(sites), len(want))
			}
			for _, s := range sites {
				if !want[s.ID] {
					t.Errorf("round %d, %s account sees site %d of another partner", round, tc.name, s.ID)
				}
			}
		}
	}
}
