package frames

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

func TestBulkTable(t *testing.T) {
	cat := locus.NewCatalog(sampleBaseFields())
	full := BulkTable(sampleBulk(), []string{"Wh_sum", "Ih_sum"}, cat, sampleSites(), false)
	if full.Rows() != 4 {
		t.Fatalf("%d rows, want 2 sites x 2 months", full.Rows())
	}
	if got := testkit.Field(t, full, "site").At(0); got != "Bright Field" {
		t.Errorf("first row site %v, want Bright Field (sorted by name)", got)
	}
	if got := testkit.Field(t, full, "Wh_sum").Config.Unit; got != "watth" {
		t.Errorf("Wh_sum unit %q", got)
	}
	if got := testkit.Field(t, full, "Ih_sum").Config.Unit; got != "si:Wh/m²" {
		t.Errorf("Ih_sum unit %q", got)
	}
	if v := testkit.Field(t, full, "latitude").At(0).(*float64); v != nil {
		t.Error("a site without coordinates must have null latitude")
	}
	latest := BulkTable(sampleBulk(), []string{"Wh_sum"}, cat, sampleSites(), true)
	if latest.Rows() != 2 {
		t.Fatalf("latest month only: %d rows, want one per site", latest.Rows())
	}
	for i := 0; i < 2; i++ {
		if m := testkit.Field(t, latest, "time").At(i).(*time.Time); m == nil || m.Month() != time.February {
			t.Errorf("row %d month %v, want the newest (February)", i, m)
		}
	}
	empty := BulkTable(nil, []string{"Wh_sum"}, cat, nil, true)
	if empty.Rows() != 0 || len(empty.Fields) != 7 {
		t.Errorf("empty bulk: %d rows, %d fields; want 0 rows and the 7 columns", empty.Rows(), len(empty.Fields))
	}
	// A site in scope without any series is a row saying so.
	sites := sampleSites()
	sites[777] = locus.Site{ID: 777, Name: "Aardvark Roof"}
	withGap := BulkTable(sampleBulk(), []string{"Wh_sum"}, cat, sites, true)
	if withGap.Rows() != 3 {
		t.Fatalf("%d rows, want 2 sites with data + 1 without", withGap.Rows())
	}
	if id, note := testkit.Field(t, withGap, "site_id").At(0).(int64), testkit.Field(t, withGap, "note").At(0).(string); id != 777 || note != NoBulkData {
		t.Errorf("first row: site %d note %q, want site 777 (sorted by name) with note %q", id, note, NoBulkData)
	}
	if m, v := testkit.Field(t, withGap, "time").At(0).(*time.Time), testkit.Field(t, withGap, "Wh_sum").At(0).(*float64); m != nil || v != nil {
		t.Errorf("site without data: month %v, Wh_sum %v; want both null", m, v)
	}
	if note := testkit.Field(t, withGap, "note").At(1).(string); note != "" {
		t.Errorf("a site with data has note %q, want empty", note)
	}
	unknownSite := BulkTable([]locus.Series{{ID: 999, Times: []time.Time{time.Unix(0, 0)}}}, []string{"Wh_sum"}, cat, nil, false)
	if unknownSite.Rows() != 1 || testkit.Field(t, unknownSite, "site_id").At(0).(int64) != 999 {
		t.Error("a site missing from the site list keeps its id")
	}
}

func TestBulkTimeSeries(t *testing.T) {
	fs := BulkTimeSeries(sampleBulk(), []string{"Wh_sum", "Ih_sum"}, locus.NewCatalog(sampleBaseFields()), sampleSites(), "{{site}}")
	if len(fs) != 4 {
		t.Fatalf("%d frames, want sites x fields = 4", len(fs))
	}
	if got := fs[0].Fields[1].Config.DisplayNameFromDS; got != "Bright Field" {
		t.Errorf("first series %q, want Bright Field", got)
	}
	if got := fs[3].Fields[1].Labels["site_id"]; got != "101" {
		t.Errorf("last series site_id %q, want 101", got)
	}
}

func TestAlertsFrame(t *testing.T) {
	now := time.Date(2024, 6, 3, 12, 0, 0, 0, time.UTC)
	alerts := sampleAlerts()
	// An alert whose end precedes its start (clock skew upstream) is clamped.
	bad := alerts[0]
	early := bad.Start.Add(-time.Hour)
	bad.End = &early
	bad.AlertType = "Odd, Type"
	f := AlertsFrame(append(alerts, bad), now)
	if f.Rows() != 3 {
		t.Fatalf("%d rows, want 3", f.Rows())
	}
	if got := testkit.Field(t, f, "timeEnd").At(1).(time.Time); !got.Equal(now) {
		t.Errorf("open alert ends %v, want now %v", got, now)
	}
	if got := testkit.Field(t, f, "status").At(1); got != StatusOpen {
		t.Errorf("open alert status %v", got)
	}
	if got := testkit.Field(t, f, "timeEnd").At(2).(time.Time); !got.Equal(bad.Start) {
		t.Errorf("end before start must clamp to start, got %v", got)
	}
	if got := testkit.Field(t, f, "tags").At(2).(string); got != "Odd  Type,High" {
		t.Errorf("tags %q: commas inside a tag must not split it", got)
	}
	if got := testkit.Field(t, f, "title").At(0); got != "Device Fault – Sunny Acres / Inverter 1" {
		t.Errorf("title %v: the annotation title names the site and the component", got)
	}
	text := testkit.Field(t, f, "text").At(0).(string)
	for _, want := range []string{"Sunny Acres", "Inverter 1", "Ground fault detected on DC input 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("text %q should contain %q", text, want)
		}
	}
	if strings.Count(text, "Ground fault") != 2 {
		t.Errorf("text %q: short and long descriptions both belong in it", text)
	}
	if testkit.Field(t, f, "time").Type() != data.FieldTypeTime || testkit.Field(t, f, "timeEnd").Type() != data.FieldTypeTime {
		t.Error("time and timeEnd must be time fields for annotations")
	}
	if empty := AlertsFrame(nil, now); empty.Rows() != 0 || len(empty.Fields) != 15 {
		t.Errorf("no alerts: %d rows %d fields", empty.Rows(), len(empty.Fields))
	}
}

func TestMetadataTables(t *testing.T) {
	sites := Sites([]locus.Site{sampleSites()[101]})
	if lat := testkit.Field(t, sites, "latitude").At(0).(*float64); lat == nil || *lat != 36.75 {
		t.Errorf("site latitude %v", lat)
	}
	comps := Components([]locus.Component{{ID: 1, ParentID: 2, ParentType: "COMPONENT", NodeType: "INVERTER", OEM: "SMA", Model: "X"}}, nil, "")
	for name, want := range map[string]any{"parentId": int64(2), "nodeType": "INVERTER", "oem": "SMA", "model": "X"} {
		if got := testkit.Field(t, comps, name).At(0); got != want {
			t.Errorf("components %s = %v, want %v", name, got, want)
		}
	}
	if testkit.Field(t, comps, "id").Nullable() || testkit.Field(t, comps, "note").At(0) != "" {
		t.Error("components without bare sites: id must not be nullable, note empty")
	}
	bare := Components([]locus.Component{{ID: 1, SiteID: 9, ParentID: 2, NodeType: "INVERTER"}}, []int64{7, 8}, NoComponents)
	if bare.Rows() != 3 {
		t.Fatalf("components with 2 bare sites: %d rows, want 3", bare.Rows())
	}
	for i, want := range []int64{9, 7, 8} {
		if got := testkit.Field(t, bare, "siteId").At(i); got != want {
			t.Errorf("row %d siteId %v, want %d", i, got, want)
		}
	}
	if id := testkit.Field(t, bare, "id").At(1).(*int64); id != nil {
		t.Errorf("bare site row id %d, want null", *id)
	}
	if id := testkit.Field(t, bare, "id").At(0).(*int64); id == nil || *id != 1 {
		t.Errorf("component row id %v, want 1", id)
	}
	if got := testkit.Field(t, bare, "note").At(2); got != NoComponents {
		t.Errorf("bare site row note %q, want %q", got, NoComponents)
	}
	ms := ModelSettings(5, locus.ModelSettings{Soiling: 97})
	if testkit.Field(t, ms, "size").At(0).(*float64) != nil || testkit.Field(t, ms, "tmy3Id").At(0).(*int64) != nil {
		t.Error("absent optional model settings must be null")
	}
	fields := Fields(locus.NewCatalog(sampleBaseFields()))
	if fields.Rows() != 6 {
		t.Errorf("fields table %d rows, want one per shortName (6)", fields.Rows())
	}
	if got := testkit.Field(t, fields, "fieldParameters").At(3); got != "modelType,irradianceSource" {
		t.Errorf("W_m_avg parameters %v", got)
	}
	for _, f := range []*data.Frame{Clients(nil), Sites(nil), Components(nil, nil, ""), Fields(nil)} {
		if f.Rows() != 0 {
			t.Errorf("%s from nil has %d rows", f.Name, f.Rows())
		}
		if _, err := f.MarshalJSON(); err != nil {
			t.Errorf("%s from nil does not serialise: %v", f.Name, err)
		}
	}
}

// An annotation title says where: the site, and the component when there is one.
func TestAlertTitleNamesSiteAndComponent(t *testing.T) {
	now := time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)
	start := now.Add(-time.Hour)
	alerts := []locus.Alert{
		{SiteName: "Garage 9", ComponentName: "Inverter 1", AlertType: "Zero Generation", Start: start},
		{SiteName: "Garage 33", AlertType: "System Disconnect", Start: start},
		{AlertType: "Device Fault", Start: start},
	}
	want := []string{"Zero Generation – Garage 9 / Inverter 1", "System Disconnect – Garage 33", "Device Fault"}
	f := AlertsFrame(alerts, now)
	for i, w := range want {
		if got := testkit.Field(t, f, "title").At(i); got != w {
			t.Errorf("row %d title %q, want %q", i, got, w)
		}
	}
}
