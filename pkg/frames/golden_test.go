package frames

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

const goldenDir = "testdata"

func TestGoldenTimeSeries(t *testing.T) {
	cat := locus.NewCatalog(sampleBaseFields())
	site := EntityNames{SiteID: 101, SiteName: "Sunny Acres"}
	comp := EntityNames{SiteID: 101, SiteName: "Sunny Acres", ComponentID: 54369, ComponentName: "Inverter 1"}
	checkGoldenFrames(t, "timeseries_site", TimeSeries(sampleSeries(), []string{"W_avg", "Wh_sum"}, cat, site, ""), *update)
	checkGoldenFrames(t, "timeseries_component_alias", TimeSeries(sampleSeries(), []string{"W_avg", "PF_avg"}, cat, comp, "{{component}} {{longName}} [{{unit}}] {{unknown}}"), *update)
}

func TestGoldenLatest(t *testing.T) {
	cat := locus.NewCatalog(sampleBaseFields())
	points := []LatestPoint{
		{Names: EntityNames{SiteID: 101, SiteName: "Sunny Acres", ComponentID: 54369, ComponentName: "Inverter 1"},
			Series: &locus.Series{ID: 54369, Times: []time.Time{time.Date(2024, 6, 1, 12, 5, 0, 0, pdt)}, Values: cols(map[string][]*float64{"W_avg": {f64(4321)}, "PF_avg": {f64(0.98)}})}},
		{Names: EntityNames{SiteID: 101, SiteName: "Sunny Acres", ComponentID: 54370, ComponentName: "Inverter 2"},
			Series: &locus.Series{ID: 54370}},
	}
	checkGoldenFrames(t, "latest", Latest(points, []string{"W_avg", "PF_avg"}, cat, ""), *update)
}

func TestGoldenBulk(t *testing.T) {
	cat := locus.NewCatalog(sampleBaseFields())
	fields := []string{"Wh_sum", "Ih_sum"}
	experimental.CheckGoldenJSONFrame(t, goldenDir, "bulk_table", BulkTable(sampleBulk(), fields, cat, sampleSites(), false), *update)
	experimental.CheckGoldenJSONFrame(t, goldenDir, "bulk_table_latest", BulkTable(sampleBulk(), fields, cat, sampleSites(), true), *update)
	checkGoldenFrames(t, "bulk_timeseries", BulkTimeSeries(sampleBulk(), []string{"Wh_sum"}, cat, sampleSites(), ""), *update)
}

func TestGoldenAlerts(t *testing.T) {
	now := time.Date(2024, 6, 3, 12, 0, 0, 0, time.UTC)
	experimental.CheckGoldenJSONFrame(t, goldenDir, "alerts", AlertsFrame(sampleAlerts(), now), *update)
}

func TestGoldenMetadata(t *testing.T) {
	sites := sampleSites()
	tmy := int64(724095)
	cases := map[string]*data.Frame{
		"clients": Clients([]locus.Client{{ID: 7, PartnerID: 456, TZ: "US/Pacific", FirstName: "Solar", LastName: "Co", Email: "ops@solar.example"}}),
		"sites":   Sites([]locus.Site{sites[101], sites[102]}),
		"components": Components([]locus.Component{
			{ID: 54370, SiteID: 101, ClientID: 7, ParentID: 101, ParentType: "SITE", NodeID: "MTR-1", Name: "Revenue Meter", NodeType: "METER", Application: "GENERATION", GenerationType: "SOLAR", OEM: "Shark", Model: "100S"},
			{ID: 54369, SiteID: 101, ClientID: 7, ParentID: 54370, ParentType: "COMPONENT", NodeID: "INV-1", Name: "Inverter 1", NodeType: "INVERTER", OEM: "SMA", Model: "SB7000US", SerialNumber: "X123"},
		}, nil, ""),
		"components_bare_sites": Components([]locus.Component{
			{ID: 54369, SiteID: 101, ClientID: 7, ParentID: 54370, ParentType: "COMPONENT", NodeID: "INV-1", Name: "Inverter 1", NodeType: "INVERTER", OEM: "SMA", Model: "SB7000US", SerialNumber: "X123"},
		}, []int64{102}, NoComponentsOfType("INVERTER")),
		"installinfo":   InstallInfo(101, locus.InstallInfo{Installer: "Sun Builders", InstallDate: "2019-03-01", StartupDate: "2019-04-01"}),
		"modelsettings": ModelSettings(101, locus.ModelSettings{Size: f64(1023.4), Mismatch: 98, DiodesAndConnections: 99, DCWiring: 98, Soiling: 95, SunTracking: 100, Nameplate: 100, ACWiring: 99, Transformer: 100, TMY3ID: &tmy}),
		"fields":        Fields(locus.NewCatalog(sampleBaseFields())),
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			experimental.CheckGoldenJSONFrame(t, goldenDir, "meta_"+name, f, *update)
		})
	}
}

// checkGoldenFrames compares a frame list with its golden file.
func checkGoldenFrames(t *testing.T, name string, fs data.Frames, update bool) {
	t.Helper()
	experimental.CheckGoldenJSONResponse(t, goldenDir, name, &backend.DataResponse{Frames: fs}, update)
}
