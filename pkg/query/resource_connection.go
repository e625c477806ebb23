package query

import (
	"context"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// Connection is what CheckConnection found: how many sites the partner has
// and the status of the replicas' shared state (zero without one).
type Connection struct {
	Sites  int
	Shared locus.SharedStatus
}

// CheckConnection tests cfg, the configuration the engine's client was
// built from, as a data source's "Save & test" needs: a short-lived client
// without cache (a health check must observe Locus, not a cache) and with
// one retry (a host that refuses twice is misconfigured, not busy) signs in
// afresh and lists the partner's sites; then the engine's own client pings
// its shared state. Errors are the client's (*locus.Error says what kind).
func (e *Engine) CheckConnection(ctx context.Context, cfg locus.Config) (Connection, error) {
	cfg.MetadataTTL = -1
	cfg.MaxRetries = 1
	api, err := locus.New(cfg)
	if err != nil {
		return Connection{}, err
	}
	defer api.Close()
	if err := api.Authenticate(ctx); err != nil {
		return Connection{}, err
	}
	sites, err := api.Sites(ctx)
	if err != nil {
		return Connection{}, err
	}
	return Connection{Sites: len(sites), Shared: e.api.CheckShared(ctx)}, nil
}
