#!/usr/bin/env bash
# Checks the release archive: first the offline package checks
# (tests/distribution/checkpackage: structure, metadata, binaries, manifest
# against this tree, logos, screenshots, docs, checksum), then Grafana's
# plugin validator (plugincheck2, Go module github.com/grafana/plugin-validator)
# with the repo as the source code (file://), as the plugin catalogue would.
#
#   bash scripts/validate.sh [archive.zip]   default: artifacts/<id>-<version>.zip
#
# The validator is taken from $PLUGINCHECK2, else .cache/bin/plugincheck2,
# else PATH, else installed with `go install` into .cache/bin (not global).
# Analyzers that need the internet (schema download, grafana.com and GitHub
# APIs, link checks, vulnerability databases, LLM review) cannot pass here;
# their findings are listed as "offline" and do not fail this script.
# Set VALIDATOR_REQUIRED=1 to fail when the validator cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

validator_module=github.com/grafana/plugin-validator/pkg/cmd/plugincheck2
validator_version=${PLUGIN_VALIDATOR_VERSION:-v0.45.6}
plugin_id=$(node -p "require('./plugin.json').id")
version=$(node -p "require('./package.json').version")
archive=${1:-artifacts/${plugin_id}-${version}.zip}

if [ ! -f "$archive" ]; then
  echo "validate.sh: $archive not found: run 'npm run package' first" >&2
  exit 1
fi

echo "== package checks (offline, tests/distribution/pkgcheck)"
go run ./tests/distribution/checkpackage -source "$root" "$archive"

find_validator() {
  if [ -n "${PLUGINCHECK2:-}" ] && [ -x "$PLUGINCHECK2" ]; then echo "$PLUGINCHECK2"; return 0; fi
  if [ -x "$root/.cache/bin/plugincheck2" ]; then echo "$root/.cache/bin/plugincheck2"; return 0; fi
  command -v plugincheck2 2> /dev/null && return 0
  return 1
}

mkdir -p "$root/.cache/bin"
if ! validator=$(find_validator); then
  echo "== installing $validator_module@$validator_version into .cache/bin"
  if ! GOBIN="$root/.cache/bin" GOFLAGS=-mod=mod go install "$validator_module@$validator_version" > "$root/.cache/validator-install.log" 2>&1; then
    echo "validate.sh: could not install the plugin validator:" >&2
    tail -3 "$root/.cache/validator-install.log" | sed 's/^/  /' >&2
    echo "  (the Go module proxy reachable from here does not serve github.com/grafana/plugin-validator;" >&2
    echo "   set PLUGINCHECK2=/path/to/an/installed/plugincheck2, see docs/development.md, Packaging and validation)" >&2
    echo "  The offline package checks above passed." >&2
    [ "${VALIDATOR_REQUIRED:-0}" = 1 ] && exit 1
    exit 0
  fi
  validator="$root/.cache/bin/plugincheck2"
fi

# The validator runs gosec and govulncheck when they are on PATH; both are
# served by the Go module proxy, so install them locally.
export PATH="$root/.cache/bin:$PATH"
for tool in github.com/securego/gosec/v2/cmd/gosec@v2.30.0 golang.org/x/vuln/cmd/govulncheck@v1.9.0; do
  name=$(basename "${tool%@*}")
  if ! command -v "$name" > /dev/null 2>&1; then
    echo "== installing $name into .cache/bin"
    GOBIN="$root/.cache/bin" GOFLAGS=-mod=mod go install "$tool" > /dev/null 2>&1 || echo "   ($name could not be installed; the validator skips it)"
  fi
done

# Analyzers whose findings here come from the network being unreachable, not
# from the plugin (docs/development.md, Packaging and validation, explains each one).
offline_analyzers='^(metadatavalid|brokenlinks|org|published|osv-scanner|govulncheck|llmreview|codediff|provenance|sdkusage|virusscan)$'

echo "== plugincheck2 $archive"
report="$root/.cache/validator-report.json"
set +e
"$validator" -jsonOutput -sourceCodeUri "file://$root" "$archive" > "$report" 2> "$root/.cache/validator-stderr.log"
rc=$?
set -e
if ! node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$report" 2> /dev/null; then
  echo "validate.sh: the validator did not produce a JSON report (exit $rc):" >&2
  tail -20 "$root/.cache/validator-stderr.log" >&2
  exit 1
fi

OFFLINE="$offline_analyzers" node - "$report" << 'JS'
const fs = require('fs');
const report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const offline = new RegExp(process.env.OFFLINE);
const blocking = [];
const tolerated = [];
for (const [analyzer, results] of Object.entries(report['plugin-validator'] || {})) {
  for (const r of results || []) {
    if (r.Severity === 'ok') continue;
    const line = `${r.Severity.padEnd(14)} ${analyzer}: ${r.Title}${r.Detail ? ' (' + r.Detail.slice(0, 160) + ')' : ''}`;
    (offline.test(analyzer) ? tolerated : blocking).push({ severity: r.Severity, line });
  }
}
for (const t of tolerated) console.log(`offline  ${t.line}`);
for (const b of blocking) console.log(`FINDING  ${b.line}`);
const errors = blocking.filter((b) => b.severity === 'error');
console.log(`validator: ${errors.length} error(s), ${blocking.length - errors.length} warning(s)/recommendation(s), ${tolerated.length} offline-only finding(s)`);
process.exit(errors.length > 0 ? 1 : 0);
JS
