package plugin

import (
	"fmt"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func indexOf(sites []locus.Site) []siteEntry {
	entries := make([]siteEntry, 0, len(sites))
	for _, s := range sites {
		entries = append(entries, buildEntry(s))
	}
	sortEntries(entries)
	return entries
}

func TestSearchSites(t *testing.T) {
	sites := []locus.Site{
		{ID: 11, ClientID: 1, Name: "Sunny Acres", Locale3: "Fresno", Locale1: "California", LocaleCode1: "CA"},
		{ID: 12, ClientID: 1, Name: "Acme Rooftop", Locale3: "Hoboken", Locale1: "New Jersey", LocaleCode1: "NJ"},
		{ID: 13, ClientID: 2, Name: "Sunset Farm", Locale3: "Sunnyvale", Locale1: "California", LocaleCode1: "CA"},
		{ID: 113, ClientID: 2, Name: "Bayview", Locale3: "Oakland", Locale1: "California", LocaleCode1: "CA"},
	}
	entries := indexOf(sites)
	cases := []struct {
		name    string
		query   string
		clients map[int64]bool
		limit   int
		want    []int64
		total   int
	}{
		{"all sorted by name", "", nil, 50, []int64{12, 113, 11, 13}, 4},
		{"name prefix ranks before other matches", "sun", nil, 50, []int64{11, 13}, 2},
		{"city matches", "hoboken", nil, 50, []int64{12}, 1},
		{"state code matches, case-insensitive", "nj", nil, 50, []int64{12}, 1},
		{"state name matches", "california", nil, 50, []int64{113, 11, 13}, 3},
		{"exact id first, then ids containing it", "13", nil, 50, []int64{13, 113}, 2},
		{"every word must match", "sun ca fresno", nil, 50, []int64{11}, 1},
		{"client filter", "", map[int64]bool{2: true}, 50, []int64{113, 13}, 2},
		{"client filter and text", "sun", map[int64]bool{2: true}, 50, []int64{13}, 1},
		{"limit keeps total", "", nil, 2, []int64{12, 113}, 4},
		{"no match", "zzz", nil, 50, []int64{}, 0},
		{"several clients (a multi-value variable)", "", map[int64]bool{1: true, 2: true}, 50, []int64{12, 113, 11, 13}, 4},
		{"prefix match outranks city match", "sunny", nil, 50, []int64{11, 13}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, total := searchSites(entries, tc.query, tc.clients, tc.limit)
			if total != tc.total {
				t.Errorf("total = %d, want %d", total, tc.total)
			}
			ids := make([]int64, len(got))
			for i, s := range got {
				ids[i] = s.ID
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
				t.Errorf("ids = %v, want %v", ids, tc.want)
			}
		})
	}
}

func TestToSiteJSONStateFallsBackToName(t *testing.T) {
	s := toSiteJSON(locus.Site{ID: 1, Locale1: "Bavaria", Locale3: "Munich"})
	if s.State != "Bavaria" || s.City != "Munich" {
		t.Fatalf("got %+v", s)
	}
}

func TestSiteIndexServesStaleWhenLocusIsDown(t *testing.T) {
	sim, base := simOrigin(t, locussim.DefaultConfig())
	now := time.Now()
	clock := func() time.Time { return now }
	d := newDatasource(simSettings(base, map[string]any{"metadataCacheSeconds": 60}, nil), Options{Now: clock, Logger: newCaptureLogger(),
		Tune: func(c *locus.Config) { c.MaxRetries = -1 }})
	t.Cleanup(d.Dispose)
	if status, body, _ := callResource(t, d, "GET", "/sites"); status != 200 {
		t.Fatalf("warm-up: %d %s", status, errorText(body))
	}
	now = now.Add(2 * time.Minute) // both the index and the client cache are stale now
	sim.SetFaults(locussim.Faults{Rate5xx: 1})
	status, body, _ := callResource(t, d, "GET", "/sites?query=a")
	if status != 200 {
		t.Fatalf("with Locus failing, a stale site list should still be served: %d %s", status, errorText(body))
	}
	// The client serves its stale list at once and refreshes it in the
	// background (which fails here).
	if err := d.api.WaitBackground(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := sim.Stats().Faults["5xx"]; got == 0 {
		t.Fatalf("the stale list was not refreshed in the background (no upstream attempt)")
	}
	// A client-side error (here: the instance is closed) is not ridden out
	// (once the index, rebuilt from the client's stale list, is stale too).
	now = now.Add(2 * time.Minute)
	d.api.Close()
	if status, _, _ := callResource(t, d, "GET", "/sites"); status == 200 {
		t.Fatalf("a non-transient error must not be hidden by stale data")
	}
}
