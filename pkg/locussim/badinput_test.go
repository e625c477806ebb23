package locussim

import (
	"fmt"
	"net/url"
	"testing"
)

// Every hostile parameter gets a 4xx JSON error, never a 5xx or a hang.
func TestHostileParametersNeverFailServerSide(t *testing.T) {
	h := newHarness(t, nil)
	site := h.siteWith(NodeInverter)
	inv := site.ComponentsOfType(NodeInverter)[0]
	values := []string{"", ",", ",,,", "%", "0", "-1", "99999999999999999999", "1e9", "NaN", "\x00", "US/Pacific\n", "../../etc/passwd",
		"0001-01-01T00:00:00", "9999-12-31T23:59:59", "2024-02-30T00:00:00", "2024-03-10T02:30:00", "Local", "latest", "W_avg,W_avg"}
	params := []string{"fields", "start", "end", "tz", "gran", "updatedSince", "openDuringMin", "openDuringMax", "alertType", "status", "priority", "nodeId", "notes"}
	paths := []string{
		fmt.Sprintf("/v3/components/%d/data", inv.ID),
		fmt.Sprintf("/v3/sites/%d/data", site.ID),
		"/v3/partners/4242/sites/data",
		"/v3/partners/4242/alerts",
		fmt.Sprintf("/v3/sites/%d/alerts", site.ID),
		"/v3/partners/4242/components",
	}
	base := url.Values{"fields": {"Wh_sum"}, "start": {"2024-01-01T00:00:00"}, "end": {"2024-01-02T00:00:00"}, "tz": {"UTC"}, "gran": {"hourly"}}
	n := 0
	for _, p := range paths {
		for _, param := range params {
			for _, v := range values {
				q := url.Values{}
				for k, vs := range base {
					q[k] = vs
				}
				q.Set(param, v)
				code, body := h.Get(p + "?" + q.Encode())
				n++
				if code >= 500 || code == 0 {
					t.Errorf("%s %s=%q: %d %s", p, param, v, code, body)
				}
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d cases", n)
	}
}
