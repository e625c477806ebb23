package plugin

import "github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

var _ instancemgmt.InstanceDisposer = (*Datasource)(nil)

// Dispose is called by the instance manager when the settings changed and a
// new instance replaced this one: it closes the client, which releases this
// instance's reference to the shared account queue and drops its cache and
// token.
func (d *Datasource) Dispose() {
	if d.api != nil {
		d.api.Close()
	}
	d.sites.clear()
}
