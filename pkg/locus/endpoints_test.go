package locus

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// firstWithType returns the first component of a node type in the partner's fleet.
func firstWithType(t *testing.T, e *env, nodeType string) *locussim.Component {
	t.Helper()
	for _, s := range e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID) {
		if cs := s.ComponentsOfType(nodeType); len(cs) > 0 {
			return cs[0]
		}
	}
	t.Fatalf("no %s in the fleet", nodeType)
	return nil
}

func TestEndpointPaths(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	s := e.site(t, 0)
	inv := firstWithType(t, e, locussim.NodeInverter)
	calls := []struct {
		want string
		call func() error
	}{
		{"/v3/partners/4242/clients", func() error { _, err := a.Clients(bg()); return err }},
		{fmt.Sprintf("/v3/clients/%d", s.ClientID), func() error { _, err := a.Client(bg(), s.ClientID); return err }},
		{"/v3/partners/4242/sites", func() error { _, err := a.Sites(bg()); return err }},
		{fmt.Sprintf("/v3/clients/%d/sites", s.ClientID), func() error { _, err := a.SitesOfClient(bg(), s.ClientID); return err }},
		{fmt.Sprintf("/v3/sites/%d", s.ID), func() error { _, err := a.Site(bg(), s.ID); return err }},
		{fmt.Sprintf("/v3/sites/%d/installinfo", s.ID), func() error { _, err := a.InstallInfo(bg(), s.ID); return err }},
		{fmt.Sprintf("/v3/sites/%d/modelsettings", s.ID), func() error { _, err := a.ModelSettings(bg(), s.ID); return err }},
		{fmt.Sprintf("/v3/sites/%d/components", s.ID), func() error { _, err := a.Components(bg(), s.ID); return err }},
		{fmt.Sprintf("/v3/clients/%d/components", s.ClientID), func() error { _, err := a.ComponentsOfClient(bg(), s.ClientID); return err }},
		{"/v3/partners/4242/components?nodeId=" + strings.ReplaceAll(inv.NodeID[:4], "%", "%25") + "%25", func() error {
			_, err := a.PartnerComponents(bg(), inv.NodeID[:4]+"%", "")
			return err
		}},
		{fmt.Sprintf("/v3/components/%d", inv.ID), func() error { _, err := a.Component(bg(), inv.ID); return err }},
		{fmt.Sprintf("/v3/components/%d/dataavailable", inv.ID), func() error { _, err := a.DataAvailable(bg(), KindComponent, inv.ID); return err }},
		{fmt.Sprintf("/v3/sites/%d/dataavailable", s.ID), func() error { _, err := a.DataAvailable(bg(), KindSite, s.ID); return err }},
		{"/v3/partners/4242/sites/dataavailable", func() error { _, err := a.BulkDataAvailable(bg()); return err }},
		{fmt.Sprintf("/v3/components/%d/data?fields=W_avg,Wh_sum&start=2026-01-01T00:00:00&end=2026-03-01T00:00:00&tz=US/Pacific&gran=monthly", inv.ID), func() error {
			_, err := a.Data(bg(), DataRequest{Kind: KindComponent, ID: inv.ID, Fields: []string{"W_avg", "Wh_sum"},
				Start: "2026-01-01T00:00:00", End: "2026-03-01T00:00:00", TZ: "US/Pacific", Gran: "monthly"})
			return err
		}},
		{fmt.Sprintf("/v3/sites/%d/data?fields=Wh_sum,W_avg&start=2026-06-01T00:00:00&end=2026-06-02T00:00:00&tz=Asia/Kolkata&gran=15min&inverterClipping=true&irradianceSource=weatherStation&modelType=simple", s.ID), func() error {
			_, err := a.Data(bg(), DataRequest{Kind: KindSite, ID: s.ID, Fields: []string{"Wh_sum", "W_avg", "Wh_sum"},
				Start: "2026-06-01T00:00:00", End: "2026-06-02T00:00:00", TZ: "Asia/Kolkata", Gran: "15min",
				Params: map[string]string{"modelType": "simple", "inverterClipping": "true", "irradianceSource": "weatherStation"}})
			return err
		}},
		{fmt.Sprintf("/v3/components/%d/data?fields=W_avg&tz=UTC&gran=latest", inv.ID), func() error {
			_, err := a.Data(bg(), DataRequest{Kind: KindComponent, ID: inv.ID, Fields: []string{"W_avg"}, TZ: "UTC", Gran: "latest"})
			return err
		}},
		{"/v3/partners/4242/sites/data?fields=Wh_sum&start=2026-01-01T00:00:00&end=2026-06-01T00:00:00&tz=America/New_York&gran=monthly", func() error {
			_, err := a.BulkData(bg(), BulkRequest{Fields: []string{"Wh_sum"}, Start: "2026-01-01T00:00:00", End: "2026-06-01T00:00:00", TZ: "America/New_York"})
			return err
		}},
		{"/v3/partners/4242/alerts?openDuringMin=2026-06-01T00:00:00&openDuringMax=2026-06-15T00:00:00&tz=UTC&alertType=System%20Disconnect,Zero%20Generation&status=open&priority=high,low", func() error {
			_, err := a.Alerts(bg(), AlertsRequest{Kind: "partners", TZ: "UTC", OpenDuringMin: "2026-06-01T00:00:00", OpenDuringMax: "2026-06-15T00:00:00",
				AlertTypes: []string{"System Disconnect", "Zero Generation"}, Status: "Open", Priorities: []string{"High", "low", "HIGH"}})
			return err
		}},
		{fmt.Sprintf("/v3/sites/%d/alerts?updatedSince=2026-06-10T00:00:00&tz=US/Pacific", s.ID), func() error {
			_, err := a.Alerts(bg(), AlertsRequest{Kind: "sites", ID: s.ID, TZ: "US/Pacific", UpdatedSince: "2026-06-10T00:00:00"})
			return err
		}},
		{fmt.Sprintf("/v3/components/%d/alerts?tz=UTC", inv.ID), func() error {
			_, err := a.Alerts(bg(), AlertsRequest{Kind: "component", ID: inv.ID, TZ: "UTC"})
			return err
		}},
		// Site alerts have no window limit: a year is one call.
		{fmt.Sprintf("/v3/sites/%d/alerts?openDuringMin=2025-06-01T00:00:00&openDuringMax=2026-06-01T00:00:00&tz=UTC", s.ID), func() error {
			_, err := a.Alerts(bg(), AlertsRequest{Kind: "sites", ID: s.ID, TZ: "UTC", OpenDuringMin: "2025-06-01T00:00:00", OpenDuringMax: "2026-06-01T00:00:00"})
			return err
		}},
	}
	for _, c := range calls {
		before := len(e.wire.v3())
		if err := c.call(); err != nil {
			t.Errorf("%s: %v", c.want, err)
			continue
		}
		got := e.wire.v3()[before:]
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("sent %q\n want %q", got, c.want)
		}
	}
	for _, r := range e.wire.requests() {
		if strings.HasPrefix(r.URI, "/v3/") && !strings.HasPrefix(r.Authorization, "Bearer ") {
			t.Errorf("%s sent without a bearer token", r.URI)
		}
	}
}

func TestInvalidRequestsNeverReachUpstream(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	good := DataRequest{Kind: KindSite, ID: 5, Fields: []string{"W_avg"}, Start: "2026-01-01T00:00:00", End: "2026-01-02T00:00:00", TZ: "UTC", Gran: "hourly"}
	data := func(mod func(*DataRequest)) func() error {
		r := good
		r.Fields = slices.Clone(good.Fields)
		mod(&r)
		return func() error { _, err := a.Data(bg(), r); return err }
	}
	alerts := func(r AlertsRequest) func() error {
		return func() error { _, err := a.Alerts(bg(), r); return err }
	}
	cases := []struct {
		name, want string
		call       func() error
	}{
		{"site id 0", "site id must be a positive integer (got 0)", func() error { _, err := a.Site(bg(), 0); return err }},
		{"negative component", "component id must be a positive integer (got -3)", func() error { _, err := a.Component(bg(), -3); return err }},
		{"client id", "client id must be a positive integer", func() error { _, err := a.SitesOfClient(bg(), 0); return err }},
		{"kind", `entity kind "partners" is not one of "sites", "components"`, func() error { _, err := a.DataAvailable(bg(), "partners", 1); return err }},
		{"no fields", "no fields requested", data(func(r *DataRequest) { r.Fields = nil })},
		{"empty field", `field "" is not a dataavailable shortName`, data(func(r *DataRequest) { r.Fields = []string{""} })},
		{"comma field", `field "W_avg,Wh_sum" is not`, data(func(r *DataRequest) { r.Fields = []string{"W_avg,Wh_sum"} })},
		{"gran", `granularity "weekly" is not one of latest, 1min, 5min, 15min, hourly, daily, monthly, yearly`, data(func(r *DataRequest) { r.Gran = "weekly" })},
		{"latest on site", "latest is only available for components", data(func(r *DataRequest) { r.Gran = "latest" })},
		{"tz empty", "time zone (tz) is required", data(func(r *DataRequest) { r.TZ = "" })},
		{"tz bad", `time zone "Mars/Olympus" is not an IANA name`, data(func(r *DataRequest) { r.TZ = "Mars/Olympus" })},
		{"start format", `start "2026-01-01" must be a wall-clock time YYYY-MM-DDThh:mm:ss`, data(func(r *DataRequest) { r.Start = "2026-01-01" })},
		{"end before start", "must be before end", data(func(r *DataRequest) { r.End = r.Start })},
		{"param value", "field parameter modelType needs a value", data(func(r *DataRequest) { r.Params = map[string]string{"modelType": ""} })},
		{"param name", `field parameter name "a b"`, data(func(r *DataRequest) { r.Params = map[string]string{"a b": "x"} })},
		{"bulk no fields", "no fields requested", func() error { _, err := a.BulkData(bg(), BulkRequest{TZ: "UTC"}); return err }},
		{"alerts scope", `scope "fleet" is not one of partners, sites, components`, alerts(AlertsRequest{Kind: "fleet", TZ: "UTC"})},
		{"alerts no tz", "time zone (tz) is required", alerts(AlertsRequest{Kind: "sites", ID: 1})},
		{"partner alerts filter", "partner alerts need updatedSince", alerts(AlertsRequest{Kind: "partners", TZ: "UTC"})},
		{"partner updatedSince age", "at most 7 days ago", alerts(AlertsRequest{Kind: "partners", TZ: "UTC", UpdatedSince: "2026-06-01T00:00:00"})},
		{"half window", "must be given together", alerts(AlertsRequest{Kind: "sites", ID: 1, TZ: "UTC", OpenDuringMin: "2026-01-01T00:00:00"})},
		{"status", `status "pending" is not one of open, closed`, alerts(AlertsRequest{Kind: "sites", ID: 1, TZ: "UTC", Status: "pending"})},
		{"priority", `priority "urgent" is not one of High, Medium, Low`, alerts(AlertsRequest{Kind: "sites", ID: 1, TZ: "UTC", Priorities: []string{"urgent"}})},
		{"alert type", `alert type ""`, alerts(AlertsRequest{Kind: "sites", ID: 1, TZ: "UTC", AlertTypes: []string{""}})},
	}
	for _, c := range cases {
		err := c.call()
		if !IsKind(err, KindBadRequest) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v\n want a bad request containing %q", c.name, err, c.want)
		}
	}
	if st := e.sim.Stats(); st.Total != 0 {
		t.Fatalf("%d requests reached the simulator", st.Total)
	}
}

func TestDataAgainstSimulator(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	s := e.site(t, 0)
	// Two days of hourly site data in the site's zone.
	local := testNow.In(s.Location())
	day := time.Date(local.Year(), local.Month(), local.Day()-3, 0, 0, 0, 0, s.Location())
	r := DataRequest{Kind: KindSite, ID: s.ID, Fields: []string{"W_avg", "Wh_sum"}, Start: day.Format(wallLayout), End: day.AddDate(0, 0, 2).Format(wallLayout), TZ: s.Timezone, Gran: "hourly"}
	series, err := a.Data(bg(), r)
	if err != nil {
		t.Fatal(err)
	}
	if series.ID != s.ID || len(series.Times) != 48 {
		t.Fatalf("series id %d with %d points, want site %d with 48 hourly points", series.ID, len(series.Times), s.ID)
	}
	if !series.Times[0].Equal(day) || series.Times[0].Location() != time.UTC {
		t.Fatalf("first bucket %v, want %v in UTC", series.Times[0], day)
	}
	var energy float64
	var nonNil int
	for i, p := range series.Values["Wh_sum"].Pointers() {
		if series.Values["W_avg"].Len() != len(series.Times) {
			t.Fatal("columns of unequal length")
		}
		if i > 0 && !series.Times[i].After(series.Times[i-1]) {
			t.Fatal("times not increasing")
		}
		if p != nil {
			energy += *p
			nonNil++
		}
	}
	if nonNil == 0 || energy <= 0 {
		t.Fatalf("no energy over two days (%d values)", nonNil)
	}
	// Monthly bulk data: one series per site, in id order.
	bulk, err := a.BulkData(bg(), BulkRequest{Fields: []string{"Wh_sum"}, Start: "2026-01-01T00:00:00", End: "2026-06-01T00:00:00", TZ: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	if len(bulk) == 0 || !slices.IsSortedFunc(bulk, func(x, y Series) int { return int(x.ID - y.ID) }) {
		t.Fatalf("bulk: %d series, want sorted per-site series", len(bulk))
	}
	for _, b := range bulk {
		if len(b.Times) > 5 || b.Values["Wh_sum"].Len() != len(b.Times) {
			t.Fatalf("site %d: %d months", b.ID, len(b.Times))
		}
	}
}

func TestAlertsAgainstSimulator(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	alerts, err := a.Alerts(bg(), AlertsRequest{Kind: "partners", TZ: "US/Pacific", OpenDuringMin: "2026-05-20T00:00:00", OpenDuringMax: "2026-06-15T00:00:00"})
	if err != nil {
		t.Fatal(err)
	}
	for _, al := range alerts {
		if al.ID <= 0 || al.SiteID <= 0 || al.AlertType == "" || al.Start.IsZero() || al.Start.Location() != time.UTC {
			t.Fatalf("incomplete alert %+v", al)
		}
		if al.End != nil && al.End.Before(al.Start) {
			t.Fatalf("alert %d ends before it starts", al.ID)
		}
	}
	t.Logf("%d partner alerts", len(alerts))
}

// The partner openDuring limit is Locus's (planned by the engine, defined
// once in the planner): a longer window reaches Locus, whose 400 says why.
func TestPartnerAlertWindowLimitIsLocus(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	_, err := a.Alerts(bg(), AlertsRequest{Kind: "partners", TZ: "UTC", OpenDuringMin: "2025-01-01T00:00:00", OpenDuringMax: "2025-03-01T00:00:00"})
	if !IsKind(err, KindBadRequest) || !strings.Contains(err.Error(), "31 days") {
		t.Errorf("err = %v, want Locus's 400 naming the 31-day window", err)
	}
	if n := len(e.wire.v3()); n != 1 {
		t.Errorf("%d requests reached Locus, want 1", n)
	}
}
