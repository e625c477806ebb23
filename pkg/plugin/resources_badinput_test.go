package plugin

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestResourceBadRequests(t *testing.T) {
	d, sim := simDatasource(t)
	site := sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)[0]
	from, to := time.Now().Add(-time.Hour).UnixMilli(), time.Now().UnixMilli()
	cases := []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/sites?limit=-1", 400, "limit must be a whole number (0 = every match)"},
		{"GET", "/sites?limit=ten", 400, "limit"},
		{"GET", "/sites?clientId=abc", 400, "clientId must be a positive integer"},
		{"GET", "/sites?query=" + strings.Repeat("x", 300), 400, "query is too long"},
		{"GET", "/sites/abc", 400, "site id must be a positive integer"},
		{"GET", "/sites/-4", 400, "site id must be a positive integer"},
		{"GET", "/sites/0/components", 400, "site id must be a positive integer"},
		{"GET", "/components", 400, "siteId, nodeId or query is required"},
		{"GET", "/components?nodeId=%25&limit=-3", 400, "limit must be a whole number"},
		{"GET", "/components?siteId=1,x", 400, "siteId must be a positive integer id"},
		{"GET", "/components/abc", 400, "component id must be a positive integer"},
		{"GET", "/dataavailable?id=1", 400, "entityType is required"},
		{"GET", "/dataavailable?entityType=partner&id=1", 400, `entityType "partner" is not valid`},
		{"GET", "/dataavailable?entityType=site", 400, "id is required"},
		{"GET", "/dataavailable?entityType=site&id=1.5", 400, "id must be a positive integer"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&from=%d&to=%d", site.ID, from, to), 400, "fields is required"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d", site.ID, to, from), 400, "must be before to"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&to=%d", site.ID, to), 400, "from is required"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=x&to=%d", site.ID, to), 400, "from must be epoch milliseconds"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&maxDataPoints=0", site.ID, from, to), 400, "maxDataPoints must be an integer"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&intervalMs=-5", site.ID, from, to), 400, "intervalMs must be a number of milliseconds"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=%d&to=%d&intervalMs=NaN", site.ID, from, to), 400, "intervalMs"},
		{"GET", fmt.Sprintf("/plan?entityType=site&id=%d&fields=W_avg&from=-1&to=%d", site.ID, to), 400, "between 1970 and 2200"},
		{"GET", fmt.Sprintf("/plan?from=%d&to=%d&queries=%s", from, to, url.QueryEscape(`{"refId":"A"}`)), 400, "queries must be a JSON array"},
		{"GET", fmt.Sprintf("/plan?from=%d&to=%d&queries=%s", from, to, url.QueryEscape(`[]`)), 400, "queries lists 0 queries"},
		{"GET", fmt.Sprintf("/plan?from=%d&to=%d&queries=%s", from, to, url.QueryEscape(`[{"siteId":"1"}]`)), 400, "queries[0] must be a query model object with a refId"},
		{"GET", fmt.Sprintf("/plan?from=%d&to=%d&refId=B&queries=%s", from, to, url.QueryEscape(`[{"refId":"A","siteId":"1","fields":["W_avg"]}]`)), 400, `refId "B" names none of the queries`},
		{"GET", "/nope", 404, `no resource "/nope"`},
		{"GET", "/sites/1/2/3", 404, "valid resources are"},
		{"GET", "/../../etc/passwd", 404, ""},
		{"GET", "///}", 400, `the resource URL "///}" cannot be read: invalid character "}" in host name`},
		{"POST", "/sites", 405, "method POST is not allowed"},
		{"DELETE", "/clients", 405, "use GET"},
		{"PUT", "/sites/1", 405, "read-only"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			status, body, h := callResource(t, d, tc.method, tc.path)
			if status != tc.status {
				t.Errorf("status = %d, want %d (%s)", status, tc.status, errorText(body))
			}
			if msg := errorText(body); msg == "" || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q should contain %q", msg, tc.want)
			}
			if tc.status == 405 && h.Get("Allow") != "GET" {
				t.Errorf("405 without Allow: GET")
			}
		})
	}
}

func TestResourcesWithInvalidSettings(t *testing.T) {
	d, _ := newTestDatasource(t, backend.DataSourceInstanceSettings{JSONData: []byte(`{"partnerId":"abc"}`),
		DecryptedSecureJSONData: map[string]string{"clientSecret": "s3cret-pw"}})
	status, body, _ := callResource(t, d, "GET", "/sites")
	if status != 400 || !strings.Contains(errorText(body), "partnerId") {
		t.Fatalf("status %d, error %q: want 400 naming partnerId", status, errorText(body))
	}
}
