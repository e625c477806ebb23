package plugin

import (
	"context"
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

var _ backend.QueryDataHandler = (*Datasource)(nil)

// QueryData answers dashboard, Explore, annotation and alert-rule queries
// through the query engine; with invalid settings every query gets the
// settings error.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	if req == nil {
		return backend.NewQueryDataResponse(), nil
	}
	if d.settingsErr != nil {
		resp := backend.NewQueryDataResponse()
		for _, q := range req.Queries {
			resp.Responses[q.RefID] = backend.DataResponse{
				Error:       errors.New("the data source settings are invalid: " + d.logger.redact(d.settingsErr.Error())),
				Status:      backend.StatusBadRequest,
				ErrorSource: backend.ErrorSourceDownstream,
			}
		}
		return resp, nil
	}
	// A query begun before a settings save finishes on this instance (the
	// disposed one drains; see query.Engine.Close).
	done, err := d.engine.Begin()
	if err != nil {
		resp := backend.NewQueryDataResponse()
		for _, q := range req.Queries {
			resp.Responses[q.RefID] = backend.DataResponse{Error: err, Status: backend.StatusBadRequest, ErrorSource: backend.ErrorSourceDownstream}
		}
		return resp, nil
	}
	defer done()
	return d.engine.QueryData(ctx, req)
}
