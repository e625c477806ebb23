package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// querier answers QueryData: the in-process host (*plugin.Datasource) or a
// built plugin binary over gRPC (binaryQuerier).
type querier interface {
	QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error)
}

// loadDashboard issues one QueryData call per panel, all at once, as
// Grafana does when a dashboard opens, and fails if any query failed or a
// panel came back without frames.
func loadDashboard(ctx context.Context, d querier, panels []panel) error {
	errs := make([]error, len(panels))
	var wg sync.WaitGroup
	for i, p := range panels {
		wg.Go(func() {
			resp, err := d.QueryData(ctx, p.request())
			if err != nil {
				errs[i] = fmt.Errorf("panel %q: %w", p.title, err)
				return
			}
			for ref, r := range resp.Responses {
				if r.Error != nil {
					errs[i] = fmt.Errorf("panel %q query %s: %w", p.title, ref, r.Error)
					return
				}
				if len(r.Frames) == 0 {
					errs[i] = fmt.Errorf("panel %q query %s: no frames", p.title, ref)
					return
				}
			}
			if len(resp.Responses) != len(p.queries) {
				errs[i] = fmt.Errorf("panel %q: %d responses for %d queries", p.title, len(resp.Responses), len(p.queries))
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// loadConcurrently has viewers load the dashboard at the same time.
func loadConcurrently(ctx context.Context, d querier, panels []panel, viewers int) error {
	errs := make([]error, viewers)
	var wg sync.WaitGroup
	for v := range viewers {
		wg.Go(func() { errs[v] = loadDashboard(ctx, d, panels) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
