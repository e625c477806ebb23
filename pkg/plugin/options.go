package plugin

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// Options adjust what NewDatasource otherwise defaults. Fault-injection and
// soak tests outside this package (tests/faults) use them to shorten retry
// delays and timeouts so a scenario runs in seconds, not minutes.
type Options struct {
	// Tune adjusts the client configuration (retry budget and delays,
	// timeout, response cap) before the client is built.
	Tune func(*locus.Config)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives the instance's logs; nil means backend.Logger.
	Logger log.Logger
}

// NewDatasourceWithOptions is NewDatasource with Options. Like NewDatasource
// it never fails: invalid settings are kept and reported by every call.
func NewDatasourceWithOptions(s backend.DataSourceInstanceSettings, o Options) *Datasource {
	return newDatasource(s, hostOptions{tune: o.Tune, now: o.Now, logger: o.Logger})
}
