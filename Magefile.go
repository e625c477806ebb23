//go:build mage

// Magefile builds the plugin's backend with the Grafana plugin SDK's build
// helpers. Run it without a global mage: go run github.com/magefile/mage -v buildAll
package main

import (
	"github.com/grafana/grafana-plugin-sdk-go/build"
	"github.com/magefile/mage/mg"
	"github.com/magefile/mage/sh"
)

// Default is what a bare `mage` runs.
var Default = BuildAll

// useRootPluginJSON points the SDK at our plugin.json: it looks in src/ by
// default, ours lives at the repository root (the frontend build copies it
// into dist/).
func useRootPluginJSON() error {
	return build.SetBeforeBuildCallback(func(cfg build.Config) (build.Config, error) {
		cfg.PluginJSONPath = "."
		cfg.OutputBinaryPath = "dist"
		return cfg, nil
	})
}

// BuildAll builds gpx_locus for every platform Grafana runs on
// (linux/amd64, linux/arm64, darwin/amd64, darwin/arm64, windows/amd64)
// into dist/, plus dist/go_plugin_build_manifest.
func BuildAll() error {
	if err := useRootPluginJSON(); err != nil {
		return err
	}
	b := build.Build{}
	mg.SerialDeps(b.Linux, b.LinuxARM64, b.Darwin, b.DarwinARM64, b.Windows, b.GenerateManifestFile)
	return nil
}

// BuildLinux builds gpx_locus for linux/amd64 and linux/arm64 (what the
// docker-compose Grafana runs on Intel and Apple-silicon hosts) plus the
// manifest: the quick build behind scripts/demo.sh.
func BuildLinux() error {
	if err := useRootPluginJSON(); err != nil {
		return err
	}
	b := build.Build{}
	mg.SerialDeps(b.Linux, b.LinuxARM64, b.GenerateManifestFile)
	return nil
}

// Backend builds gpx_locus for the current platform only (fast local loop).
func Backend() error {
	if err := useRootPluginJSON(); err != nil {
		return err
	}
	return build.Build{}.Backend()
}

// Manifest writes dist/go_plugin_build_manifest (sha256 of every Go source).
func Manifest() error {
	if err := useRootPluginJSON(); err != nil {
		return err
	}
	return build.Build{}.GenerateManifestFile()
}

// Test runs every Go test of the module.
func Test() error {
	return sh.RunV("go", "test", "./...")
}

// Clean removes dist/ and coverage/.
func Clean() error {
	return build.Clean()
}
