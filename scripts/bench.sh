#!/usr/bin/env bash
# Performance figures of issue 6: upstream requests of a realistic dashboard,
# wall time against the serial limit, engine overhead, resource latency at
# fleet scale. One line per figure (name, value, target, PASS|FAIL); exits
# non-zero on any FAIL; writes .cache/bench.json.
#   bash scripts/bench.sh           reduced size (CI, a few minutes)
#   bash scripts/bench.sh -full     full size
#   bash scripts/bench.sh -v        also print the minimal count and the requests made
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./tests/bench "$@"
