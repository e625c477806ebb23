package locussim

import (
	"testing"
	"time"
)

// fixedNow is the clock of deterministic tests and benchmarks.
var fixedNow = time.Date(2025, 11, 20, 15, 7, 30, 0, time.UTC)

func benchServer(b *testing.B) *Server {
	cfg := DefaultConfig()
	cfg.Now = func() time.Time { return fixedNow }
	return New(cfg)
}

// BenchmarkYearOf5Min generates a year of 5-minute data, every field, for
// one inverter, directly through the generator (one request can only cover
// < 31 days).
func BenchmarkYearOf5Min(b *testing.B) {
	s := benchServer(b)
	site := s.Fleet().FindSite(DefaultPartnerID, func(st *Site) bool { return st.HasTypes(NodeInverter) })
	inv := site.ComponentsOfType(NodeInverter)[0]
	loc := site.Location()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, loc)
	end := start.AddDate(1, 0, 0)
	defs := entityFields(site, inv)
	var specs []fieldSpec
	for i := range defs {
		for _, a := range defs[i].aggs {
			specs = append(specs, fieldSpec{name: a.shortName, def: &defs[i], kind: a.kind})
		}
	}
	need := needOf(specs)
	b.ReportAllocs()
	for b.Loop() {
		bs := buckets("5min", start, end, loc)
		rw := newRowWriter(len(bs), len(specs))
		ev := s.w.newEvaluator(site, inv, bs[0].m0, bs[len(bs)-1].m1)
		var st [nChan]chanStat
		for _, bk := range bs {
			ev.stats(bk.m0, bk.m1, need, false, &st)
			rw.row(inv.ID, bk.ts, specs, &st, false)
		}
		b.SetBytes(int64(len(rw.buf)))
	}
}

// BenchmarkBulkYear serves a year of monthly bulk data for the default fleet.
func BenchmarkBulkYear(b *testing.B) {
	s := benchServer(b)
	sites := s.Fleet().SitesOfPartner(DefaultPartnerID)
	loc := time.UTC
	bs := buckets("monthly", time.Date(2024, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 1, 1, 0, 0, 0, 0, loc), loc)
	var specs []fieldSpec
	for _, n := range []string{"Wh_sum", "Wh_e_sum", "EER_avg", "GHIh_m_sum"} {
		f, _ := resolveField(bulkFields, n)
		specs = append(specs, f)
	}
	for b.Loop() {
		_ = s.bulkValues(b.Context(), sites, bs, specs, needOf(specs))
	}
}

// BenchmarkFleet10k generates a 10,000-site fleet.
func BenchmarkFleet10k(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = generateFleet(Config{Sites: 10000}.withDefaults())
	}
}

// BenchmarkBulkYear1000 serves a year of monthly bulk data for 1,000 sites.
func BenchmarkBulkYear1000(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Sites = 1000
	cfg.Now = func() time.Time { return fixedNow }
	s := New(cfg)
	sites := s.Fleet().SitesOfPartner(DefaultPartnerID)
	loc := time.UTC
	bs := buckets("monthly", time.Date(2024, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 1, 1, 0, 0, 0, 0, loc), loc)
	var specs []fieldSpec
	for _, n := range []string{"Wh_sum", "EER_avg", "GHIh_m_sum"} {
		f, _ := resolveField(bulkFields, n)
		specs = append(specs, f)
	}
	for b.Loop() {
		_ = s.bulkValues(b.Context(), sites, bs, specs, needOf(specs))
	}
}
