package plugin

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// Options adjust what NewDatasource otherwise defaults (the zero value is
// NewDatasource's behaviour). They are the only test seam of the host: the
// package's own tests and the fault tests outside it (tests/faults) use them
// to shorten retry delays and timeouts so a scenario runs in seconds.
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
	return newDatasource(s, o)
}
