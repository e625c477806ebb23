package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
)

// newInstance builds a data source instance the way Grafana's instance
// manager does (plugin.NewDatasource with instance settings) for the
// simulator's main account at baseURL. Its cache starts empty.
func newInstance(baseURL string, uid string) (*plugin.Datasource, error) {
	return newInstanceWith(baseURL, uid, nil)
}

// newInstanceWith is newInstance with more jsonData settings.
func newInstanceWith(baseURL string, uid string, extra map[string]any) (*plugin.Datasource, error) {
	settings := map[string]any{
		"baseUrl":   baseURL,
		"partnerId": locussim.DefaultPartnerID,
		"username":  locussim.DefaultUsername,
		"clientId":  locussim.DefaultClientID,
	}
	for k, v := range extra {
		settings[k] = v
	}
	js, _ := json.Marshal(settings)
	inst, err := plugin.NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
		UID: uid, JSONData: js, Updated: time.Now(),
		DecryptedSecureJSONData: map[string]string{
			"password":     locussim.DefaultPassword,
			"clientSecret": locussim.DefaultClientSecret,
		},
	})
	if err != nil {
		return nil, err
	}
	d, ok := inst.(*plugin.Datasource)
	if !ok {
		return nil, fmt.Errorf("NewDatasource returned %T, want *plugin.Datasource", inst)
	}
	return d, nil
}

// resourceResult is one answered resource call.
type resourceResult struct {
	status int
	body   []byte
}

// resourceSender keeps the response the resource handler sends.
type resourceSender struct{ resp *backend.CallResourceResponse }

// Send implements backend.CallResourceResponseSender.
func (s *resourceSender) Send(r *backend.CallResourceResponse) error {
	s.resp = r
	return nil
}

// callResource issues a GET resource call as Grafana forwards it from the editors.
func callResource(ctx context.Context, d *plugin.Datasource, pathQuery string) (resourceResult, error) {
	path, _, _ := strings.Cut(pathQuery, "?")
	s := &resourceSender{}
	err := d.CallResource(ctx, &backend.CallResourceRequest{
		Method: http.MethodGet, Path: strings.TrimPrefix(path, "/"), URL: pathQuery,
	}, s)
	if err != nil {
		return resourceResult{}, err
	}
	if s.resp == nil {
		return resourceResult{}, fmt.Errorf("resource %s: no response", pathQuery)
	}
	if s.resp.Status != http.StatusOK {
		return resourceResult{s.resp.Status, s.resp.Body}, fmt.Errorf("resource %s: status %d: %s", pathQuery, s.resp.Status, s.resp.Body)
	}
	return resourceResult{s.resp.Status, s.resp.Body}, nil
}
