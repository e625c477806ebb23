// Command gpx_locus is the backend of the Locus Energy data source: Grafana
// starts it and talks to it over gRPC (hashicorp/go-plugin).
package main

import (
	"os"
	_ "time/tzdata" // site time zones must resolve on hosts without zoneinfo (Windows, distroless)

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

func main() {
	if err := datasource.Manage(plugin.PluginID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("Locus data source backend stopped", "error", err.Error())
		os.Exit(1)
	}
}
