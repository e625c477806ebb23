// Command checkpackage checks a release archive offline (see package
// pkgcheck): go run ./tests/distribution/checkpackage [-source DIR] ARCHIVE.zip
// It reads ARCHIVE.zip.sha256 when present, prints one line per problem and
// exits 1 when there is any.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/sunfleet/locus-datasource/tests/distribution/pkgcheck"
)

func main() {
	source := flag.String("source", "", "source tree the backend was built from; its Go files must match go_plugin_build_manifest")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: checkpackage [-source DIR] ARCHIVE.zip")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	zipPath := flag.Arg(0)
	opts := pkgcheck.Options{SourceDir: *source}
	if b, err := os.ReadFile(zipPath + ".sha256"); err == nil {
		fields := strings.Fields(string(b))
		if len(fields) == 0 {
			fmt.Fprintf(os.Stderr, "checkpackage: %s.sha256 is empty\n", zipPath)
			os.Exit(1)
		}
		opts.Checksum = fields[0]
	}
	problems, err := pkgcheck.CheckArchive(zipPath, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "checkpackage:", err)
		os.Exit(1)
	}
	for _, p := range problems {
		fmt.Println("PROBLEM", p)
	}
	fmt.Printf("checkpackage: %s: %d problem(s)\n", zipPath, len(problems))
	if len(problems) > 0 {
		os.Exit(1)
	}
}
