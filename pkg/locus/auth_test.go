package locus

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

const tokenRoute = "POST /oauth/token"

func TestTokenObtainedOnceForConcurrentCallers(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	sites := e.sim.Fleet().SitesOfPartner(locussim.DefaultPartnerID)
	testkit.NoErrors(t, testkit.Concurrently(len(sites), func(i int) error {
		_, err := a.Site(bg(), sites[i].ID)
		return err
	}))
	if got := e.sim.Stats().TokenGrants["password"]; got != 1 {
		t.Fatalf("password grants = %d, want 1 for %d concurrent callers", got, len(sites))
	}
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	e := newEnv(t, nil, nil) // token lifetime 1h
	a := e.api(t, nil)
	if _, err := a.Clients(bg()); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(55 * time.Minute) // past 90% of the lifetime, before expiry
	if _, err := a.Sites(bg()); err != nil {
		t.Fatal(err)
	}
	st := e.sim.Stats()
	if st.TokenGrants["password"] != 1 || st.TokenGrants["refresh_token"] != 1 {
		t.Fatalf("grants = %v, want one password grant then one refresh", st.TokenGrants)
	}
	if n := st.ByStatus[http.StatusUnauthorized]; n != 0 {
		t.Fatalf("%d requests met 401; the token should have been renewed ahead of expiry", n)
	}
}

func TestTokenExpiryMidRunReauthenticatesOnce(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, nil)
	if _, err := a.Clients(bg()); err != nil {
		t.Fatal(err)
	}
	e.sim.ExpireTokens() // the server forgets the token early
	sites, err := a.Sites(bg())
	if err != nil || len(sites) == 0 {
		t.Fatalf("Sites after server-side expiry: %d sites, %v", len(sites), err)
	}
	st := e.sim.Stats()
	if got := st.CountStatus("GET /v3/partners/{id}/sites", http.StatusUnauthorized); got != 1 {
		t.Fatalf("401s on sites = %d, want exactly 1 before the re-auth", got)
	}
	if st.TokenGrants["refresh_token"] != 1 {
		t.Fatalf("grants = %v, want the 401 to be answered by a refresh", st.TokenGrants)
	}
}

func TestRefreshFailureFallsBackToPasswordGrant(t *testing.T) {
	e := newEnv(t, nil, nil)
	logs := testkit.NewLogs()
	a := e.api(t, func(c *Config) { c.Logger = logs })
	if _, err := a.Clients(bg()); err != nil {
		t.Fatal(err)
	}
	e.sim.RevokeRefreshTokens()
	e.clock.Advance(58 * time.Minute)
	if _, err := a.Sites(bg()); err != nil {
		t.Fatalf("Sites after refresh revocation: %v", err)
	}
	st := e.sim.Stats()
	if st.TokenGrants["password"] != 2 || st.TokenGrants["refresh_token"] != 0 {
		t.Fatalf("grants = %v, want 2 password grants and no successful refresh", st.TokenGrants)
	}
	if got := st.CountStatus(tokenRoute, http.StatusUnauthorized); got != 1 {
		t.Fatalf("refused token requests = %d, want the one failed refresh", got)
	}
	if !strings.Contains(logs.String(), "falling back to the password grant") {
		t.Fatalf("the fallback was not logged:\n%s", logs.String())
	}
}

func TestClientCredentialsReauthenticatesOnExpiry(t *testing.T) {
	e := newEnv(t, nil, nil)
	a := e.api(t, func(c *Config) {
		c.AuthType = AuthClientCredentials
		c.Username, c.Password = "", ""
	})
	if _, err := a.Clients(bg()); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(61 * time.Minute)
	if _, err := a.Sites(bg()); err != nil {
		t.Fatal(err)
	}
	st := e.sim.Stats()
	if st.TokenGrants["client_credentials"] != 2 || st.TokenGrants["refresh_token"] != 0 || st.TokenGrants["password"] != 0 {
		t.Fatalf("grants = %v, want two client_credentials grants", st.TokenGrants)
	}
	for _, r := range e.wire.requests() {
		if r.Grant != "" && r.Grant != "client_credentials" {
			t.Fatalf("sent grant %q with client credentials auth", r.Grant)
		}
	}
}

func TestPersistent401IsRetriedExactlyOnce(t *testing.T) {
	var v3 int
	var mu sync.Mutex
	e := newEnv(t, nil, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v3/") {
				mu.Lock()
				v3++
				mu.Unlock()
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"message":"invalid access token","statusCode":401}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	a := e.api(t, nil)
	_, err := a.Sites(bg())
	if !IsKind(err, KindAuth) || !strings.Contains(err.Error(), "even after re-authenticating") {
		t.Fatalf("err = %v, want an auth error after one re-auth", err)
	}
	if v3 != 2 {
		t.Fatalf("/v3 attempts = %d, want 2 (one retry after re-auth)", v3)
	}
}

func TestBadCredentials(t *testing.T) {
	e := newEnv(t, nil, nil)
	cases := map[string]struct {
		mod  func(*Config)
		want string
	}{
		"password": {func(c *Config) { c.Password = "wrong-pass-123" },
			"Locus rejected the credentials (401): check client ID/secret and username/password"},
		"client secret": {func(c *Config) { c.ClientSecret = "wrong-secret-456" },
			"Locus rejected the credentials (401): check client ID/secret and username/password"},
		"client credentials": {func(c *Config) {
			c.AuthType, c.Username, c.Password, c.ClientSecret = AuthClientCredentials, "", "", "wrong-secret-789"
		}, "check client ID and client secret"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			a := e.api(t, c.mod)
			err := a.Authenticate(bg())
			if !IsKind(err, KindAuth) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			for _, secret := range []string{"wrong-pass-123", "wrong-secret-456", "wrong-secret-789"} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("error leaks a secret: %v", err)
				}
			}
		})
	}
	if got := e.sim.Stats().API; got != 0 {
		t.Fatalf("%d /v3 requests were made without a token", got)
	}
}

func TestTransientRenewalFailureKeepsTheValidToken(t *testing.T) {
	var failTokens atomic.Bool
	e := newEnv(t, nil, testkit.Answer(func(r *http.Request) bool { return r.URL.Path == tokenPath && failTokens.Load() },
		http.StatusServiceUnavailable, ""))
	a := e.api(t, func(c *Config) { c.MaxRetries = 1 })
	if _, err := a.Clients(bg()); err != nil {
		t.Fatal(err)
	}
	failTokens.Store(true)
	e.clock.Advance(56 * time.Minute) // renewal due, token still valid for 4 minutes
	if _, err := a.Sites(bg()); err != nil {
		t.Fatalf("a transient token-endpoint outage failed a call while the token was valid: %v", err)
	}
	grants := func() int {
		n := 0
		for _, r := range e.wire.requests() {
			if r.Grant != "" {
				n++
			}
		}
		return n
	}
	before := grants()
	if before < 3 { // the first grant, then a refresh and a password attempt, each failing
		t.Fatalf("%d token requests; the renewal was not attempted", before)
	}
	if _, err := a.Site(bg(), e.site(t, 0).ID); err != nil {
		t.Fatal(err)
	}
	if grants() != before {
		t.Fatal("renewal was retried on the very next call instead of being spaced out")
	}
	e.clock.Advance(5 * time.Minute) // now expired and the token endpoint still down
	if _, err := a.Components(bg(), e.site(t, 0).ID); !IsKind(err, KindServer) {
		t.Fatalf("after expiry with the token endpoint down: err = %v, want a server error", err)
	}
	failTokens.Store(false)
	if _, err := a.Components(bg(), e.site(t, 0).ID); err != nil {
		t.Fatalf("after the token endpoint recovered: %v", err)
	}
}

func TestTokenEndpointThatIsNotLocus(t *testing.T) {
	e := newEnv(t, nil, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("<html>welcome</html>"))
		})
	})
	a := e.api(t, nil)
	if err := a.Authenticate(bg()); !IsKind(err, KindConfig) || !strings.Contains(err.Error(), "check that the base URL points at the Locus API") {
		t.Fatalf("err = %v, want a settings error about the base URL", err)
	}
}
