#!/usr/bin/env bash
# Runs every test of the project: the README's test command, and what .ci/run calls.
# Works from a fresh clone: it installs what is missing first (scripts/setup.sh).
# Ends with one line "N passed, M failed" over every suite, and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/setup.sh --if-needed || exit 1

out="$root/.cache/test-results"
rm -rf "$out" && mkdir -p "$out"
status=0
step() { echo; echo "== $*"; }
fail() { echo "FAILED: $*"; status=1; }

step "go vet"
go vet ./... || fail "go vet"

step "go test"
go test -json -count=1 -timeout 20m ./... > "$out/go.jsonl"
go_rc=$?
node scripts/lib/tally.mjs go "$out/go.jsonl" > "$out/go.count" || fail "go test tally"
[ $go_rc -eq 0 ] || fail "go test"

if [ -f package.json ]; then
  step "typecheck"; npm run -s typecheck || fail "typecheck"
  step "lint"; npm run -s lint || fail "lint"
  step "jest"
  npx jest --ci --maxWorkers=2 --json --outputFile="$out/jest.json" || fail "jest"
  if [ -f "$out/jest.json" ]; then
    node scripts/lib/tally.mjs jest "$out/jest.json" > "$out/jest.count"
  else
    echo "0 1" > "$out/jest.count"
  fi
fi

# Whole-suite scripts: each counts as one check in the tally.
run_check() {
  local name=$1
  shift
  step "$name"
  if "$@"; then
    echo "1 0" > "$out/$name.count"
  else
    echo "0 1" > "$out/$name.count"
    fail "$name"
  fi
}
if [ -f package.json ]; then
  run_check package npm run -s package
  run_check validate npm run -s validate
  # The same browser specs on each Grafana runtime (tests/browser/runtimes.mjs):
  # 12.4 (React 18) and 13.2 (React 19), each counted on its own.
  for runtime in 12.4 13.2; do
    step "browser (Grafana $runtime)"
    tap="$out/browser-$runtime.tap"
    rm -f "$tap"
    npm run -s test:browser -- --runtime "$runtime" --tap "$tap" || fail "browser (Grafana $runtime)"
    if [ -f "$tap" ]; then
      node scripts/lib/tally.mjs node "$tap" > "$out/browser-$runtime.count"
    else
      echo "0 1" > "$out/browser-$runtime.count"
    fi
  done
  run_check levitate bash scripts/levitate.sh
  step "demo.sh branches"
  node --test --test-reporter=spec --test-reporter=tap --test-reporter-destination=stdout \
    --test-reporter-destination="$out/demo.tap" tests/demo/ || fail "demo.sh branches"
  if [ -f "$out/demo.tap" ]; then
    node scripts/lib/tally.mjs node "$out/demo.tap" > "$out/demo.count"
  else
    echo "0 1" > "$out/demo.count"
  fi
  run_check faults npm run -s test:faults
  run_check bench npm run -s bench
fi

step "summary"
# A failed step that no counter saw (a crash before any report) still counts as one failure.
read -r passed failed < <(cat "$out"/*.count | awk '{p += $1; f += $2} END {print p + 0, f + 0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
