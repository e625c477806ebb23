#!/usr/bin/env bash
# README command 1: from a fresh clone, install what the build needs, build the
# plugin (frontend + backend) into dist/, and start Grafana with the plugin,
# the demo data source, the bundled dashboards and the example alert rule
# provisioned (http://localhost:3000, opens on Fleet overview), the first way
# that works here:
#   1. Docker with `docker compose`: `docker compose up` (docker-compose.yaml)
#   2. a local Grafana server (`grafana` or `grafana-server` on PATH, as the
#      Debian/RPM packages and Homebrew install it): started with a temporary
#      data folder, the plugin from dist/ and this repository's provisioning/
#   3. neither: says what to install, and how to install the plugin zip
#
#   bash scripts/demo.sh            build, then start Grafana
#   bash scripts/demo.sh --build    build only (no Grafana needed)
#   bash scripts/demo.sh --no-build start Grafana on the dist/ already built
#   GRAFANA_VERSION=12.4.10 bash scripts/demo.sh   another Grafana image (Docker)
#   GRAFANA_HOME=/opt/grafana bash scripts/demo.sh local Grafana's home path
set -euo pipefail
cd "$(dirname "$0")/.."

build_only=false
build=true
for arg in "$@"; do
  case "$arg" in
    --build) build_only=true ;;
    --no-build) build=false ;;
    -h | --help)
      sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "demo.sh: unknown argument '$arg' (valid: --build, --no-build, --help)" >&2
      exit 2
      ;;
  esac
done
plugin_id=sunfleet-locus-datasource
root=$(pwd)

# Which Grafana to start: docker, local (with its command) or none.
grafana_cmd=""
if command -v docker > /dev/null 2>&1 && docker compose version > /dev/null 2>&1; then
  runner=docker
elif command -v grafana > /dev/null 2>&1; then
  runner=local
  grafana_cmd=grafana
elif command -v grafana-server > /dev/null 2>&1; then
  runner=local
  grafana_cmd=grafana-server
else
  runner=none
fi

# grafana_home finds the local Grafana's home path (conf/defaults.ini, public/):
# $GRAFANA_HOME, else next to the executable (…/bin/grafana → …), else where
# the Debian/RPM packages and Homebrew put it.
grafana_home() {
  local bin candidates dir
  bin=$(command -v "$grafana_cmd")
  bin=$(readlink -f "$bin" 2> /dev/null || echo "$bin")
  candidates=("${GRAFANA_HOME:-}" "$(dirname "$(dirname "$bin")")" "$(dirname "$(dirname "$bin")")/share/grafana"
    /usr/share/grafana /opt/homebrew/share/grafana /usr/local/share/grafana)
  for dir in "${candidates[@]}"; do
    if [ -n "$dir" ] && [ -f "$dir/conf/defaults.ini" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! $build_only && [ "$runner" = none ]; then
  cat >&2 << 'MSG'
demo.sh: neither Docker nor a Grafana server was found, so Grafana cannot be
started here. Install one of them and run this again:
  - Docker Engine with the compose plugin (`docker compose version` must work):
    https://docs.docker.com/engine/install/
  - or Grafana OSS 12.4 or 13.x, which puts `grafana` on PATH:
    Debian/Ubuntu `apt-get install grafana` (from https://apt.grafana.com),
    RHEL/Fedora `dnf install grafana`, macOS `brew install grafana`,
    others https://grafana.com/grafana/download
To add the plugin to an existing Grafana instead: `npm run package` builds
artifacts/sunfleet-locus-datasource-<version>.zip; install it with
`grafana cli --pluginUrl <zip> plugins install sunfleet-locus-datasource` (or
unzip it into the plugins folder) and allow it unsigned with
allow_loading_unsigned_plugins = sunfleet-locus-datasource (README, Install).
MSG
  exit 1
fi

if $build; then
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

  # Only what the build needs (scripts/setup.sh also installs the test tools).
  echo "== install dependencies (Go modules, npm packages)"
  go mod download
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi

  echo "== build frontend (dist/)"
  npm run build

  if [ "$runner" = local ]; then
    echo "== build backend (dist/gpx_locus_<this os>_<arch>)"
    # The local Grafana runs the binary of this machine's OS and architecture.
    go run github.com/magefile/mage -v backend manifest
  else
    echo "== build backend (dist/gpx_locus_linux_*)"
    # Linux binaries only: the container runs Linux on amd64 or arm64 hosts.
    # `npm run package` builds every platform.
    go run github.com/magefile/mage -v buildLinux
  fi
fi

if $build_only; then
  echo "Built dist/. Start Grafana with: bash scripts/demo.sh --no-build (or docker compose up)"
  exit 0
fi
if [ ! -f dist/plugin.json ]; then
  echo "demo.sh: dist/plugin.json is missing: build first (bash scripts/demo.sh --build)" >&2
  exit 1
fi

if [ "$runner" = docker ]; then
  echo "== starting Grafana ${GRAFANA_VERSION:-(compose default)} with Docker on http://localhost:3000"
  echo "   stop it with Ctrl-C (then \`docker compose down\` removes the container)"
  exec docker compose up
fi

# A local Grafana server with a temporary data folder, removed when it stops.
if ! home=$(grafana_home); then
  echo "demo.sh: found $grafana_cmd at $(command -v "$grafana_cmd") but not its home path (a folder with conf/defaults.ini): set GRAFANA_HOME to it" >&2
  exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/locus-demo-grafana.XXXXXX")
mkdir -p "$tmp/data" "$tmp/logs" "$tmp/plugins"
ln -s "$root/dist" "$tmp/plugins/$plugin_id"
if [ "$grafana_cmd" = grafana ]; then
  set -- grafana server --homepath "$home"
else
  set -- grafana-server --homepath "$home"
fi
export GF_PATHS_DATA="$tmp/data" GF_PATHS_LOGS="$tmp/logs" GF_PATHS_PLUGINS="$tmp/plugins"
export GF_PATHS_PROVISIONING="$root/provisioning"
export GF_SERVER_HTTP_ADDR=127.0.0.1 GF_SERVER_HTTP_PORT=3000
export GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=$plugin_id
export GF_AUTH_ANONYMOUS_ENABLED=true GF_AUTH_ANONYMOUS_ORG_ROLE=Admin
export GF_AUTH_BASIC_ENABLED=false GF_AUTH_DISABLE_LOGIN_FORM=true
export GF_LOG_FILTERS=plugin.$plugin_id:debug
export GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH="$tmp/plugins/$plugin_id/dashboards/fleet-overview.json"
echo "== starting the local Grafana ($(command -v "$grafana_cmd"), home $home) on http://localhost:3000"
echo "   temporary data folder: $tmp (removed when Grafana stops)"
"$@" &
pid=$!
stop() {
  kill "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}
trap 'stop; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
echo "   stop it with Ctrl-C here, or: kill $$"
set +e
wait "$pid"
status=$?
trap - EXIT
rm -rf "$tmp"
exit $status
