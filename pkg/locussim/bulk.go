package locussim

import (
	"context"
	"math"
	"runtime"
	"sort"
	"sync"
)

// bulkValues computes every site's field values per bucket, in parallel
// (one worker per CPU): vals[site][bucket*len(specs)+field], NaN for null.
// It returns nil if ctx is cancelled.
func (s *Server) bulkValues(ctx context.Context, sites []*Site, bs []bucket, specs []fieldSpec, need chanMask) [][]float64 {
	vals := make([][]float64, len(sites))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stats [nChan]chanStat
			for i := range next {
				st := sites[i]
				if len(st.Components) == 0 {
					continue
				}
				out := make([]float64, len(bs)*len(specs))
				ev := s.w.newEvaluator(st, nil, bs[0].m0, bs[len(bs)-1].m1)
				ev.sumsOnly = sumsOnly(specs)
				for j, b := range bs {
					ev.stats(b.m0, b.m1, need, true, &stats)
					for k, f := range specs {
						v, ok := f.value(&stats)
						if !ok || (f.def.needsLocation && !st.HasLocation) {
							v = math.NaN()
						}
						out[j*len(specs)+k] = v
					}
				}
				vals[i] = out
			}
		}()
	}
	// Sites sharing a physics variant share node blocks: visit them together.
	order := make([]int, len(sites))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		va, vb := sites[order[a]].variant, sites[order[b]].variant
		if va.place != vb.place {
			return va.place < vb.place
		}
		if va.tilt != vb.tilt {
			return va.tilt < vb.tilt
		}
		return va.azim < vb.azim
	})
	cancelled := false
	for _, i := range order {
		if ctx.Err() != nil {
			cancelled = true
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if cancelled {
		return nil
	}
	return vals
}
