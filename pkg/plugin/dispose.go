package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
)

var _ instancemgmt.InstanceDisposer = (*Datasource)(nil)

// Dispose is called by the instance manager when the settings changed and a
// new instance replaced this one: it closes the client, which releases this
// instance's reference to the shared account queue and drops its cache and
// token.
func (d *Datasource) Dispose() {
	if d.engine != nil {
		d.engine.Close()
	}
	if d.shared != nil {
		_ = d.shared.Close()
	}
}

// WaitBackground returns once the instance's background work (refreshes of
// stale metadata, the warm-up of a new instance) is done, or when ctx ends.
// For tests and benchmarks that count upstream requests.
func (d *Datasource) WaitBackground(ctx context.Context) error {
	if d.engine == nil {
		return nil
	}
	return d.engine.WaitBackground(ctx)
}
