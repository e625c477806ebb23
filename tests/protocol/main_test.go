// Package protocol tests the BUILT plugin binary exactly as Grafana runs it:
// TestMain compiles ./pkg to gpx_locus_<os>_<arch>, and every test starts it
// through hashicorp/go-plugin (handshake, then gRPC) via tests/pluginhost,
// against the simulator listening on 127.0.0.1 or in demo mode.
package protocol

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// binaryPath is the plugin executable TestMain built.
var binaryPath string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "gpx_locus_protocol")
	if err != nil {
		fmt.Fprintln(os.Stderr, "temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binaryPath = filepath.Join(dir, fmt.Sprintf("gpx_locus_%s_%s", runtime.GOOS, runtime.GOARCH))
	if runtime.GOOS == "windows" {
		binaryPath += ".exe"
	}
	// -w -s as the SDK's release build does (and it links faster).
	build := exec.Command("go", "build", "-ldflags", "-w -s", "-o", binaryPath, "./pkg")
	build.Dir = filepath.Join("..", "..")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build plugin binary:", err)
		return 1
	}
	return m.Run()
}
