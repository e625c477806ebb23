package pluginhost

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestStartMissingBinary(t *testing.T) {
	_, err := Start("/nonexistent/gpx_locus_linux_amd64")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/gpx_locus_linux_amd64") {
		t.Fatalf("want an error naming the binary, got %v", err)
	}
}

func TestStartNotAPlugin(t *testing.T) {
	bin, err := exec.LookPath("true")
	if err != nil {
		t.Fatalf("no `true` binary on this machine: %v", err)
	}
	_, err = StartWithOptions(bin, Options{StartTimeout: 5 * time.Second})
	if err == nil {
		t.Fatal("a program that exits without the go-plugin handshake must fail to start")
	}
}
