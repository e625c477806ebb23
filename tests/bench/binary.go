package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
	"github.com/sunfleet/locus-datasource/tests/pluginhost"
)

// binaryQuerier sends QueryData to a built plugin binary over the plugin
// gRPC protocol, with the data source context Grafana would send.
type binaryQuerier struct {
	host *pluginhost.Host
	pctx backend.PluginContext
}

// QueryData implements querier.
func (b binaryQuerier) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	req.PluginContext = b.pctx
	return b.host.QueryData(ctx, req)
}

// startBinary builds the backend (./pkg) into a temporary directory and
// starts it as Grafana does, configured for the simulator's main account
// at baseURL. stop kills it and removes the build.
func startBinary(baseURL string) (q binaryQuerier, stop func(), err error) {
	root, err := moduleRoot()
	if err != nil {
		return q, nil, err
	}
	dir, err := os.MkdirTemp("", "locus-bench-")
	if err != nil {
		return q, nil, err
	}
	bin := filepath.Join(dir, "gpx_locus")
	build := exec.Command("go", "build", "-o", bin, "./pkg")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return q, nil, fmt.Errorf("go build ./pkg: %v\n%s", err, out)
	}
	host, err := pluginhost.Start(bin)
	if err != nil {
		os.RemoveAll(dir)
		return q, nil, err
	}
	js, _ := json.Marshal(map[string]any{
		"baseUrl": baseURL, "partnerId": locussim.DefaultPartnerID,
		"username": locussim.DefaultUsername, "clientId": locussim.DefaultClientID,
	})
	secure := map[string]string{"password": locussim.DefaultPassword, "clientSecret": locussim.DefaultClientSecret}
	q = binaryQuerier{host: host, pctx: pluginhost.DataSourceContext(plugin.PluginID, "bench-binary", js, secure, time.Now())}
	return q, func() { host.Close(); os.RemoveAll(dir) }, nil
}

// binaryFigures loads the dashboard through the built binary (gRPC, a
// separate process): the same count of upstream requests as in-process,
// and none on reload.
func binaryFigures(ctx context.Context, o *origin, panels []panel, minimal minimalCount) []figure {
	name := "built binary (gRPC): dashboard upstream requests"
	q, stop, err := startBinary(o.URL())
	if err != nil {
		return []figure{failed(name, "= minimal", err)}
	}
	defer stop()
	o.reset()
	if err := loadDashboard(ctx, q, panels); err != nil {
		return []figure{failed(name, "= minimal", err)}
	}
	load := minimal.countFigure(name, o.requests())
	o.reset()
	err = loadDashboard(ctx, q, panels)
	reload := equalTo("built binary (gRPC): reload upstream requests", float64(o.requests()), 0, "")
	if err != nil {
		reload = failed(reload.Name, reload.Target, err)
	}
	return []figure{load, reload}
}
