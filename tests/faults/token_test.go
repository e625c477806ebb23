package faults

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// expireAfter makes the simulator expire every access token (and, if
// revoke, every refresh token) once, when the n-th /v3 request arrives: the
// middle of a dashboard load.
func expireAfter(o *origin, n int64, revoke bool) {
	var seen atomic.Int64
	o.wire.setOnRequest(func(*http.Request) {
		if seen.Add(1) == n {
			if revoke {
				o.sim.RevokeRefreshTokens()
			}
			o.sim.ExpireTokens()
			figures.faults.Add(1)
		}
	})
}

func TestTokenExpiresMidDashboardRefreshValid(t *testing.T) {
	scenario(t)
	o := newOrigin(t, nil)
	expireAfter(o, 4, false)
	d := newHost(t, settingsFor(o, nil, nil), nil)
	got := runDashboard(t, o, d)
	assertDashboard(t, o, got)
	st := o.sim.Stats()
	if st.TokenGrants["refresh_token"] < 1 {
		t.Errorf("token grants %v: the expired token was not renewed with the refresh token", st.TokenGrants)
	}
	if st.TokenGrants["password"] != 1 {
		t.Errorf("token grants %v: want exactly one password grant (the first login) when the refresh token is valid", st.TokenGrants)
	}
	if st.ByStatus[http.StatusUnauthorized] < 1 {
		t.Errorf("no request met the expired token (statuses %v): the scenario did not expire mid-dashboard", st.ByStatus)
	}
}

func TestTokenExpiresMidDashboardRefreshRevoked(t *testing.T) {
	scenario(t)
	o := newOrigin(t, nil)
	expireAfter(o, 4, true)
	d := newHost(t, settingsFor(o, nil, nil), nil)
	got := runDashboard(t, o, d)
	assertDashboard(t, o, got)
	st := o.sim.Stats()
	if n := st.CountStatus("POST /oauth/token", http.StatusUnauthorized); n < 1 {
		t.Errorf("the revoked refresh token was never tried (token statuses %v)", st.ByEndpointStatus["POST /oauth/token"])
	}
	if st.TokenGrants["password"] < 2 {
		t.Errorf("token grants %v: want the password grant as the fallback after the refresh failed", st.TokenGrants)
	}
}

// A wall-screen dashboard whose token lives 2 seconds, refreshed again and
// again by one instance with its caches off (every refresh goes to Locus):
// the client renews the token ahead of expiry; no panel fails.
func TestShortLivedTokensOnAWallScreen(t *testing.T) {
	scenario(t)
	o := newOrigin(t, func(c *locussim.Config) {
		c.TokenTTL = 2 * time.Second
		c.Latency = 10 * time.Millisecond
	})
	d := newHost(t, settingsFor(o, nil, nil), func(c *locus.Config) {
		fastRetries(4)(c)
		c.MetadataTTL, c.PastDataTTL, c.RecentDataTTL = -1, -1, -1
	})
	deadline := time.Now().Add(2500 * time.Millisecond)
	for refreshes := 0; refreshes < 2 || time.Now().Before(deadline); refreshes++ {
		assertDashboard(t, o, runDashboard(t, o, d))
	}
	if st := o.sim.Stats(); st.TokenGrants["refresh_token"] < 1 {
		t.Errorf("token grants %v: a token living 2 s was never renewed over %s of refreshes", st.TokenGrants, 2500*time.Millisecond)
	}
}
