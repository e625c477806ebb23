package locus

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// failedGrants counts the token requests the simulator refused.
func failedGrants(e *env) int {
	st := e.sim.Stats()
	return st.CountStatus(tokenRoute, http.StatusUnauthorized) + st.CountStatus(tokenRoute, http.StatusBadRequest)
}

func TestWrongPasswordMakesOneFailedLoginFor80ConcurrentCalls(t *testing.T) {
	e := newEnv(t, nil, nil)
	wrong := func(c *Config) { c.Password = "not-the-password" }
	apis := []*API{e.api(t, wrong), e.api(t, wrong)} // two instances of one account
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	errs := testkit.Concurrently(80, func(i int) error {
		_, err := apis[i%2].Site(bg(), sites[i%len(sites)].ID)
		return err
	})
	for _, err := range errs {
		if !IsKind(err, KindAuth) || !strings.Contains(err.Error(), "rejected the credentials") {
			t.Fatalf("a call with a wrong password answered %v, want the credentials refused", err)
		}
		if strings.Contains(err.Error(), "not-the-password") {
			t.Fatalf("the error reveals the password: %v", err)
		}
	}
	if n := failedGrants(e); n != 1 {
		t.Fatalf("failed grants at the simulator = %d, want exactly 1 for 80 concurrent calls", n)
	}
	if n := e.sim.Stats().API; n != 0 {
		t.Fatalf("%d /v3 requests were sent without a token", n)
	}

	// Later calls with the same credentials do not log in again...
	_, err := apis[0].Clients(bg())
	if !IsKind(err, KindAuth) || !strings.Contains(err.Error(), "until the settings change") {
		t.Fatalf("a later call answered %v, want the refusal and when a login is tried again", err)
	}
	if n := failedGrants(e); n != 1 {
		t.Fatalf("failed grants = %d after a later call, want still 1", n)
	}
	// ...until the back-off expires: then exactly one more attempt.
	e.clock.Advance(loginBackoffBase)
	for range 3 {
		if _, err := apis[1].Clients(bg()); !IsKind(err, KindAuth) {
			t.Fatalf("after the back-off: %v, want the credentials refused", err)
		}
	}
	if n := failedGrants(e); n != 2 {
		t.Fatalf("failed grants after the back-off = %d, want 2", n)
	}

	// A settings change (the right password) logs in at once.
	fixed := e.api(t, nil)
	if _, err := fixed.Clients(bg()); err != nil {
		t.Fatalf("with the right password: %v", err)
	}
	if n := e.sim.Stats().TokenGrants["password"]; n != 1 {
		t.Fatalf("password grants = %d, want 1 after the settings change", n)
	}
}
