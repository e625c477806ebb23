#!/usr/bin/env bash
# README command 1: from a fresh clone, install what the build needs, build the
# plugin (frontend + backend) into dist/, and start Grafana with the plugin,
# the demo data source, the bundled dashboards and the example alert rule
# provisioned (docker compose, http://localhost:3000, opens on Fleet overview).
#
#   bash scripts/demo.sh            build, then `docker compose up`
#   bash scripts/demo.sh --build    build only (no Docker needed)
#   GRAFANA_VERSION=12.4.0 bash scripts/demo.sh   another Grafana release
set -euo pipefail
cd "$(dirname "$0")/.."

build_only=false
for arg in "$@"; do
  case "$arg" in
    --build) build_only=true ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "demo.sh: unknown argument '$arg' (valid: --build, --help)" >&2
      exit 2
      ;;
  esac
done

for tool in go node npm; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    echo "demo.sh: '$tool' is not installed: the build needs Go (see go.mod) and Node.js 20 or newer with npm" >&2
    exit 1
  fi
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "demo.sh: Node.js $(node -v) is too old: use Node.js 20 or newer" >&2
  exit 1
fi

if ! $build_only && { ! command -v docker > /dev/null 2>&1 || ! docker compose version > /dev/null 2>&1; }; then
  cat >&2 << 'MSG'
demo.sh: Docker with the compose plugin was not found, so Grafana cannot be
started here. Install Docker (with `docker compose`) and run this again, or run
`bash scripts/demo.sh --build` and copy dist/ into a Grafana >= 12.3 plugins
folder as sunfleet-locus-datasource/, allowing it unsigned
(allow_loading_unsigned_plugins = sunfleet-locus-datasource).
MSG
  exit 1
fi

# Only what the build needs (scripts/setup.sh also installs the test tools).
echo "== install dependencies (Go modules, npm packages)"
go mod download
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

echo "== build frontend (dist/)"
npm run build

echo "== build backend (dist/gpx_locus_linux_*)"
# Linux binaries only: the container runs Linux on amd64 or arm64 hosts.
# `npm run package` builds every platform.
go run github.com/magefile/mage -v buildLinux

if $build_only; then
  echo "Built dist/. Start Grafana with: docker compose up"
  exit 0
fi

echo "== starting Grafana on http://localhost:3000 (Ctrl-C to stop)"
exec docker compose up
