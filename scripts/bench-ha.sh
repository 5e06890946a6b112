#!/usr/bin/env bash
# Benchmarks allocations on an ha fleet in one run: the leader answers from its own books, a
# follower from the slots the leader lends it (forwarding to the leader's POST /v1/allocate only
# once they run out). Two real `gamefleet serve` replicas, built in release, on moto (ECS +
# DynamoDB), two gameservers played by the test harness; once with room to spare, once full
# (every answer the backup). Needs moto_server and wrk. Prints leader and follower side by side
# with the follower/leader ratio; asserts nothing about speed.
# Usage: scripts/bench-ha.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v moto_server >/dev/null || { echo "moto_server is not installed (pip install 'moto[server]')" >&2; exit 1; }
swift build -c release --product gamefleet >/dev/null
release="$(swift build -c release --show-bin-path)/gamefleet"
swift build --build-tests >/dev/null
GAMEFLEET_BENCH_HA=1 GAMEFLEET_BENCH_SECONDS=${1:-10} GAMEFLEET_HA_SERVE_BINARY="$release" \
  swift test --skip-build --filter 'ServeHAMotoTests/benchmark' 2>&1 | grep -E '^ha bench|✘|error' | sed 's/^ha bench //' || true
