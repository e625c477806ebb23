package locussim

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func fleetSignature(f *Fleet) string {
	var b strings.Builder
	for _, s := range f.Sites {
		fmt.Fprintf(&b, "%d %s %.4f %.4f %s %.2f %s %d|", s.ID, s.Name, s.Latitude, s.Longitude, s.Timezone, s.SizeKW, s.Install.StartupDate, len(s.Components))
	}
	return b.String()
}

func TestFleetIsDeterministicFromSeed(t *testing.T) {
	a := New(Config{Seed: 7}).Fleet()
	b := New(Config{Seed: 7}).Fleet()
	c := New(Config{Seed: 8}).Fleet()
	if fleetSignature(a) != fleetSignature(b) {
		t.Error("same seed, different fleets")
	}
	if fleetSignature(a) == fleetSignature(c) {
		t.Error("different seeds, same fleet")
	}
	// Growing the fleet keeps the first sites.
	big := New(Config{Seed: 7, Sites: 40}).Fleet()
	for i := range DefaultSites {
		if big.Sites[i].Name != a.Sites[i].Name || big.Sites[i].SizeKW != a.Sites[i].SizeKW {
			t.Errorf("site %d changed with fleet size", i)
		}
	}
	// Same data too.
	h1 := New(Config{Seed: 7, Now: func() time.Time { return fixedNow }})
	h2 := New(Config{Seed: 7, Now: func() time.Time { return fixedNow }})
	s1, s2 := h1.Fleet().Sites[0], h2.Fleet().Sites[0]
	e1 := h1.w.newEvaluator(s1, nil, fixedNow.Unix()/60-3*1440, fixedNow.Unix()/60)
	e2 := h2.w.newEvaluator(s2, nil, fixedNow.Unix()/60-3*1440, fixedNow.Unix()/60)
	var st1, st2 [nChan]chanStat
	e1.stats(e1.lo, e1.hi, maskOf(chW, chWm), true, &st1)
	e2.stats(e2.lo, e2.hi, maskOf(chW, chWm), true, &st2)
	if st1[chW] != st2[chW] || st1[chW].sum <= 0 {
		t.Errorf("same seed, different data: %+v vs %+v", st1[chW], st2[chW])
	}
}

func TestFleetStructure(t *testing.T) {
	s := New(Config{Sites: 300})
	f := s.Fleet()
	if len(f.Partners) != 2 || f.Partners[0].ID != DefaultPartnerID || f.Partners[1].ID != OtherPartnerID {
		t.Fatalf("partners %+v", f.Partners)
	}
	if got := len(f.SitesOfPartner(DefaultPartnerID)); got != 300 {
		t.Errorf("main partner sites = %d", got)
	}
	zones := map[string]bool{}
	ids := map[int64]bool{}
	classes := map[string]int{}
	for _, site := range f.Sites {
		zones[site.Timezone] = true
		classes[site.Class]++
		if ids[site.ID] {
			t.Errorf("duplicate site id %d", site.ID)
		}
		ids[site.ID] = true
		if f.Client(site.ClientID) == nil || f.Client(site.ClientID).PartnerID != site.PartnerID {
			t.Errorf("site %d client %d of another partner", site.ID, site.ClientID)
		}
		if site.Startup.Location() != site.Location() || site.Startup.Hour() != 0 {
			t.Errorf("site %d startup %s not local midnight", site.ID, site.Startup)
		}
		for _, c := range site.Components {
			if c.Site() != site || f.Component(c.ID) != c {
				t.Errorf("component %d not linked to its site", c.ID)
			}
			if c.NodeType == NodeInverter {
				parent := f.Component(c.ParentID)
				if parent == nil || parent.NodeType != NodeMeter || c.ACCapacityW <= 0 || c.DCSizeW <= 0 {
					t.Errorf("inverter %d: parent %v, %.0f W AC, %.0f W DC", c.ID, parent, c.ACCapacityW, c.DCSizeW)
				}
			}
		}
	}
	if len(zones) < 5 {
		t.Errorf("only %d time zones: %v", len(zones), zones)
	}
	if classes["residential"] == 0 || classes["commercial"] == 0 || classes["utility"] == 0 {
		t.Errorf("classes %v", classes)
	}
	if len(f.Components) < 5*len(f.Sites) {
		t.Errorf("%d components for %d sites", len(f.Components), len(f.Sites))
	}
}

func TestTenThousandSiteFleet(t *testing.T) {
	s := New(Config{Sites: 10000, Now: func() time.Time { return fixedNow }})
	f := s.Fleet()
	if n := len(f.SitesOfPartner(DefaultPartnerID)); n != 10000 {
		t.Fatalf("sites = %d", n)
	}
	if len(f.Components) < 70000 {
		t.Errorf("components = %d, want tens of thousands", len(f.Components))
	}
	last := f.SitesOfPartner(DefaultPartnerID)[9999]
	if f.Site(last.ID) != last || len(f.SitesOfClient(last.ClientID)) == 0 {
		t.Error("lookup of the last site failed")
	}
}

func TestConfigValidation(t *testing.T) {
	good := DefaultConfig()
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		mut  func(*Config)
		want string
	}{
		{func(c *Config) { c.Sites = -1 }, "sites"},
		{func(c *Config) { c.Sites = MaxSites + 1 }, "sites"},
		{func(c *Config) { c.TokenTTL = -time.Second }, "token TTL"},
		{func(c *Config) { c.Latency = -time.Second }, "latency"},
		{func(c *Config) { c.Faults.Rate5xx = 1.5 }, "rate5xx"},
		{func(c *Config) { c.Faults.RateReset = -0.1 }, "rateReset"},
		{func(c *Config) { c.Faults.OversizeBytes = -1 }, "oversizeBytes"},
	}
	for _, c := range cases {
		cfg := DefaultConfig()
		c.mut(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want an error naming %s, got %v", c.want, err)
		}
		_ = New(cfg) // clamps instead of failing
	}
	if s := New(Config{PartnerID: OtherPartnerID}); s.Fleet().Partners[1].ID != AltOtherPartnerID {
		t.Errorf("other partner collides with the main one")
	}
}

func TestLikeMatch(t *testing.T) {
	cases := []struct {
		p, s string
		ok   bool
	}{
		{"abc", "abc", true}, {"abc", "ABC", true}, {"abc", "abcd", false},
		{"ab%", "abcd", true}, {"%cd", "abcd", true}, {"%bc%", "abcd", true}, {"a%d", "abcd", true},
		{"a%x", "abcd", false}, {"%", "", true}, {"a%b%c", "abc", true}, {"a%b%c", "acb", false},
	}
	for _, c := range cases {
		if likeMatch(c.p, c.s) != c.ok {
			t.Errorf("likeMatch(%q, %q) != %v", c.p, c.s, c.ok)
		}
	}
}

func TestAppendMilli(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 23.717: "23.717", 5936: "5936", -0.5: "-0.5", 1.0004: "1", 1.2345: "1.235", 0.01: "0.01", 1e16: "10000000000000000"} {
		if got := string(appendMilli(nil, v)); got != want {
			t.Errorf("appendMilli(%v) = %s, want %s", v, got, want)
		}
	}
}

func TestYearOfFiveMinuteDataFromTheGenerator(t *testing.T) {
	s := New(Config{Now: func() time.Time { return fixedNow }})
	site := s.Fleet().FindSite(DefaultPartnerID, func(st *Site) bool { return st.HasTypes(NodeInverter) })
	inv := site.ComponentsOfType(NodeInverter)[0]
	loc := site.Location()
	bs := buckets("5min", time.Date(2024, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 1, 1, 0, 0, 0, 0, loc), loc)
	if len(bs) != 366*288 {
		t.Fatalf("buckets = %d", len(bs))
	}
	ev := s.w.newEvaluator(site, inv, bs[0].m0, bs[len(bs)-1].m1)
	var st [nChan]chanStat
	withData, total := 0, 0.0
	for _, b := range bs {
		ev.stats(b.m0, b.m1, maskOf(chW), false, &st)
		if st[chW].n > 0 {
			withData++
			total += st[chW].sum / 60
		}
	}
	if withData < 360*288 || total <= 0 {
		t.Errorf("%d buckets with data, %.0f Wh", withData, total)
	}
	yearly := buckets("yearly", time.Date(2024, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 1, 1, 0, 0, 0, 0, loc), loc)
	ev.stats(yearly[0].m0, yearly[0].m1, maskOf(chW), true, &st)
	if y := st[chW].sum / 60; !near(y, total, 1e-6*total) {
		t.Errorf("year of 5-minute buckets %.3f Wh, yearly bucket %.3f Wh", total, y)
	}
}

func TestClipSumMatchesMinuteSums(t *testing.T) {
	for _, c := range [][3]float64{{0, 1, 0.5}, {1, 0, 0.5}, {0.2, 0.3, 1}, {0.8, 0.9, 0.5}, {0.4, 0.6, 0.5}, {0.6, 0.4, 0.5}, {0.5, 0.5, 0.5}, {0, 0.75, 0.7}} {
		want := 0.0
		for k := range quarterMin {
			want += math.Min(c[0]+(c[1]-c[0])*float64(k)/quarterMin, c[2])
		}
		if got := clipSum(c[0], c[1], c[2]); math.Abs(got-want) > 1e-12 {
			t.Errorf("clipSum%v = %v, want %v", c, got, want)
		}
	}
}
