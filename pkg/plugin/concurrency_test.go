package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// Health checks, queries and editor resource calls of two instances of one
// account, all at once, never put more than one request in flight at Locus
// (the API's limit), so nobody sees a 429.
func TestOneAccountOneRequestInFlight(t *testing.T) {
	cfg := locussim.DefaultConfig()
	cfg.Latency = 2 * time.Millisecond // make overlaps likely if the queue were missing
	sim, base := simkit.Serve(t, cfg, nil)
	a, _ := newTestDatasource(t, simkit.Settings(base, nil, nil))
	b, _ := newTestDatasource(t, simkit.Settings(base, map[string]any{"metadataCacheSeconds": 5}, nil))
	sites := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	now := time.Now()

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 8; i++ {
		d := a
		if i%2 == 1 {
			d = b
		}
		site := sites[i%len(sites)]
		wg.Add(3)
		go func() {
			defer wg.Done()
			res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			if err != nil || res.Status != backend.HealthStatusOk {
				errs <- fmt.Errorf("health: %v %v", err, res)
			}
		}()
		go func() {
			defer wg.Done()
			q := backend.DataQuery{RefID: "A", TimeRange: backend.TimeRange{From: now.Add(-6 * time.Hour), To: now},
				Interval: time.Minute, MaxDataPoints: 500,
				JSON: json.RawMessage(fmt.Sprintf(`{"queryType":"timeseries","entityType":"site","siteId":"%d","fields":["W_avg"]}`, site.ID))}
			r, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
			if err != nil || r.Responses["A"].Error != nil {
				errs <- fmt.Errorf("query site %d: %v %v", site.ID, err, r.Responses["A"].Error)
			}
		}()
		go func() {
			defer wg.Done()
			if status, body, _ := callResource(t, d, "GET", fmt.Sprintf("/dataavailable?entityType=site&id=%d", site.ID)); status != 200 {
				errs <- fmt.Errorf("dataavailable site %d: %d %s", site.ID, status, errorText(body))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := sim.Stats()
	if st.MaxInFlight != 1 {
		t.Errorf("MaxInFlight = %d, want 1: the account queue must cover queries, resources and health checks", st.MaxInFlight)
	}
	if n := st.ByStatus[429]; n != 0 {
		t.Errorf("Locus answered 429 %d times", n)
	}
}
