package pkgcheck

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goSource = "package main\n\nfunc main() {}\n"

// fixture is the content of a good release archive, entry -> (content, mode).
type fixture map[string]struct {
	body string
	mode os.FileMode
}

func goodFixture() fixture {
	sum := sha256.Sum256([]byte(goSource))
	f := fixture{
		"plugin.json": {`{"id":"acme-x-datasource","type":"datasource","backend":true,"executable":"gpx_x",
			"info":{"version":"1.2.3","updated":"2026-11-25","logos":{"small":"img/logo.svg","large":"img/logo.svg"},
			"screenshots":[{"name":"Editor","path":"img/shot.png"}]},
			"includes":[{"type":"dashboard","name":"Overview","path":"dashboards/overview.json"}]}`, 0o644},
		"module.js":                {"define([],function(){})", 0o644},
		"module.js.map":            {"{}", 0o644},
		"README.md":                {"# X\n\n" + strings.Repeat("A data source that does useful things. ", 10), 0o644},
		"CHANGELOG.md":             {"# Changelog\n\n## 1.2.3\n", 0o644},
		"LICENSE":                  {"Apache License\nCopyright 2026 Acme\n", 0o644},
		"img/logo.svg":             {`<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>`, 0o644},
		"img/shot.png":             {"\x89PNG\r\n\x1a\nrest", 0o644},
		"dashboards/overview.json": {`{"title":"Overview"}`, 0o644},
		"go_plugin_build_manifest": {hex.EncodeToString(sum[:]) + ":pkg/main.go\n", 0o755},
	}
	magic := map[string]string{"linux_amd64": "\x7fELF", "linux_arm64": "\x7fELF", "darwin_amd64": "\xcf\xfa\xed\xfe", "darwin_arm64": "\xcf\xfa\xed\xfe", "windows_amd64.exe": "MZ"}
	for p, m := range magic {
		f["gpx_x_"+p] = struct {
			body string
			mode os.FileMode
		}{m + "binary", 0o755}
	}
	return f
}

// write zips the fixture under root in dir and returns the archive path.
func (f fixture) write(t *testing.T, dir, name, root string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	out, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for entry, c := range f {
		h := &zip.FileHeader{Name: root + "/" + entry, Method: zip.Deflate}
		h.SetMode(c.mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(c.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

func sourceTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "pkg"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pkg", "main.go"), []byte(goSource), 0o644); err != nil {
		t.Fatal(err)
	}
	// Go files under node_modules are not the plugin's (the validator ignores them too).
	if err := os.MkdirAll(filepath.Join(dir, "node_modules", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "node_modules", "x", "x.go"), []byte("package x"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestGoodArchiveHasNoProblems(t *testing.T) {
	dir := t.TempDir()
	p := goodFixture().write(t, dir, "acme-x-datasource-1.2.3.zip", "acme-x-datasource")
	raw, _ := os.ReadFile(p)
	sum := sha256.Sum256(raw)
	problems, err := CheckArchive(p, Options{SourceDir: sourceTree(t), Checksum: hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range problems {
		t.Errorf("unexpected problem: %s", pr)
	}
}

func TestBrokenArchivesReportWhatIsWrong(t *testing.T) {
	cases := []struct {
		name      string
		mutate    func(f fixture)
		root, zip string
		source    func(t *testing.T, dir string)
		checksum  string
		want      string // check name and a fragment of the message
	}{
		{name: "wrong folder", root: "dist", want: "archivename: the archive's folder is \"dist\""},
		{name: "wrong file name", zip: "plugin.zip", want: "archivename: the archive is named plugin.zip"},
		{name: "placeholder version", mutate: func(f fixture) {
			f["plugin.json"] = struct {
				body string
				mode os.FileMode
			}{strings.Replace(f["plugin.json"].body, "1.2.3", "%VERSION%", 1), 0o644}
		}, want: "version: info.version \"%VERSION%\""},
		{name: "no source map", mutate: func(f fixture) { delete(f, "module.js.map") }, want: "jsMap: module.js.map is missing"},
		{name: "missing platform", mutate: func(f fixture) { delete(f, "gpx_x_darwin_arm64") }, want: "backendbinary: gpx_x_darwin_arm64 is missing"},
		{name: "not executable", mutate: func(f fixture) {
			f["gpx_x_linux_amd64"] = struct {
				body string
				mode os.FileMode
			}{f["gpx_x_linux_amd64"].body, 0o644}
		}, want: "binarypermissions: gpx_x_linux_amd64 is not executable"},
		{name: "wrong binary format", mutate: func(f fixture) {
			f["gpx_x_windows_amd64.exe"] = struct {
				body string
				mode os.FileMode
			}{"\x7fELF", 0o755}
		}, want: "backendbinary: gpx_x_windows_amd64.exe is not a windows_amd64.exe executable"},
		{name: "missing screenshot", mutate: func(f fixture) { delete(f, "img/shot.png") }, want: "metadatapaths: screenshot img/shot.png is not in the archive"},
		{name: "screenshot not an image", mutate: func(f fixture) {
			f["img/shot.png"] = struct {
				body string
				mode os.FileMode
			}{"hello", 0o644}
		}, want: "screenshots: screenshot img/shot.png is not a PNG"},
		{name: "unsafe logo", mutate: func(f fixture) {
			f["img/logo.svg"] = struct {
				body string
				mode os.FileMode
			}{`<svg onload="alert(1)"></svg>`, 0o644}
		}, want: "unsafesvg: img/logo.svg has an event handler"},
		{name: "missing dashboard", mutate: func(f fixture) { delete(f, "dashboards/overview.json") }, want: "metadatapaths: include \"Overview\""},
		{name: "template license", mutate: func(f fixture) {
			f["LICENSE"] = struct {
				body string
				mode os.FileMode
			}{"Copyright [yyyy] [name of copyright owner]", 0o644}
		}, want: "license: LICENSE still has the template's copyright placeholder"},
		{name: "readme comment", mutate: func(f fixture) {
			f["README.md"] = struct {
				body string
				mode os.FileMode
			}{f["README.md"].body + "<!-- todo -->", 0o644}
		}, want: "readme: README.md contains HTML comments"},
		{name: "no manifest", mutate: func(f fixture) { delete(f, "go_plugin_build_manifest") }, want: "gomanifest: go_plugin_build_manifest is missing"},
		{name: "source changed after build", source: func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "pkg", "main.go"), []byte(goSource+"// edited\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, want: "gomanifest: pkg/main.go differs from the source"},
		{name: "new source file", source: func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "pkg", "extra.go"), []byte("package main"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, want: "gomanifest: pkg/extra.go is in the source but not in the manifest"},
		{name: "stray root file", mutate: func(f fixture) {}, want: "archive: \"stray.txt\" lies at the archive root"},
		{name: "checksum mismatch", checksum: strings.Repeat("0", 64), want: "checksum: archive sha256 is"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := goodFixture()
			if c.mutate != nil {
				c.mutate(f)
			}
			root, name := "acme-x-datasource", "acme-x-datasource-1.2.3.zip"
			if c.root != "" {
				root = c.root
			}
			if c.zip != "" {
				name = c.zip
			}
			dir := t.TempDir()
			p := f.write(t, dir, name, root)
			if c.name == "stray root file" {
				p = appendRootFile(t, f, dir, name, root)
			}
			src := sourceTree(t)
			if c.source != nil {
				c.source(t, src)
			}
			problems, err := CheckArchive(p, Options{SourceDir: src, Checksum: c.checksum})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, pr := range problems {
				if strings.Contains(pr.String(), c.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("want a problem containing %q, got %v", c.want, problems)
			}
		})
	}
}

// appendRootFile writes the fixture plus a file outside the root folder.
func appendRootFile(t *testing.T, f fixture, dir, name, root string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	out, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for entry, c := range f {
		w, err := zw.Create(root + "/" + entry)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(c.body))
	}
	w, _ := zw.Create("stray.txt")
	_, _ = w.Write([]byte("x"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_ = out.Close()
	return p
}

func TestNotAZip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.zip")
	if err := os.WriteFile(p, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckArchive(p, Options{}); err == nil || !strings.Contains(err.Error(), "is not a zip archive") {
		t.Errorf("err = %v, want it to say the file is not a zip archive", err)
	}
}
