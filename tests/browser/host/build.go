package main

import (
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// pluginBinary returns the backend binary to start: dist/gpx_locus_linux_amd64
// when it is at least as new as every Go source of the plugin, otherwise one
// built now from ./pkg next to the other test artifacts, so the browser check
// never runs a stale backend.
func pluginBinary(root string) (string, error) {
	dist := filepath.Join(root, "dist", "gpx_locus_linux_amd64")
	if info, err := os.Stat(dist); err == nil {
		newest, err := newestSource(root)
		if err != nil {
			return "", err
		}
		if !newest.After(info.ModTime()) {
			return dist, nil
		}
		log.Printf("dist/gpx_locus_linux_amd64 is older than the Go sources: building a fresh one")
	}
	out := filepath.Join(root, "tests", ".artifacts", "browser", "gpx_locus_linux_amd64")
	return out, buildBackend(root, out)
}

// newestSource is the latest modification time of go.mod, go.sum and the
// non-test Go files under pkg/.
func newestSource(root string) (time.Time, error) {
	var newest time.Time
	note := func(path string) error {
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		if info.ModTime().After(newest) {
			newest = info.ModTime()
		}
		return nil
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := note(filepath.Join(root, f)); err != nil {
			return newest, err
		}
	}
	err := filepath.WalkDir(filepath.Join(root, "pkg"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		return note(path)
	})
	return newest, err
}

// buildBackend compiles the plugin's main package for this machine, as the
// Magefile does for linux/amd64.
func buildBackend(root, binary string) error {
	log.Printf("building %s from ./pkg", binary)
	if err := os.MkdirAll(filepath.Dir(binary), 0o755); err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-o", binary, "./pkg")
	cmd.Dir = root
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./pkg: %w", err)
	}
	return nil
}
