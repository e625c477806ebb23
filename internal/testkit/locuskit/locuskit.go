// Package locuskit builds Locus clients (pkg/locus) for tests.
package locuskit

import (
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// Config is a client config for the simulator's main account at baseURL,
// with a 10 s timeout, millisecond retries (tests never wait for backoff)
// and now as the clock (nil: the wall clock).
func Config(baseURL string, now func() time.Time) locus.Config {
	return locus.Config{
		BaseURL:        baseURL,
		PartnerID:      locussim.DefaultPartnerID,
		Username:       locussim.DefaultUsername,
		Password:       locussim.DefaultPassword,
		ClientID:       locussim.DefaultClientID,
		ClientSecret:   locussim.DefaultClientSecret,
		Timeout:        10 * time.Second,
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  5 * time.Millisecond,
		Now:            now,
	}
}

// NewAPI is a client built from Config (tune, if not nil, adjusts it),
// closed when the test ends.
func NewAPI(t testing.TB, baseURL string, now func() time.Time, tune func(*locus.Config)) *locus.API {
	t.Helper()
	cfg := Config(baseURL, now)
	if tune != nil {
		tune(&cfg)
	}
	api, err := locus.New(cfg)
	if err != nil {
		t.Fatalf("locus.New: %v", err)
	}
	t.Cleanup(api.Close)
	return api
}
