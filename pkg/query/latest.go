package query

import (
	"context"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/fanout"
	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/planner"
)

// latestOne is the result of one component of a latest query.
type latestOne struct {
	point frames.LatestPoint
	cat   *locus.Catalog
	meta  metaInfo
	err   error
}

// handleLatest serves a latest query: gran=latest for each component (one
// labelled frame per component and field, so alert rules get one instance
// per component).
func handleLatest(ctx context.Context, e *Engine, r *request, q *latestQuery) (backend.DataResponse, error) {
	ids := q.ids
	if err := e.checkEntities("componentId", len(ids)); err != nil {
		return backend.DataResponse{}, err
	}
	results := make([]latestOne, len(ids))
	errs, _ := e.each(ctx, len(ids), fanout.Options{Limit: e.fanOut(), KeepGoing: true},
		func(i int) string { return fmt.Sprintf("reading the latest values of component %d", ids[i]) },
		func(ctx context.Context, i int) error {
			results[i] = e.latestOf(ctx, ids[i], q.Fields)
			return results[i].err
		})
	for i, err := range errs {
		results[i].err = err
	}

	points := make([]frames.LatestPoint, 0, len(ids))
	cat := &locus.Catalog{}
	var m metaInfo
	m.custom.Granularity = string(planner.Latest)
	var zones []string
	for _, res := range results {
		if res.err != nil {
			return backend.DataResponse{}, res.err
		}
		points = append(points, res.point)
		cat.Merge(res.cat)
		if !contains(zones, res.meta.custom.TZ) {
			zones = append(zones, res.meta.custom.TZ)
		}
		m.figures = m.figures.add(res.meta.figures)
		m.notices = append(m.notices, res.meta.notices...)
	}
	m.custom.TZ = strings.Join(zones, ",")
	fs := frames.Latest(points, q.Fields, cat, q.Alias)
	m.apply(fs, r.RefID)
	return backend.DataResponse{Frames: fs}, nil
}

// latestOf fetches the latest point of one component, after checking its
// fields against dataavailable. tz is the component's site zone (Locus
// requires one; the returned timestamp carries its offset anyway).
func (e *Engine) latestOf(ctx context.Context, id int64, fields []string) (res latestOne) {
	ctx, cs := locus.WithCallStats(ctx)
	defer func() { res.meta.addCalls(cs) }()
	en, err := e.lookupEntity(ctx, locus.KindComponent, id, 0)
	if err != nil {
		res.err = err
		return res
	}
	cat, err := e.api.DataAvailable(ctx, locus.KindComponent, id)
	if err != nil {
		res.err = fmt.Errorf("dataavailable of %s: %w", en.label(), err)
		return res
	}
	if err := checkFields(cat, fields, en.label()); err != nil {
		res.err = err
		return res
	}
	zone, _ := siteZone(en, &res.meta)
	res.meta.custom.TZ = zone
	s, err := e.api.Data(ctx, locus.DataRequest{Kind: locus.KindComponent, ID: id, Fields: fields, TZ: zone, Gran: string(planner.Latest)})
	if err != nil {
		res.err = fmt.Errorf("latest data of %s: %w", en.label(), err)
		return res
	}
	res.point = frames.LatestPoint{Names: en.Names, Series: s}
	res.cat = cat
	return res
}
