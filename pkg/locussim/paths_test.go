package locussim

import (
	"math"
	"testing"
	"time"
)

// The three ways of summing a bucket (every minute, closed-form quarters,
// prefix runs with clipping and events) must agree: they are optimisations
// of one series, not different models.
func TestSummationPathsAgree(t *testing.T) {
	s := New(Config{Sites: 30, Now: func() time.Time { return fixedNow }})
	need := maskOf(chW, chWm, chWe, chGHIm, chGHIt)
	checked, withEvents := 0, 0
	for _, site := range s.Fleet().SitesOfPartner(DefaultPartnerID) {
		if len(site.Components) == 0 || checked >= 8 {
			continue
		}
		checked++
		loc := site.Location()
		bs := buckets("daily", time.Date(2024, 5, 1, 0, 0, 0, 0, loc), time.Date(2024, 7, 1, 0, 0, 0, 0, loc), loc)
		entities := []*Component{nil}
		entities = append(entities, site.ComponentsOfType(NodeMeter)[0], site.ComponentsOfType(NodeInverter)[0])
		for _, c := range entities {
			slow := s.w.newEvaluator(site, c, bs[0].m0, bs[len(bs)-1].m1)
			quarter := s.w.newEvaluator(site, c, bs[0].m0, bs[len(bs)-1].m1)
			prefix := s.w.newEvaluator(site, c, bs[0].m0, bs[len(bs)-1].m1)
			prefix.sumsOnly = true
			if len(prefix.allEvents) > 0 {
				withEvents++
			}
			var a, b, p [nChan]chanStat
			for _, bk := range bs {
				slow.stats(bk.m0, bk.m1, need, false, &a)
				quarter.stats(bk.m0, bk.m1, need, true, &b)
				prefix.stats(bk.m0, bk.m1, need, true, &p)
				for ch := channel(0); ch < nChan; ch++ {
					if !need.has(ch) {
						continue
					}
					if a[ch].n != b[ch].n || a[ch].n != p[ch].n {
						t.Fatalf("site %d comp %v %s ch %d: counts %d %d %d", site.ID, c, bk.ts, ch, a[ch].n, b[ch].n, p[ch].n)
					}
					tol := 1e-9 * math.Max(1, math.Abs(a[ch].sum))
					if math.Abs(a[ch].sum-b[ch].sum) > tol || math.Abs(a[ch].sum-p[ch].sum) > tol {
						t.Fatalf("site %d comp %v %s ch %d: sums %.6f %.6f %.6f", site.ID, c, bk.ts, ch, a[ch].sum, b[ch].sum, p[ch].sum)
					}
					if a[ch].n > 0 && (a[ch].min != b[ch].min || a[ch].max != b[ch].max) {
						if math.Abs(a[ch].min-b[ch].min) > tol || math.Abs(a[ch].max-b[ch].max) > tol {
							t.Fatalf("site %d ch %d: min/max %v/%v vs %v/%v", site.ID, ch, a[ch].min, a[ch].max, b[ch].min, b[ch].max)
						}
					}
				}
			}
		}
	}
	// Weather stations: minute and quarter paths, min and max included.
	wsNeed := maskOf(chPOA, chGHI, chTmpAmb, chTmpBOM, chWndSpd)
	for _, site := range s.Fleet().SitesOfPartner(DefaultPartnerID)[:6] {
		for _, ws := range site.ComponentsOfType(NodeWeatherStation) {
			loc := site.Location()
			bs := buckets("hourly", time.Date(2024, 3, 1, 0, 0, 0, 0, loc), time.Date(2024, 3, 20, 0, 0, 0, 0, loc), loc)
			slow := s.w.newEvaluator(site, ws, bs[0].m0, bs[len(bs)-1].m1)
			fast := s.w.newEvaluator(site, ws, bs[0].m0, bs[len(bs)-1].m1)
			var a, b [nChan]chanStat
			for _, bk := range bs {
				slow.stats(bk.m0, bk.m1, wsNeed, false, &a)
				fast.stats(bk.m0, bk.m1, wsNeed, true, &b)
				for ch := channel(0); ch < nChan; ch++ {
					if !wsNeed.has(ch) || a[ch].n == 0 && b[ch].n == 0 {
						continue
					}
					tol := 1e-9 * math.Max(1, math.Abs(a[ch].sum))
					if a[ch].n != b[ch].n || math.Abs(a[ch].sum-b[ch].sum) > tol || math.Abs(a[ch].min-b[ch].min) > 1e-9 || math.Abs(a[ch].max-b[ch].max) > 1e-9 {
						t.Fatalf("weather station %d %s ch %d: %+v vs %+v", ws.ID, bk.ts, ch, a[ch], b[ch])
					}
				}
			}
		}
	}
	if withEvents == 0 {
		t.Error("no evaluated entity had events: the event paths went untested")
	}
}
