package locus

import (
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// benchAPI is a client on the simulator's in-process RoundTripper.
func benchAPI(b *testing.B, sites int) (*API, *locussim.Server) {
	b.Helper()
	cfg := locussim.DefaultConfig()
	cfg.Sites = sites
	cfg.Now = func() time.Time { return testNow }
	sim := locussim.New(cfg)
	a, err := New(Config{
		BaseURL: "http://locus.invalid", PartnerID: cfg.PartnerID, Username: cfg.Username, Password: cfg.Password,
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Transport: sim.RoundTripper(), Now: cfg.Now,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(a.Close)
	return a, sim
}

// BenchmarkSitesFromCache10k is the editors' site list of a 10,000-site
// fleet once cached (issue 6 target: well under 100 ms).
func BenchmarkSitesFromCache10k(b *testing.B) {
	a, _ := benchAPI(b, 10000)
	sites, err := a.Sites(bg())
	if err != nil || len(sites) != 10000 {
		b.Fatalf("%d sites, %v", len(sites), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Sites(bg()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDataMonth5MinCacheHit is a cached 30-day 5-minute site series
// served again (the cost of a dashboard refresh within the lifetime).
func BenchmarkDataMonth5MinCacheHit(b *testing.B) {
	a, sim := benchAPI(b, 1)
	s := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	r := DataRequest{Kind: KindSite, ID: s.ID, Fields: []string{"W_avg", "Wh_sum"}, Start: "2026-05-01T00:00:00", End: "2026-05-31T00:00:00", TZ: s.Timezone, Gran: "5min"}
	if _, err := a.Data(bg(), r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Data(bg(), r); err != nil {
			b.Fatal(err)
		}
	}
}
