package query

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestNamedZoneSpeltUTCIsSentAsUTC(t *testing.T) {
	e := newEnv(t, nil, nil)
	s := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	for _, zone := range []string{"utc", " UTC "} {
		resp := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "A", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"],"granularity":"hourly","timeZoneMode":"named","timeZone":%q}`, s.ID, zone),
			From: testNow.Add(-6 * time.Hour), To: testNow, Interval: time.Hour, MaxDP: 1000})
		fs := testkit.Frames(t, resp, "A")
		c := custom(t, fs[0])
		if c.TZ != "UTC" {
			t.Errorf("timeZone %q: aligned in %q, want UTC", zone, c.TZ)
		}
		if exec := fs[0].Meta.ExecutedQueryString; !strings.Contains(exec, "tz=UTC") {
			t.Errorf("timeZone %q: sent %q, want tz=UTC", zone, exec)
		}
	}
}
