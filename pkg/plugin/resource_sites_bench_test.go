package plugin

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
)

// bigFleetDatasource is an instance over a 10,000-site simulated fleet.
func bigFleetDatasource(t testing.TB) (*Datasource, *locussim.Server) {
	cfg := locussim.DefaultConfig()
	cfg.Sites = 10000
	sim, base := simkit.Serve(t, cfg, nil)
	// Serving and decoding 10,000 sites takes seconds on a loaded machine:
	// a request timeout here would make the test measure the machine's load
	// (a timed-out list call is retried, so the "one upstream call"
	// assertion flaked). The timeouts have their own tests.
	d := newDatasource(simkit.Settings(base, nil, nil), Options{Logger: testkit.NewLogs(), Tune: func(c *locus.Config) {
		c.RetryBaseDelay = time.Millisecond
		c.RetryMaxDelay = 5 * time.Millisecond
		c.Timeout = 10 * time.Minute
	}})
	t.Cleanup(d.Dispose)
	return d, sim
}

func TestSiteSearchLargeFleet(t *testing.T) {
	d, sim := bigFleetDatasource(t)
	target := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[7777]
	body := getOK(t, d, "/sites?limit=500&query="+url.QueryEscape(target.Name))
	var sites []query.SiteSummary
	decodeInto(t, body["sites"], &sites)
	if len(sites) == 0 || !containsSite(sites, target.ID) {
		t.Fatalf("search for %q over 10,000 sites did not find it", target.Name)
	}
	var total int
	_, body, _ = callResource(t, d, "GET", "/sites")
	decodeInto(t, body["total"], &total)
	decodeInto(t, body["sites"], &sites)
	if total != 10000 || len(sites) != defaultSiteLimit {
		t.Fatalf("unfiltered: total %d, %d sites; want 10000 and %d", total, len(sites), defaultSiteLimit)
	}
	if got := sim.Stats().Count("GET /v3/partners/{id}/sites"); got != 1 {
		t.Errorf("searches made %d upstream site list calls, want 1 (served from the cached list)", got)
	}
}

// BenchmarkSiteSearch10k measures one editor keystroke: a /sites search over
// a 10,000-site fleet through the resource handler, served from the cached
// partner list (target: well under 100 ms/op).
func BenchmarkSiteSearch10k(b *testing.B) {
	d, _ := bigFleetDatasource(b)
	callResource(b, d, "GET", "/sites") // warm the index, as the picker's first open does
	queries := []string{"/sites?query=sun", "/sites?query=ca%20farm", "/sites?query=1234", "/sites?query=zzzz"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		status, _, _ := callResource(b, d, "GET", queries[i%len(queries)])
		if status != 200 {
			b.Fatalf("status %d", status)
		}
	}
}

func TestComponentTreeLargeFleetFromCache(t *testing.T) {
	d, sim := bigFleetDatasource(t)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[9999]
	path := "/sites/" + fmt.Sprint(site.ID) + "/components"
	for i := 0; i < 3; i++ {
		body := getOK(t, d, path)
		var comps []query.ComponentSummary
		decodeInto(t, body["components"], &comps)
		if len(comps) != len(site.Components) {
			t.Fatalf("got %d components, want %d", len(comps), len(site.Components))
		}
	}
	if got := sim.Stats().Count("GET /v3/sites/{id}/components"); got != 1 {
		t.Errorf("3 tree loads made %d upstream calls, want 1 (then cache)", got)
	}
}

// BenchmarkComponentTree10k measures a site's component tree from cache in
// a 10,000-site fleet (target: well under 100 ms/op).
func BenchmarkComponentTree10k(b *testing.B) {
	d, sim := bigFleetDatasource(b)
	sites := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	paths := make([]string, 16)
	for i := range paths {
		paths[i] = "/sites/" + fmt.Sprint(sites[i*600].ID) + "/components"
		callResource(b, d, "GET", paths[i]) // warm the client cache
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if status, _, _ := callResource(b, d, "GET", paths[i%len(paths)]); status != 200 {
			b.Fatalf("status %d", status)
		}
	}
}
