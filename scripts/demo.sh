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
      sed -n '2,10p' "$0"
      exit 0
      ;;
    *)
      echo "demo.sh: unknown argument '$arg' (valid: --build, --help)" >&2
      exit 2
      ;;
  esac
done

echo "== install dependencies"
bash scripts/setup.sh

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

if ! command -v docker > /dev/null 2>&1 || ! docker compose version > /dev/null 2>&1; then
  cat >&2 << 'MSG'
demo.sh: the plugin is built in dist/, but Docker with the compose plugin was
not found, so Grafana cannot be started here. Install Docker (with
`docker compose`) and run `docker compose up`, or copy dist/ into a Grafana
>= 12.3 plugins folder as sunfleet-locus-datasource/ and allow it unsigned
(allow_loading_unsigned_plugins = sunfleet-locus-datasource).
MSG
  exit 1
fi

echo "== starting Grafana on http://localhost:3000 (Ctrl-C to stop)"
exec docker compose up
