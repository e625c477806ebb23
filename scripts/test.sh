#!/usr/bin/env bash
# Runs every test of the project (the README's test command; .ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || [ ! -f package-lock.json ] || bash scripts/setup.sh
echo "== go vet"
go vet ./...
echo "== go test"
go test -count=1 ./...
