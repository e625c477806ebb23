package main

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

// scaleFigures measures figure 4 over a large simulated fleet: the editors'
// site search and a site's component tree through the host's resource
// routes, answered from cache (median of sz.ScaleSamples calls), and the
// upstream requests of their first load.
func scaleFigures(ctx context.Context, sz size) []figure {
	cfg := locussim.DefaultConfig()
	cfg.Sites = sz.FleetSites
	o := newOrigin(cfg)
	defer o.Close()
	f := o.sim.Fleet()
	sites := f.SitesOfPartner(cfg.PartnerID)
	comps := 0
	for _, s := range sites {
		comps += len(s.Components)
	}
	fmt.Printf("  fleet: %d sites, %d components\n", len(sites), comps)
	d, err := newInstance(o.URL(), "bench-scale")
	if err != nil {
		return []figure{failed("site search", "< 100 ms", err)}
	}
	defer d.Dispose()

	// The picker's first open, then one search per keystroke-sized query.
	o.reset()
	target := sites[len(sites)*7/10]
	if _, err := callResource(ctx, d, "/sites?query="+url.QueryEscape(target.Name)); err != nil {
		return []figure{failed("site search", "< 100 ms", err)}
	}
	siteLists := o.sim.Stats().Count("GET /v3/partners/{id}/sites")
	queries := []string{"sun", "farm", fmt.Sprint(target.ID), target.Name, "zzzz", "ca", "solar 1"}
	search, err := medianCall(sz.ScaleSamples, func(i int) error {
		_, err := callResource(ctx, d, "/sites?query="+url.QueryEscape(queries[i%len(queries)]))
		return err
	})
	if err != nil {
		return []figure{failed("site search", "< 100 ms", err)}
	}
	searchFig := below(fmt.Sprintf("site search over %d sites (cached)", len(sites)), ms(search), 100, "ms")
	searchUp := atMost("site search first load: site list requests", float64(siteLists), 1, "")

	// The component picker of the largest site: first load, then from cache.
	big := sites[0]
	for _, s := range sites {
		if len(s.Components) > len(big.Components) {
			big = s
		}
	}
	path := fmt.Sprintf("/sites/%d/components", big.ID)
	o.reset()
	if _, err := callResource(ctx, d, path); err != nil {
		return []figure{searchFig, searchUp, failed("component tree", "< 100 ms", err)}
	}
	compLists := o.sim.Stats().Count("GET /v3/sites/{id}/components")
	tree, err := medianCall(sz.ScaleSamples, func(int) error {
		_, err := callResource(ctx, d, path)
		return err
	})
	if err != nil {
		return []figure{searchFig, searchUp, failed("component tree", "< 100 ms", err)}
	}
	treeFig := below(fmt.Sprintf("component tree of a %d-component site (cached)", len(big.Components)), ms(tree), 100, "ms")
	treeUp := atMost("component tree first load: component list requests", float64(compLists), 1, "")
	figs := []figure{searchFig, searchUp, treeFig, treeUp}
	return append(figs, nodeSearchFigures(ctx, o, d, sites, comps, sz)...)
}

// nodeSearchFigures measures the component picker's partner-wide node ID
// search over every component of the fleet: the first search loads the
// partner component list, later ones are answered from it.
func nodeSearchFigures(ctx context.Context, o *origin, d *plugin.Datasource, sites []*locussim.Site, comps int, sz size) []figure {
	name := fmt.Sprintf("node ID search over %d components (cached)", comps)
	probe := sites[len(sites)/2].Components[0].NodeID
	if _, err := callResource(ctx, d, "/components?limit=500&nodeId="+url.QueryEscape("%"+probe+"%")); err != nil {
		return []figure{failed(name, "< 100 ms", err)}
	}
	o.reset()
	queries := []string{probe[:3], probe[:len(probe)/2], probe, "zzzz"}
	med, err := medianCall(sz.ScaleSamples, func(i int) error {
		_, err := callResource(ctx, d, "/components?limit=500&nodeId="+url.QueryEscape("%"+queries[i%len(queries)]+"%"))
		return err
	})
	if err != nil {
		return []figure{failed(name, "< 100 ms", err)}
	}
	return []figure{
		below(name, ms(med), 100, "ms"),
		equalTo("node ID searches after the first: upstream requests", float64(o.requests()), 0, ""),
	}
}

// medianCall times n calls of fn and returns the median duration.
func medianCall(n int, fn func(i int) error) (time.Duration, error) {
	ds := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		if err := fn(i); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2], nil
}
