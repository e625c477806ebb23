package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
)

// buildBackend compiles the plugin's main package the way the Magefile does
// for linux/amd64 (without the other platforms).
func buildBackend(root, binary string) error {
	log.Printf("no dist/gpx_locus_linux_amd64: building %s from ./pkg", binary)
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
