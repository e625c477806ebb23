#!/usr/bin/env bash
# Installs everything the build and the tests need: Debian packages (Chromium
# for the browser tests, redis-server for the shared-state tests), Go modules and npm packages. Idempotent; with
# --if-needed it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if_needed=false
[ "${1:-}" = "--if-needed" ] && if_needed=true

# Debian packages: chromium (browser tests) and redis-server (the shared
# state tests of several Grafana replicas start their own on 127.0.0.1).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== setup: Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== setup: Go modules"
go mod download

if [ -f package-lock.json ]; then
  if $if_needed && [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    echo "== setup: npm packages already installed"
  else
    echo "== setup: npm ci"
    npm ci --no-audit --no-fund
  fi
fi

# The browser tests' second runtime: the modules Grafana 13.2 shares with
# plugins (React 19), a package of its own (tests/browser/runtimes.mjs); npm ci
# there unless installed from its lockfile as it is.
echo "== setup: Grafana 13.2 test runtime (tests/browser/runtime-13)"
node tests/browser/runtimes.mjs --install
