// Command host is the browser tests' stand-in for a Grafana server: it runs
// the BUILT plugin binary over the plugin gRPC protocol, the Locus simulator
// behind it, and serves a page that loads the BUILT dist/module.js the way
// Grafana loads plugins, answering the Grafana API routes the frontend uses.
//
// Test tooling only; never shipped. Usage (from the repository root):
//
//	go run ./tests/browser/host -addr 127.0.0.1:0
//
// It prints one JSON line {"url":...,"uid":...} on stdout once it serves.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sunfleet/locus-datasource/tests/pluginhost"
)

// options are the host's command-line flags.
type options struct {
	addr     string
	root     string
	binary   string
	shellDir string
	uid      string
	sites    int
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:0", "listen address (loopback only)")
	flag.StringVar(&o.root, "root", "", "repository root (default: found from the working directory)")
	flag.StringVar(&o.binary, "binary", "", "built backend binary (default: dist/gpx_locus_linux_amd64 unless older than the Go sources, else one built from ./pkg)")
	flag.StringVar(&o.shellDir, "shell", "", "built grafana shell bundle (default <root>/tests/.artifacts/browser/12.4/shell, see tests/browser/runtimes.mjs)")
	flag.StringVar(&o.uid, "uid", "locus-browser-test", "data source uid")
	flag.IntVar(&o.sites, "sites", 40, "simulated fleet size")
	flag.Parse()
	return o
}

func main() {
	log.SetFlags(log.Ltime | log.Lmicroseconds)
	log.SetPrefix("host: ")
	if err := run(parseFlags()); err != nil {
		log.Printf("error: %v", err)
		os.Exit(1)
	}
}

func run(o options) error {
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		return fmt.Errorf("-addr %q must be a loopback address such as 127.0.0.1:0", o.addr)
	}
	if err := o.resolve(); err != nil {
		return err
	}
	distDir := filepath.Join(o.root, "dist")
	meta, pluginID, err := loadPluginMeta(distDir)
	if err != nil {
		return err
	}
	sim, err := startSimulator(o.sites)
	if err != nil {
		return fmt.Errorf("start simulator: %w", err)
	}
	defer sim.stop()
	plugin, err := pluginhost.Start(o.binary)
	if err != nil {
		return fmt.Errorf("start plugin binary %s: %w", o.binary, err)
	}
	defer plugin.Close()

	api := &grafanaAPI{plugin: plugin, settings: newSettingsStore(pluginID, o.uid, "Locus Energy"), pluginID: pluginID, meta: meta}
	mux := http.NewServeMux()
	api.routes(mux)
	sim.routes(mux)
	mux.HandleFunc("GET /api/test/plugin-logs", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(plugin.Logs()))
	})
	staticRoutes(mux, pluginID, distDir, o.shellDir, filepath.Join(o.root, "tests", "browser", "page"),
		filepath.Join(o.root, "node_modules", "@grafana", "ui", "dist", "public", "img"))

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: logRequests(mux), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	ready, _ := json.Marshal(map[string]string{"url": "http://" + ln.Addr().String(), "uid": o.uid, "pluginId": pluginID})
	fmt.Println(string(ready))

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-sigc:
		log.Printf("%s: shutting down", s)
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

// resolve fills defaulted paths.
func (o *options) resolve() error {
	if o.root == "" {
		root, err := findRoot()
		if err != nil {
			return err
		}
		o.root = root
	}
	if o.binary == "" {
		binary, err := pluginBinary(o.root)
		if err != nil {
			return err
		}
		o.binary = binary
	}
	if o.shellDir == "" {
		o.shellDir = filepath.Join(o.root, "tests", ".artifacts", "browser", "12.4", "shell")
	}
	if _, err := os.Stat(filepath.Join(o.shellDir, "shell.js")); err != nil {
		return fmt.Errorf("grafana shell bundle missing in %s (build it with tests/browser/build-shell.mjs): %w", o.shellDir, err)
	}
	return nil
}

// findRoot walks up from the working directory to the go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory; pass -root")
		}
		dir = parent
	}
}

// logRequests logs each API call with its status, for the host log the
// runner keeps next to the screenshots.
func logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		if strings.HasPrefix(r.URL.Path, "/api/") {
			log.Printf("%s %s -> %d (%s)", r.Method, r.URL.RequestURI(), rec.status, time.Since(start).Round(time.Millisecond))
		}
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
