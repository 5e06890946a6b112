#!/usr/bin/env bash
# Benchmarks the allocation endpoint against a static endpoint of the same server, in one run.
# Needs wrk (Debian: apt-get install wrk). Prints req/s and p99 latency for each; asserts nothing.
# Usage: scripts/bench-http.sh [seconds] [connections] [servers]
# RATE_LIMIT=on turns on allocation.rateLimit with a limit no client reaches (1,000,000 a second), so
# the figure shows what the limiter costs on the hot path.
# With servers > 8, one stand-in process (scripts/fleet-standin.py) answers every gameserver's probes
# and each gameserver is a sleeping process, so a fleet of 1,000 is cheap to run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
servers=${3:-8}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

swift build -c release --product gamefleet >/dev/null
swift build -c release --product sample-gameserver >/dev/null
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
# The largest capacity (and minServers = maxServers, so nothing is parked) so every allocation finds room: this measures the allocation path, not the backup.
standin=""
if [ "$servers" -gt 8 ]; then
  control=$((port + servers + 50))
  python3 scripts/fleet-standin.py "$control" 100000 &
  standin=$!
  command="[\"sh\", \"-c\", \"curl -fs http://127.0.0.1:$control/open/{port} >/dev/null && exec sleep 100000\"]"
else
  command="[\"$PWD/.build/release/sample-gameserver\", \"--port\", \"{port}\", \"--capacity\", \"{capacity}\"]"
fi
# The largest capacity (and minServers = maxServers, so nothing is parked) so every allocation finds room: this measures the allocation path, not the backup.
cat > "$work/fleet.yaml" <<YAML
name: bench
provider: local
gameserver:
  capacity: 100000
  health: {interval: 2s, timeout: 500ms, startupGrace: 60s}
scaling: {upscaleMargin: 10, downscaleMargin: 10000000, minServers: $servers, maxServers: $servers, maxLaunchesPerPass: 100}
allocation: {strategy: packed, backup: 127.0.0.1:8888$([ "${RATE_LIMIT:-off}" = on ] && echo ', rateLimit: {perSecond: 1000000, burst: 1000000}')}
listen: 127.0.0.1:$port
admin: {listen: 127.0.0.1:$((port + servers + 45))}
local:
  command: $command
  ports: $((port + 1))-$((port + servers + 40))
YAML
.build/release/gamefleet serve -c "$work/fleet.yaml" --log-level warning 2>"$work/serve.log" &
serve=$!
trap 'kill -TERM $serve 2>/dev/null; wait $serve 2>/dev/null; [ -n "$standin" ] && kill -TERM $standin 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 600); do
  up=$(curl -fs "http://127.0.0.1:$port/available-gameserver-list/" 2>/dev/null | grep -o '127.0.0.1:' | wc -l || true)
  if [ "$up" -ge "$servers" ]; then break; fi
  sleep 0.2
done
echo "fleet: $up of $servers servers taking players"
echo "wrk: ${seconds}s, $connections connections, 2 threads, on loopback; rate limit ${RATE_LIMIT:-off}"
for path in /healthz /available-gameserver/; do
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port$path")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '%-24s %12s req/s   p99 %8s   non-2xx %s\n' "$path" "$rps" "$p99" "${non2xx:-0}"
done
echo "allocations by result: $(curl -fs "http://127.0.0.1:$((port + servers + 45))/metrics" | grep '^gamefleet_allocations_total' | tr '\n' ' ')"
