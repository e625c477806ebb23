package faults

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/plugin"
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

// A wall-screen dashboard refreshed for hours by one instance with its
// caches off (every refresh goes to Locus). The clock of the simulator and of
// the plugin jumps 55 minutes between refreshes, past the point where the
// client renews its 1-hour token: it renews ahead of expiry with the refresh
// token, Locus never sees an expired token, and every refresh is right.
func TestWallScreenRenewsTokensAheadOfExpiry(t *testing.T) {
	scenario(t)
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	o := newOrigin(t, func(c *locussim.Config) {
		c.TokenTTL = time.Hour
		c.Now = now
	})
	d := plugin.NewDatasourceWithOptions(settingsFor(o, nil, nil), plugin.Options{Now: now, Tune: func(c *locus.Config) {
		fastRetries(4)(c)
		c.MetadataTTL, c.PastDataTTL, c.RecentDataTTL = -1, -1, -1
	}})
	t.Cleanup(d.Dispose)
	const refreshes = 4
	for i := range refreshes {
		if i > 0 {
			offset.Add(int64(55 * time.Minute))
		}
		assertDashboard(t, o, runDashboard(t, o, d))
	}
	st := o.sim.Stats()
	if st.TokenGrants["refresh_token"] != refreshes-1 || st.TokenGrants["password"] != 1 {
		t.Errorf("token grants %v over %d refreshes 55 minutes apart: want 1 password grant and %d refresh grants", st.TokenGrants, refreshes, refreshes-1)
	}
	if n := st.ByStatus[http.StatusUnauthorized]; n != 0 {
		t.Errorf("Locus refused %d requests with 401: a token was used past its lifetime", n)
	}
}
