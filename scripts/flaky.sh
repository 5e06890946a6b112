#!/usr/bin/env bash
# Runs the whole test suite N times on a fresh clone and prints each run's failures, so a test whose
# verdict depends on the machine's load shows up before a user meets it.
#
#   scripts/flaky.sh 10              # ten runs of `swift test` on a fresh clone of HEAD
#   scripts/flaky.sh --busy 2 5      # five runs with two busy CPU loops beside the suite
#   scripts/flaky.sh --here 3        # three runs in this working tree (no clone, reuses .build)
#
# The clone is of the committed HEAD (what CI would test), in a temporary folder beside this one,
# built once with `swift build --build-tests`; each run is then `swift test --skip-build`, the
# README's test command on the already built tests. Logs stay in the folder printed at the end.
# Exits 0 when every run passed, 1 otherwise.
set -uo pipefail

busy=0
here=false
while [ $# -gt 0 ]; do
  case "$1" in
    --busy) busy="${2:?--busy takes a number of CPU loops}"; shift 2 ;;
    --here) here=true; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "flaky.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
runs="${1:-10}"
case "$runs" in ''|*[!0-9]*) echo "flaky.sh: N must be a number of runs, not '$runs'" >&2; exit 2 ;; esac
case "$busy" in ''|*[!0-9]*) echo "flaky.sh: --busy takes a number, not '$busy'" >&2; exit 2 ;; esac

repo="$(cd "$(dirname "$0")/.." && pwd)"
logs="$(mktemp -d "${TMPDIR:-/tmp}/gamefleet-flaky.XXXXXX")"
if $here; then
  tree="$repo"
else
  # Beside the repository, as CI clones it, so nothing can lean on files the clone lacks.
  tree="$(dirname "$repo")/.flaky-clone-$$"
  git clone -q "$repo" "$tree" || { echo "flaky.sh: git clone failed" >&2; exit 1; }
fi

loops=()
stop_loops() {
  for pid in "${loops[@]}"; do kill "$pid" 2>/dev/null; done
  loops=()
}
cleanup() {
  stop_loops
  if ! $here; then rm -rf "$tree"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$tree" || exit 1
echo "flaky: building $(git rev-parse --short HEAD) in $tree (logs in $logs)"
if ! swift build --build-tests >"$logs/build.log" 2>&1; then
  echo "flaky: the build failed; see $logs/build.log" >&2
  tail -20 "$logs/build.log" >&2
  exit 1
fi

for _ in $(seq 1 "$busy"); do
  ( while :; do :; done ) &
  loops+=("$!")
done
[ "$busy" -gt 0 ] && echo "flaky: $busy busy CPU loop(s) running beside the suite"

failed_runs=0
for run in $(seq 1 "$runs"); do
  log="$logs/run-$run.log"
  started=$(date +%s)
  swift test --skip-build >"$log" 2>&1
  status=$?
  seconds=$(( $(date +%s) - started ))
  # Swift Testing's closing line ("Test run with N tests in M suites passed/failed after S seconds"),
  # and XCTest's ("Executed N tests, with F failures").
  summary=$(grep -E '^.{0,4}Test run with [0-9]+ tests' "$log" | tail -1 | sed -E 's/^[^T]*//')
  xctest=$(grep -E 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$log" | tail -1 | sed -E 's/^[[:space:]]*//')
  if [ "$status" -eq 0 ]; then
    echo "run $run: passed in ${seconds}s — ${summary:-no Swift Testing summary}; ${xctest:-no XCTest summary}"
  else
    failed_runs=$((failed_runs + 1))
    echo "run $run: FAILED (exit $status) in ${seconds}s — ${summary:-no Swift Testing summary}; ${xctest:-no XCTest summary}"
    # Each failing test once, then the first lines of its recorded issues.
    grep -E '✘ Test .* (failed|recorded)|error: .*XCTAssert|Test Case .* failed|Fatal error|fatalError' "$log" \
      | sed -E 's/^[^✘]*✘ /  ✘ /' | head -40
  fi
done

stop_loops
passed=$((runs - failed_runs))
echo "flaky: $passed of $runs runs passed$([ "$busy" -gt 0 ] && echo " with $busy busy loop(s)"); logs in $logs"
[ "$failed_runs" -eq 0 ]
