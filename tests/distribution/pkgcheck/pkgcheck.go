// Package pkgcheck checks a plugin release archive offline, the way the
// Grafana plugin validator's archive, metadata, binary, manifest, logo,
// screenshot, license and readme analyzers do, so that the package is checked
// even where the validator itself cannot be installed or reach the network.
package pkgcheck

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Problem is one thing wrong with an archive: the check that found it and
// what to fix.
type Problem struct {
	Check   string
	Message string
}

// String formats a problem for a report line.
func (p Problem) String() string { return p.Check + ": " + p.Message }

// Options tune CheckArchive.
type Options struct {
	// Platforms are the required backend binaries' suffixes
	// (<executable>_<platform>); DefaultPlatforms when nil.
	Platforms []string
	// SourceDir, when set, is the plugin's source tree; the archive's
	// go_plugin_build_manifest must then list exactly its Go files with their
	// sha256 (files under node_modules excepted).
	SourceDir string
	// Checksum, when set, is the expected hex sha256 of the archive.
	Checksum string
}

// DefaultPlatforms are the platforms Grafana publishes backends for.
var DefaultPlatforms = []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64.exe"}

// metadata is the part of plugin.json the checks read.
type metadata struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Backend    bool   `json:"backend"`
	Executable string `json:"executable"`
	Info       struct {
		Version string `json:"version"`
		Updated string `json:"updated"`
		Logos   struct {
			Small string `json:"small"`
			Large string `json:"large"`
		} `json:"logos"`
		Screenshots []struct {
			Name string `json:"name"`
			Path string `json:"path"`
		} `json:"screenshots"`
	} `json:"info"`
	Includes []struct {
		Type string `json:"type"`
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"includes"`
}

// archive is an opened zip with its entries by path.
type archive struct {
	root    string
	entries map[string]*zip.File
	report  func(check, format string, args ...any)
}

var (
	semverRe   = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	dateRe     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	manifestRe = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// CheckArchive opens the zip at zipPath and returns every problem found. The
// error is for an archive that cannot be read at all.
func CheckArchive(zipPath string, opts Options) ([]Problem, error) {
	raw, err := os.ReadFile(zipPath)
	if err != nil {
		return nil, fmt.Errorf("read archive: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("%s is not a zip archive: %w", zipPath, err)
	}
	var problems []Problem
	report := func(check, format string, args ...any) {
		problems = append(problems, Problem{check, fmt.Sprintf(format, args...)})
	}
	if opts.Checksum != "" {
		sum := sha256.Sum256(raw)
		if got := hex.EncodeToString(sum[:]); !strings.EqualFold(got, opts.Checksum) {
			report("checksum", "archive sha256 is %s, the checksum file says %s", got, opts.Checksum)
		}
	}
	a := &archive{entries: map[string]*zip.File{}, report: report}
	if !a.index(zr) {
		return problems, nil
	}
	md, ok := a.metadata()
	if !ok {
		return problems, nil
	}
	a.checkName(zipPath, md)
	a.checkFrontend()
	a.checkPaths(md)
	a.checkDocs()
	if md.Backend {
		platforms := opts.Platforms
		if platforms == nil {
			platforms = DefaultPlatforms
		}
		a.checkBinaries(md, platforms)
		a.checkManifest(opts.SourceDir)
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Check < problems[j].Check })
	return problems, nil
}

// index records entries under the single root folder.
func (a *archive) index(zr *zip.Reader) bool {
	roots := map[string]bool{}
	for _, f := range zr.File {
		name := f.Name
		if strings.Contains(name, `\`) || strings.HasPrefix(name, "/") || strings.Contains("/"+name+"/", "/../") {
			a.report("archive", "entry %q has an unsafe path", name)
			continue
		}
		first, rest, nested := strings.Cut(name, "/")
		if !nested {
			a.report("archive", "%q lies at the archive root: everything belongs in one folder named after the plugin id", name)
			continue
		}
		roots[first] = true
		if rest == "" || strings.HasSuffix(rest, "/") {
			continue
		}
		a.entries[rest] = f
		for _, bad := range []string{"node_modules/", ".git/", "__MACOSX/"} {
			if strings.HasPrefix(rest, bad) || strings.Contains(rest, "/"+bad) {
				a.report("archive", "%s does not belong in a release", name)
			}
		}
	}
	switch len(roots) {
	case 0:
		a.report("archive", "the archive is empty")
		return false
	case 1:
		for r := range roots {
			a.root = r
		}
		return true
	default:
		names := make([]string, 0, len(roots))
		for r := range roots {
			names = append(names, r)
		}
		sort.Strings(names)
		a.report("archive", "the archive has %d top-level folders %v, want exactly one named after the plugin id", len(roots), names)
		return false
	}
}

func (a *archive) read(name string) ([]byte, bool) {
	f, ok := a.entries[name]
	if !ok {
		return nil, false
	}
	rc, err := f.Open()
	if err != nil {
		a.report("archive", "%s cannot be read: %v", name, err)
		return nil, false
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		a.report("archive", "%s cannot be read: %v", name, err)
		return nil, false
	}
	return b, true
}

func (a *archive) metadata() (metadata, bool) {
	var md metadata
	b, ok := a.read("plugin.json")
	if !ok {
		a.report("metadata", "plugin.json is missing from %s/", a.root)
		return md, false
	}
	if err := json.Unmarshal(b, &md); err != nil {
		a.report("metadata", "plugin.json is not valid JSON: %v", err)
		return md, false
	}
	if md.ID == "" || md.Type == "" {
		a.report("metadata", "plugin.json needs id and type")
	}
	if !semverRe.MatchString(md.Info.Version) {
		a.report("version", "info.version %q is not a semantic version (was %%VERSION%% filled in by the build?)", md.Info.Version)
	}
	if !dateRe.MatchString(md.Info.Updated) {
		a.report("version", "info.updated %q is not a YYYY-MM-DD date (was %%TODAY%% filled in by the build?)", md.Info.Updated)
	}
	return md, true
}

func (a *archive) checkName(zipPath string, md metadata) {
	if a.root != md.ID {
		a.report("archivename", "the archive's folder is %q, want the plugin id %q", a.root, md.ID)
	}
	want := md.ID + "-" + md.Info.Version + ".zip"
	if base := filepath.Base(zipPath); base != want && !strings.HasPrefix(base, md.ID+"-"+md.Info.Version+".") {
		a.report("archivename", "the archive is named %s, want %s", base, want)
	}
}

func (a *archive) checkFrontend() {
	if _, ok := a.entries["module.js"]; !ok {
		a.report("modulejs", "module.js is missing: build the frontend (npm run build)")
	}
	if _, ok := a.entries["module.js.map"]; !ok {
		a.report("jsMap", "module.js.map is missing: the catalogue reviews the frontend from its source map")
	}
}

func (a *archive) checkPaths(md metadata) {
	for _, logo := range []string{md.Info.Logos.Small, md.Info.Logos.Large} {
		if logo == "" {
			a.report("logos", "info.logos.small and info.logos.large are required")
			continue
		}
		b, ok := a.read(logo)
		if !ok {
			a.report("metadatapaths", "logo %s is not in the archive", logo)
			continue
		}
		if strings.HasSuffix(logo, ".svg") {
			lower := strings.ToLower(string(b))
			for _, unsafe := range []string{"<script", "javascript:", " on", "<foreignobject", "xlink:href=\"http"} {
				if unsafe == " on" {
					if regexp.MustCompile(`\son[a-z]+\s*=`).MatchString(lower) {
						a.report("unsafesvg", "%s has an event handler attribute", logo)
					}
					continue
				}
				if strings.Contains(lower, unsafe) {
					a.report("unsafesvg", "%s contains %q", logo, unsafe)
				}
			}
		}
	}
	if len(md.Info.Screenshots) == 0 {
		a.report("screenshots", "info.screenshots is empty: the catalogue shows them")
	}
	for _, s := range md.Info.Screenshots {
		b, ok := a.read(s.Path)
		if !ok {
			a.report("metadatapaths", "screenshot %s is not in the archive", s.Path)
			continue
		}
		if !isImage(b) {
			a.report("screenshots", "screenshot %s is not a PNG, JPEG, GIF, WebP or SVG image", s.Path)
		}
	}
	for _, inc := range md.Includes {
		if inc.Path == "" {
			continue
		}
		b, ok := a.read(inc.Path)
		if !ok {
			a.report("metadatapaths", "include %q (%s) is not in the archive", inc.Name, inc.Path)
			continue
		}
		if inc.Type == "dashboard" && !json.Valid(b) {
			a.report("includes", "dashboard %s is not valid JSON", inc.Path)
		}
	}
}

func isImage(b []byte) bool {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")), bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}),
		bytes.HasPrefix(b, []byte("GIF8")), len(b) > 12 && string(b[8:12]) == "WEBP":
		return true
	}
	return bytes.Contains(b[:min(len(b), 512)], []byte("<svg"))
}

func (a *archive) checkDocs() {
	readme, ok := a.read("README.md")
	switch {
	case !ok:
		a.report("readme", "README.md is missing: the catalogue shows it as the plugin's page")
	case len(bytes.TrimSpace(readme)) < 200:
		a.report("readme", "README.md has only %d bytes: document the plugin", len(bytes.TrimSpace(readme)))
	case bytes.Contains(readme, []byte("<!--")):
		a.report("readme", "README.md contains HTML comments, which the catalogue shows verbatim")
	}
	if log, ok := a.read("CHANGELOG.md"); !ok || len(bytes.TrimSpace(log)) == 0 {
		a.report("changelog", "CHANGELOG.md is missing or empty")
	}
	lic, ok := a.read("LICENSE")
	switch {
	case !ok:
		a.report("license", "LICENSE is missing")
	case bytes.Contains(lic, []byte("[yyyy]")) || bytes.Contains(lic, []byte("{yyyy}")) || bytes.Contains(lic, []byte("name of copyright owner")):
		a.report("license", "LICENSE still has the template's copyright placeholder")
	}
}

func (a *archive) checkBinaries(md metadata, platforms []string) {
	if md.Executable == "" {
		a.report("backendbinary", "backend is true but plugin.json has no executable")
		return
	}
	exe := path.Base(md.Executable)
	for _, p := range platforms {
		name := exe + "_" + p
		f, ok := a.entries[name]
		if !ok {
			a.report("backendbinary", "%s is missing: build every platform (mage buildAll)", name)
			continue
		}
		if f.Mode()&0o111 == 0 {
			a.report("binarypermissions", "%s is not executable in the archive (mode %v)", name, f.Mode())
		}
		b, _ := a.read(name)
		if !hasExecutableMagic(b, p) {
			a.report("backendbinary", "%s is not a %s executable", name, p)
		}
	}
	for name := range a.entries {
		if strings.HasPrefix(name, exe+"_") && !matchesPlatform(name, exe, platforms) {
			a.report("backendbinary", "%s is not one of the expected platforms %v", name, platforms)
		}
	}
}

func matchesPlatform(name, exe string, platforms []string) bool {
	for _, p := range platforms {
		if name == exe+"_"+p {
			return true
		}
	}
	return false
}

// hasExecutableMagic checks the binary format matches the platform's OS.
func hasExecutableMagic(b []byte, platform string) bool {
	switch {
	case strings.HasPrefix(platform, "linux"):
		return bytes.HasPrefix(b, []byte("\x7fELF"))
	case strings.HasPrefix(platform, "darwin"):
		return len(b) >= 4 && (bytes.Equal(b[:4], []byte{0xcf, 0xfa, 0xed, 0xfe}) || bytes.Equal(b[:4], []byte{0xce, 0xfa, 0xed, 0xfe}))
	case strings.HasPrefix(platform, "windows"):
		return bytes.HasPrefix(b, []byte("MZ"))
	}
	return len(b) > 0
}

// checkManifest parses go_plugin_build_manifest and, with a source tree,
// compares it with the tree's Go files.
func (a *archive) checkManifest(sourceDir string) {
	b, ok := a.read("go_plugin_build_manifest")
	if !ok {
		a.report("gomanifest", "go_plugin_build_manifest is missing: build with the SDK's mage targets")
		return
	}
	manifest := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		sum, file, ok := strings.Cut(line, ":")
		if !ok || !manifestRe.MatchString(sum) || file == "" || strings.Contains(file, ":") {
			a.report("gomanifest", "manifest line %q is not <sha256>:<path>", line)
			continue
		}
		manifest[strings.ReplaceAll(file, `\`, "/")] = sum
	}
	if len(manifest) == 0 {
		a.report("gomanifest", "go_plugin_build_manifest lists no Go file")
		return
	}
	if sourceDir == "" {
		return
	}
	// Collect the Go files first and read them after the walk (no file
	// access inside the walk callback).
	var goFiles []string
	err := filepath.WalkDir(sourceDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			goFiles = append(goFiles, p)
		}
		return nil
	})
	if err != nil {
		a.report("gomanifest", "cannot read the source tree %s: %v", sourceDir, err)
		return
	}
	seen := map[string]bool{}
	for _, p := range goFiles {
		rel, _ := filepath.Rel(sourceDir, p)
		rel = filepath.ToSlash(rel)
		seen[rel] = true
		want, ok := manifest[rel]
		if !ok {
			a.report("gomanifest", "%s is in the source but not in the manifest: rebuild the backend from this tree", rel)
			continue
		}
		content, err := os.ReadFile(p)
		if err != nil {
			a.report("gomanifest", "cannot read %s: %v", rel, err)
			continue
		}
		sum := sha256.Sum256(bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n")))
		if hex.EncodeToString(sum[:]) != want {
			a.report("gomanifest", "%s differs from the source the backend was built from: rebuild", rel)
		}
	}
	for file := range manifest {
		if !seen[file] {
			a.report("gomanifest", "%s is in the manifest but not in the source", file)
		}
	}
}
