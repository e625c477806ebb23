package locussim

import (
	"sync"
	"time"
)

// world is the simulated reality: the fleet, its weather and its events.
// It is immutable after construction apart from the clock.
type world struct {
	seed      uint64
	cfg       Config
	once      sync.Once
	fleetV    *Fleet
	anchored  map[int64][]event
	anchorMin int64
	under     []Underperformer
	quiet     map[int64]bool // sites without random events near the anchor
	now       func() time.Time
	nodes     nodeCache
}

func newWorld(cfg Config) *world {
	return &world{seed: uint64(cfg.Seed), cfg: cfg, now: cfg.Now, anchorMin: cfg.Now().Unix() / 60}
}

// fleet generates the fleet on first use.
func (w *world) fleet() *Fleet {
	w.once.Do(func() {
		w.fleetV = generateFleet(w.cfg)
		w.anchored = anchoredEvents(w.fleetV, w.cfg.PartnerID, w.anchorMin)
		w.under = underperformers(w.fleetV, w.cfg.PartnerID, w.anchorMin)
		w.quiet = map[int64]bool{}
		for _, u := range w.under {
			w.quiet[u.SiteID] = true
			for _, ev := range u.events(w.fleetV) {
				w.anchored[ev.comp.ID] = append(w.anchored[ev.comp.ID], ev)
			}
		}
	})
	return w.fleetV
}

// nowMin is the current Unix minute; data exists only for whole minutes before it.
func (w *world) nowMin() int64 { return floorDiv(w.now().Unix(), 60) }
