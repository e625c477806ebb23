// Command locus-sim serves the Locus Energy v3 API simulator over HTTP:
//
//	go run ./cmd/locus-sim -addr 127.0.0.1:8090
//
// It prints the base URL and the demo credentials, then serves until
// interrupted. See pkg/locussim/README.md for the flags and the fleet.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "locus-sim:", err)
		stop()
		os.Exit(2)
	}
}

// parseFlags turns command-line flags into the address and a validated Config.
func parseFlags(args []string, errOut io.Writer) (string, locussim.Config, error) {
	cfg := locussim.DefaultConfig()
	fs := flag.NewFlagSet("locus-sim", flag.ContinueOnError)
	fs.SetOutput(errOut)
	addr := fs.String("addr", "127.0.0.1:8090", "listen address (host:port)")
	fs.StringVar(&cfg.ClientID, "client-id", cfg.ClientID, "API client_id")
	fs.StringVar(&cfg.ClientSecret, "client-secret", cfg.ClientSecret, "API client_secret")
	fs.StringVar(&cfg.Username, "username", cfg.Username, "SolarNOC username of the main account")
	fs.StringVar(&cfg.Password, "password", cfg.Password, "SolarNOC password of the main account")
	fs.Int64Var(&cfg.PartnerID, "partner", cfg.PartnerID, "partner ID of the main account")
	fs.DurationVar(&cfg.TokenTTL, "token-ttl", cfg.TokenTTL, "access token lifetime (Go duration)")
	fs.IntVar(&cfg.Concurrency, "concurrency", cfg.Concurrency, "requests in flight per account (negative: unlimited)")
	fs.IntVar(&cfg.Sites, "sites", cfg.Sites, fmt.Sprintf("fleet size of the main partner (1..%d)", locussim.MaxSites))
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the generated fleet and data")
	fs.DurationVar(&cfg.Latency, "latency", 0, "the least time every request takes, building the response included (Go duration)")
	fs.DurationVar(&cfg.LatencyJitter, "latency-jitter", 0, "extra random latency of up to this (Go duration)")
	fs.Float64Var(&cfg.Faults.Rate429, "rate-429", 0, "share of /v3 requests answered 429 (0..1)")
	fs.Float64Var(&cfg.Faults.Rate5xx, "rate-5xx", 0, "share of /v3 requests answered 5xx (0..1)")
	fs.Float64Var(&cfg.Faults.RateTruncate, "rate-truncate", 0, "share of bodies cut mid-JSON (0..1)")
	fs.Float64Var(&cfg.Faults.RateMalformed, "rate-malformed", 0, "share of bodies made invalid JSON (0..1)")
	fs.Float64Var(&cfg.Faults.RateMissingKey, "rate-missing-key", 0, "share of 200s lacking their envelope key (0..1)")
	fs.Float64Var(&cfg.Faults.RateReset, "rate-reset", 0, "share of connections reset without a response (0..1)")
	fs.DurationVar(&cfg.Faults.StallMidBody, "stall-mid-body", 0, "stall every body halfway for this long (Go duration)")
	fs.IntVar(&cfg.Faults.OversizeBytes, "oversize-bytes", 0, "pad every JSON body to at least this many bytes")
	fs.StringVar(&cfg.Faults.TSOffset, "ts-offset", "zone", "how data rows write ts: zone (as the API), none (no offset), utc (UTC instants with +00:00)")
	if err := fs.Parse(args); err != nil {
		return "", cfg, err
	}
	if fs.NArg() > 0 {
		return "", cfg, fmt.Errorf("unexpected arguments %q: all settings are flags (see -h)", fs.Args())
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return "", cfg, fmt.Errorf("-addr %q is not host:port, e.g. 127.0.0.1:8090", *addr)
	}
	if cfg.Sites == 0 {
		return "", cfg, fmt.Errorf("-sites must be between 1 and %d", locussim.MaxSites)
	}
	if err := cfg.Validate(); err != nil {
		return "", cfg, err
	}
	return *addr, cfg, nil
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	addr, cfg, err := parseFlags(args, errOut)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	sim := locussim.New(cfg)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "Locus API simulator listening on %s\n", base)
	fmt.Fprintf(out, "  token URL:     %s/oauth/token\n", base)
	fmt.Fprintf(out, "  API base URL:  %s/v3\n", base)
	fmt.Fprintf(out, "  client_id:     %s\n  client_secret: %s\n", cfg.ClientID, cfg.ClientSecret)
	fmt.Fprintf(out, "  username:      %s\n  password:      %s\n", cfg.Username, cfg.Password)
	fmt.Fprintf(out, "  partner ID:    %d (%d sites; partner %d exists too, for 403s)\n", cfg.PartnerID, cfg.Sites, sim.Fleet().Partners[1].ID)
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
