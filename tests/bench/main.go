// Command bench measures the plugin's performance figures (issue 6) and
// prints one line per figure: name, value, target, PASS or FAIL. It exits
// non-zero on any FAIL and writes the figures as JSON to .cache/bench.json.
//
//	go run ./tests/bench          reduced size (CI, about 3 minutes at most)
//	go run ./tests/bench -full    full size
//
// Figures: upstream requests of a realistic dashboard against the minimal
// count, reload and concurrent viewers; dashboard wall time against the
// serial limit of one request in flight; engine overhead (Go benchmarks of
// decode + frames and of the planner); the wait of an alert-rule query and
// of a small panel under a 90-chunk backfill (priority lanes); resource
// latency over a 10,000-site fleet; upstream requests of the bundled
// dashboards on 10,000 sites, cold and reloaded (bundled.go); the fleet
// ranking's upstream requests and build time on it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// size is the amount of work of one bench run.
type size struct {
	// Full is true for -full.
	Full bool `json:"full"`
	// ColdLoads is how many cold loads the upstream count takes the worst of.
	ColdLoads int `json:"coldLoads"`
	// WallRuns is how many times the wall-time dashboard load is repeated.
	WallRuns int `json:"wallRuns"`
	// BenchTime is go test's -benchtime for the engine benchmarks.
	BenchTime string `json:"benchTime"`
	// BenchCount is go test's -count (the median is reported).
	BenchCount int `json:"benchCount"`
	// FleetSites is the fleet of the scale figures.
	FleetSites int `json:"fleetSites"`
	// ScaleSamples is how many timed resource calls each scale figure takes the median of.
	ScaleSamples int `json:"scaleSamples"`
}

var (
	reduced = size{ColdLoads: 3, WallRuns: 5, BenchTime: "5x", BenchCount: 9, FleetSites: 10000, ScaleSamples: 9}
	full    = size{Full: true, ColdLoads: 10, WallRuns: 9, BenchTime: "5x", BenchCount: 9, FleetSites: 10000, ScaleSamples: 31}
)

// report is what .cache/bench.json holds.
type report struct {
	Time    string   `json:"time"`
	Machine machine  `json:"machine"`
	Size    size     `json:"size"`
	Figures []figure `json:"figures"`
	Pass    bool     `json:"pass"`
}

// exitCode is set by run; main exits with it after deferred work.
var exitCode int

func main() {
	run()
	os.Exit(exitCode)
}

func run() {
	fullFlag := flag.Bool("full", false, "full size (more runs and samples) instead of the reduced CI size")
	out := flag.String("out", filepath.Join(".cache", "bench.json"), "where to write the figures as JSON")
	verbose := flag.Bool("v", false, "print the dashboard's minimal count and the requests made")
	only := flag.String("only", "", "comma list of figure groups to run: upstream, wall, lanes, engine, scale, replicas, bundled, ranking (default all)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	flag.Parse()
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(2)
		}
		defer stop()
	}
	// The instances log every upstream call at debug level; keep warnings.
	backend.Logger = log.NewWithLevel(log.Warn)
	sz := reduced
	if *fullFlag {
		sz = full
	}
	want := func(group string) bool {
		return *only == "" || strings.Contains(","+*only+",", ","+group+",")
	}
	m := describeMachine()
	fmt.Printf("machine: %d cores, %s, %s, load average %s; size: %s\n", m.Cores, m.CPU, m.Go, m.LoadAvg, map[bool]string{false: "reduced", true: "full"}[sz.Full])

	ctx := context.Background()
	var figs []figure
	measure := func(group string, f func() []figure) {
		if !want(group) {
			return
		}
		start := time.Now()
		got := f()
		printFigures(os.Stdout, got)
		fmt.Printf("  (%s figures took %.1f s)\n", group, time.Since(start).Seconds())
		figs = append(figs, got...)
	}
	// The engine's CPU figures come first, while this process has nothing
	// running in the background: the other groups' instances leave work
	// (metadata refreshes, warm-ups) that would share the cores with the
	// benchmark process.
	measure("engine", func() []figure { return engineFigures(sz) })
	measure("upstream", func() []figure { return upstreamFigures(ctx, sz, *verbose) })
	measure("wall", func() []figure { return wallFigures(ctx, sz) })
	measure("lanes", func() []figure { return laneFigures(ctx, sz) })
	measure("scale", func() []figure { return scaleFigures(ctx, sz) })
	measure("replicas", func() []figure { return replicaFigures(ctx, sz) })
	measure("bundled", func() []figure { return bundledFigures(ctx, sz) })
	measure("ranking", func() []figure { return rankingFigures(ctx, sz) })

	pass := true
	for _, f := range figs {
		pass = pass && f.Pass
	}
	fmt.Println()
	printFigures(os.Stdout, figs)
	rep := report{Time: time.Now().UTC().Format(time.RFC3339), Machine: m, Size: sz, Figures: figs, Pass: pass}
	if err := writeJSON(*out, rep); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		exitCode = 2
		return
	}
	fmt.Printf("figures written to %s\n", *out)
	for _, f := range figs {
		if !f.Pass && f.Note != "" {
			fmt.Printf("FAIL %s: %s\n", f.Name, f.Note)
		}
	}
	if !pass {
		exitCode = 1
	}
}

// writeJSON writes v as indented JSON, creating the directory.
func writeJSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("cannot create the directory of %s: %w", path, err)
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// machine describes where the figures were measured.
type machine struct {
	Cores int    `json:"cores"`
	CPU   string `json:"cpu"`
	Go    string `json:"go"`
	OS    string `json:"os"`
	// LoadAvg is /proc/loadavg's 1-minute load at the start: other work on
	// the machine inflates wall times (CPU-time figures are robust to it).
	LoadAvg string `json:"loadAvg,omitempty"`
}

func describeMachine() machine {
	m := machine{Cores: runtime.NumCPU(), CPU: "unknown CPU", Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			m.LoadAvg = f[0]
		}
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}
