package locus

import (
	"runtime"
	"testing"
)

func TestTakeBodyFitsAndRecycles(t *testing.T) {
	for _, size := range []int64{0, 1, 1000, 256 << 10, 256<<10 + 1, 3 << 20, 100 << 20} {
		b := takeBody(size)
		if len(b) != 0 || int64(cap(b)) < size {
			t.Fatalf("takeBody(%d) = len %d cap %d, want an empty buffer with room for %d", size, len(b), cap(b), size)
		}
		recycleBody(append(b, 'x'))
		if again := takeBody(size); len(again) != 0 || int64(cap(again)) < size {
			t.Fatalf("after recycling, takeBody(%d) = len %d cap %d", size, len(again), cap(again))
		}
	}
}

// A data body is recycled once decoded: series already returned must not
// change when later responses (gzip and identity, large enough to be
// pooled) are read into the recycled buffers.
func TestRecycledBodiesLeaveEarlierSeriesIntact(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, func(c *Config) { c.PastDataTTL, c.RecentDataTTL = -1, -1 })
	months := []string{"2026-01-01T00:00:00", "2026-01-31T00:00:00", "2026-03-02T00:00:00", "2026-04-01T00:00:00"}
	type snap struct {
		s    *Series
		copy map[string][]float64
	}
	var got []snap
	for site := 0; site < 2; site++ {
		s := e.site(t, site)
		for i := 0; i+1 < len(months); i++ {
			series, err := a.Data(bg(), DataRequest{Kind: KindSite, ID: s.ID, Fields: []string{"W_avg", "W_max"},
				Start: months[i], End: months[i+1], TZ: s.Timezone, Gran: "5min"})
			if err != nil {
				t.Fatal(err)
			}
			if len(series.Times) < 28*288 {
				t.Fatalf("%d buckets for a month of 5-minute data", len(series.Times))
			}
			c := map[string][]float64{}
			for f, col := range series.Values {
				for _, v := range col.Pointers() {
					if v == nil {
						c[f] = append(c[f], -1)
					} else {
						c[f] = append(c[f], *v)
					}
				}
			}
			got = append(got, snap{series, c})
		}
	}
	for i, g := range got {
		for f, col := range g.s.Values {
			for r, v := range col.Pointers() {
				want := g.copy[f][r]
				if (v == nil) != (want == -1) || (v != nil && *v != want) {
					t.Fatalf("series %d field %s row %d changed after later responses were read", i, f, r)
				}
			}
		}
	}
}

// Recycled buffers survive garbage collections (a sync.Pool would be
// emptied), and what is kept never exceeds retainedBodyBytes.
func TestRecycledBodiesSurviveGCWithinTheBound(t *testing.T) {
	const size = 1 << 20
	b := takeBody(size)
	first := &b[:1][0]
	recycleBody(b)
	runtime.GC()
	runtime.GC()
	again := takeBody(size)
	if &again[:1][0] != first {
		t.Error("a recycled 1 MiB buffer was not reused after two garbage collections")
	}
	var held [][]byte
	for range 2 * retainedBodyBytes / size {
		held = append(held, takeBody(size))
	}
	for _, h := range held {
		recycleBody(h)
	}
	bodyFree.Lock()
	kept := bodyFree.bytes
	bodyFree.Unlock()
	if kept > retainedBodyBytes || kept < retainedBodyBytes-size {
		t.Errorf("the free lists keep %d bytes after recycling %d MiB, want at most %d and within a buffer of it", kept, 2*retainedBodyBytes>>20, retainedBodyBytes)
	}
}
