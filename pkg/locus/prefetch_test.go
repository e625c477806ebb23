package locus

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestPrefetchModelSettings: a cache-only read sends nothing; the prefetch
// fetches each queued site once (queuing twice adds nothing), on the
// background lane and only after the instance's query is answered; the
// sizes are then cached and equal the simulator's; a failed site is
// reported by the next prefetch call and queued again.
func TestPrefetchModelSettings(t *testing.T) {
	const route = "GET /v3/sites/{id}/modelsettings"
	var broken int64
	e := newEnv(t, nil, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == fmt.Sprintf("/v3/sites/%d/modelsettings", broken) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(`{"statusCode":404,"message":"not found"}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	var mu sync.Mutex
	lanes := map[Lane]int{}
	a := e.api(t, func(c *Config) {
		next := c.Transport
		c.Transport = transportFunc(func(r *http.Request) (*http.Response, error) {
			if strings.HasSuffix(r.URL.Path, "/modelsettings") {
				mu.Lock()
				lanes[LaneFrom(r.Context())]++
				mu.Unlock()
			}
			return next.RoundTrip(r)
		})
	})
	sites, err := a.Sites(bg())
	if err != nil {
		t.Fatal(err)
	}
	broken = sites[len(sites)-1].ID
	var ids []int64
	for _, s := range sites {
		if _, ok := a.CachedModelSettings(bg(), s.ID); ok {
			t.Fatalf("site %d: cached before any call", s.ID)
		}
		ids = append(ids, s.ID)
	}
	if n := e.sim.Stats().Count(route); n != 0 {
		t.Fatalf("cache-only reads sent %d requests", n)
	}
	// A query in progress: the prefetch waits for it to be answered.
	_, flush := a.DeferRefreshes(bg())
	if n, failed := a.PrefetchModelSettings(ids); n != len(ids) || len(failed) != 0 {
		t.Fatalf("pending %d (failed %v), want %d", n, failed, len(ids))
	}
	if n, _ := a.PrefetchModelSettings(ids); n != len(ids) {
		t.Fatalf("queued again: pending %d, want %d", n, len(ids))
	}
	if n := e.sim.Stats().Count(route); n != 0 {
		t.Fatalf("%d modelsettings requests while a query is in progress", n)
	}
	flush()
	if err := a.WaitBackground(bg()); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Stats().Count(route); n != len(ids)-1 { // the broken site's 404 comes from the wrapper
		t.Fatalf("%d modelsettings requests reached the simulator for %d sites queued twice, want one each", n, len(ids)-1)
	}
	mu.Lock()
	if lanes[LaneBackground] != len(ids) {
		t.Errorf("modelsettings requests by lane %v, want all %d on the background lane", lanes, len(ids))
	}
	mu.Unlock()
	for _, id := range ids {
		ms, ok := a.CachedModelSettings(bg(), id)
		if id == broken {
			if ok {
				t.Errorf("site %d: a failed call is cached", id)
			}
			continue
		}
		want := e.sim.Fleet().Site(id).SizeKW
		if !ok || ms.Size == nil || *ms.Size != want {
			t.Errorf("site %d: cached %v, %v; simulator size %.1f", id, ms, ok, want)
		}
	}
	n, failed := a.PrefetchModelSettings(ids)
	if n != 1 || len(failed) != 1 || !IsKind(failed[broken], KindNotFound) {
		t.Fatalf("after the prefetch: pending %d, failed %v; want only site %d pending again, with its 404", n, failed, broken)
	}
	if err := a.WaitBackground(bg()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if lanes[LaneBackground] != len(ids)+1 {
		t.Errorf("%d background modelsettings requests in all, want %d (only the failed site again)", lanes[LaneBackground], len(ids)+1)
	}
}
