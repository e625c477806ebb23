#!/usr/bin/env bash
# API compatibility report: @grafana/levitate checks every Grafana API the
# plugin's frontend uses (src/module.ts and everything it imports) against
# the @grafana/data, @grafana/ui and @grafana/runtime of the newest Grafana
# release line tested (the versions tests/browser/runtime-13/package.json
# pins, the same the browser tests run on). Fails on any incompatible use,
# and when levitate could not check a package (it only logs those).
#
#   bash scripts/levitate.sh
#
# Levitate downloads the packages' tarballs from the npm registry; they are
# kept in $TMPDIR/locus-levitate (LEVITATE_CACHE) so a rerun only compares.
# Not inside the repository: there the packages' own imports (react ...)
# would resolve to this project's node_modules and differ between versions
# in name only ("ComponentType" vs "type ComponentType"), false reports.
set -uo pipefail
cd "$(dirname "$0")/.."

version=$(node -p "require('./tests/browser/runtime-13/package.json').dependencies['@grafana/ui']") || exit 1
targets="@grafana/data@$version,@grafana/ui@$version,@grafana/runtime@$version"
cache="${TMPDIR:-/tmp}/locus-levitate"
mkdir -p "$cache"
log="$cache/report.txt"

echo "levitate: src/module.ts against $targets"
TMPDIR="$cache" LEVITATE_CACHE=1 FORCE_COLOR=0 npx --no-install levitate is-compatible --path src/module.ts --target "$targets" > "$log" 2>&1
rc=$?
cat "$log"
if [ $rc -ne 0 ]; then
  echo "levitate.sh: incompatible use of a Grafana $version API (levitate exited $rc; report above)" >&2
  exit 1
fi
if grep -Eq 'Could not process|Skipping package|Could not resolve|Could not find type definition' "$log"; then
  echo "levitate.sh: levitate could not check every package (see above), so compatibility is not shown" >&2
  exit 1
fi
if ! grep -q 'appears to be compatible' "$log"; then
  echo "levitate.sh: levitate did not report compatibility (see above)" >&2
  exit 1
fi
