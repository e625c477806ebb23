package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit/simkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestQueryRunningWhenTheSettingsAreSavedFinishesOnTheOldInstance(t *testing.T) {
	sim := locussim.New(locussim.DefaultConfig())
	arrived, release := make(chan struct{}), make(chan struct{})
	var held atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v3/sites/") && held.CompareAndSwap(false, true) {
			close(arrived)
			<-release
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	old, _ := newTestDatasource(t, simkit.Settings(srv.URL, nil, nil))
	// A time series query makes several calls (site, data available, data):
	// the first is held at Locus while the settings are saved.
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	now := time.Now()
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A",
		TimeRange: backend.TimeRange{From: now.Add(-3 * time.Hour), To: now}, Interval: time.Minute, MaxDataPoints: 500,
		JSON: json.RawMessage(fmt.Sprintf(`{"siteId":"%d","fields":["W_avg"]}`, site.ID))}}}
	running := make(chan *backend.QueryDataResponse, 1)
	go func() { r, _ := old.QueryData(context.Background(), req); running <- r }()
	<-arrived

	// Save & test: Grafana builds the new instance and disposes the old one.
	replacement, _ := newTestDatasource(t, simkit.Settings(srv.URL, nil, nil))
	old.Dispose()
	close(release)
	r := <-running
	if err := r.Responses["A"].Error; err != nil {
		t.Fatalf("the query running during the save failed: %v", err)
	}
	if r, _ := replacement.QueryData(context.Background(), req); r.Responses["A"].Error != nil {
		t.Fatalf("the new instance: %v", r.Responses["A"].Error)
	}
	if r, _ := old.QueryData(context.Background(), req); r.Responses["A"].Error == nil {
		t.Fatal("a new query on the disposed instance must fail once it drained")
	}
}
