package simkit

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// Pick is the entities of the default fleet the query set names.
type Pick struct {
	// Site has at least two inverters and three months of history.
	Site *locussim.Site
	// Inverters are Site's inverters.
	Inverters []*locussim.Component
	// Sites are the first three sites with two days of history.
	Sites []*locussim.Site
}

// PickFleet picks the query set's entities from sim's main partner for
// queries ending at to; it fails the test if the fleet lacks them.
func PickFleet(t testing.TB, sim *locussim.Server, to time.Time) Pick {
	t.Helper()
	site := sim.Fleet().FindSite(locussim.DefaultPartnerID, func(s *locussim.Site) bool {
		return len(s.ComponentsOfType(locussim.NodeInverter)) > 1 && s.Startup.Before(to.AddDate(0, -3, 0))
	})
	if site == nil {
		t.Fatal("no site with several inverters and three months of history")
	}
	var sites []*locussim.Site
	for _, s := range sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		if s.Startup.Before(to.AddDate(0, 0, -2)) && len(sites) < 3 {
			sites = append(sites, s)
		}
	}
	return Pick{Site: site, Inverters: site.ComponentsOfType(locussim.NodeInverter), Sites: sites}
}

//go:embed testdata/queries/*.json
var queryFiles embed.FS

// queryFile is one file of testdata/queries: a query as a panel sends it.
// In the model, "${site}" stands for Pick.Site's id and "${inverter}" for
// its first inverter's.
type queryFile struct {
	// Range is the time range ending at the request's end: "day" (24
	// hours), "quarter" (3 months) or "lastMonth" (the previous whole
	// calendar month in UTC).
	Range         string          `json:"range"`
	IntervalMs    int64           `json:"intervalMs"`
	MaxDataPoints int64           `json:"maxDataPoints"`
	Model         json.RawMessage `json:"model"`
}

// QueryTypes lists the query set's files: one query of every type, named
// by the type (its refId).
func QueryTypes() []string {
	entries, err := queryFiles.ReadDir("testdata/queries")
	if err != nil {
		panic(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	return out
}

// QueriesOfEachType is the shared query set, one query of every type
// (refId = the type), naming p's entities and ending at to. The engine's
// golden tests, the in-process gRPC tests and the built binary's tests
// all send it.
func QueriesOfEachType(t testing.TB, p Pick, to time.Time) []backend.DataQuery {
	t.Helper()
	var out []backend.DataQuery
	for _, name := range QueryTypes() {
		out = append(out, QueryOfType(t, name, p, to))
	}
	return out
}

// QuerySet is QueriesOfEachType over the entities PickFleet picks from sim.
func QuerySet(t testing.TB, sim *locussim.Server, to time.Time) []backend.DataQuery {
	t.Helper()
	return QueriesOfEachType(t, PickFleet(t, sim, to), to)
}

// QueryOfType is the query of the set named name (see QueriesOfEachType).
func QueryOfType(t testing.TB, name string, p Pick, to time.Time) backend.DataQuery {
	t.Helper()
	raw, err := queryFiles.ReadFile(path.Join("testdata/queries", name+".json"))
	if err != nil {
		t.Fatalf("query set: %v", err)
	}
	var f queryFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("query set %s: %v", name, err)
	}
	var from time.Time
	switch f.Range {
	case "day":
		from = to.Add(-24 * time.Hour)
	case "quarter":
		from = to.AddDate(0, -3, 0)
	case "lastMonth":
		u := to.UTC()
		to = time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, time.UTC)
		from = to.AddDate(0, -1, 0)
	default:
		t.Fatalf("query set %s: range %q is not day, quarter or lastMonth", name, f.Range)
	}
	model := strings.NewReplacer(
		"${site}", fmt.Sprint(p.Site.ID),
		"${inverter}", fmt.Sprint(p.Inverters[0].ID),
	).Replace(string(f.Model))
	return backend.DataQuery{
		RefID: name, TimeRange: backend.TimeRange{From: from, To: to},
		Interval: time.Duration(f.IntervalMs) * time.Millisecond, MaxDataPoints: f.MaxDataPoints,
		JSON: json.RawMessage(model),
	}
}
