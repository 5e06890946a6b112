#!/usr/bin/env bash
# Benchmarks allocations on an ha fleet in one run: the leader answers from its own books, a
# follower forwards each request to the leader's admin face (POST /v1/allocate). Two real
# `gamefleet serve` replicas on moto (ECS + DynamoDB), two gameservers played by the test harness.
# Needs moto_server and wrk. Prints req/s and p99 for each; asserts nothing about speed.
# Usage: scripts/bench-ha.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v moto_server >/dev/null || { echo "moto_server is not installed (pip install 'moto[server]')" >&2; exit 1; }
swift build --build-tests >/dev/null
GAMEFLEET_BENCH_HA=1 GAMEFLEET_BENCH_SECONDS=${1:-10} swift test --skip-build --filter 'ServeHAMotoTests/benchmark' 2>&1 | grep -E '^ha bench|✘|error' || true
