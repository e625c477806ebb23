package distribution

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/frames"
)

// readmeSection returns the text of README.md's "## <title>" section.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	text := string(readFile(t, "README.md"))
	_, after, ok := strings.Cut(text, "\n## "+title+"\n")
	if !ok {
		t.Fatalf("README.md has no '## %s' section", title)
	}
	if i := strings.Index(after, "\n## "); i >= 0 {
		after = after[:i]
	}
	return after
}

// pluginStrings returns every string literal of the plugin's Go sources
// (pkg/, without tests and without the simulator, whose texts are Locus',
// not the plugin's), unquoted: the texts the plugin can put in a message.
func pluginStrings(t *testing.T) []string {
	t.Helper()
	var out []string
	root := repoPath(t, "pkg")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "locussim" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(repoPath(t, ""), path)
		src := readFile(t, filepath.ToSlash(rel))
		fset := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
		for {
			_, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok == token.STRING {
				if v, err := strconv.Unquote(lit); err == nil {
					out = append(out, v)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk pkg/: %v", err)
	}
	return out
}

// messagePattern turns a README message, where {…} stands for what the
// plugin fills in, into a pattern over Go format strings: each {…} matches
// one or more fmt verbs (%d, %s, %q, ...; "%s %s" for "{field}").
func messagePattern(msg string) *regexp.Regexp {
	verb := `%[-+# 0-9.]*[a-zA-Z]`
	placeholder := regexp.MustCompile(`\{[^{}]+\}`)
	var b strings.Builder
	last := 0
	for _, loc := range placeholder.FindAllStringIndex(msg, -1) {
		b.WriteString(regexp.QuoteMeta(msg[last:loc[0]]))
		b.WriteString(verb + `(?: ` + verb + `)*`)
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(msg[last:]))
	return regexp.MustCompile(b.String())
}

// TestReadmeTroubleshootingQuotesRealMessages checks that every message the
// README's Troubleshooting table quotes (in *italics*) is a text the plugin's
// Go code can produce: a string literal (a format string, placeholders for
// its verbs) contains it.
func TestReadmeTroubleshootingQuotesRealMessages(t *testing.T) {
	section := readmeSection(t, "Troubleshooting")
	literals := pluginStrings(t)
	quoted := regexp.MustCompile(`\*([^*|]+)\*`)
	var messages []string
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			continue
		}
		for _, m := range quoted.FindAllStringSubmatch(cells[1], -1) {
			messages = append(messages, m[1])
		}
	}
	// The table quotes the 401, 403, 404, network, 429, field, granularity
	// and range messages: finding fewer means the table was not read.
	if len(messages) < 12 {
		t.Fatalf("found %d quoted messages in README's Troubleshooting, want at least 12: %q", len(messages), messages)
	}
	for _, msg := range messages {
		pat := messagePattern(msg)
		if !slices.ContainsFunc(literals, pat.MatchString) {
			t.Errorf("README quotes %q, which no string in pkg/ produces (pattern %s)", msg, pat)
		}
	}
}

// TestReadmeAlertsColumns checks that the columns the README lists for the
// Alerts query type are the alert frame's fields, in order.
func TestReadmeAlertsColumns(t *testing.T) {
	section := readmeSection(t, "Queries")
	var row string
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| **Alerts**") {
			row = line
		}
	}
	if row == "" {
		t.Fatal("README's Queries table has no **Alerts** row")
	}
	cells := strings.Split(row, "|")
	var got []string
	for _, m := range regexp.MustCompile("`([A-Za-z]+)`").FindAllStringSubmatch(cells[2], -1) {
		got = append(got, m[1])
	}
	frame := frames.AlertsFrame(nil, time.Now())
	var want []string
	for _, f := range frame.Fields {
		want = append(want, f.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("README's Alerts columns %v, the plugin's alert frame has %v", got, want)
	}
}
