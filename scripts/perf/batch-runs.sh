#!/usr/bin/env bash
# Run batching's goals: the wall time of `bench run` on a matrix with --batch-runs K against one run at a
# time, each into a fresh database, taking turns for ROUNDS rounds, with trainings per hour. Usage:
# scripts/perf/batch-runs.sh [K] [ROUNDS] [MATRIX] (defaults 8, 2 and scripts/perf/batch-runs.yaml, eight
# smoke-size trainings of one cell; scripts/perf/ci-random.yaml is the ci preset's random baseline).
# Measure on an idle machine: other processes distort every number.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
k="${1:-8}"
rounds="${2:-2}"
matrix="${3:-$root/scripts/perf/batch-runs.yaml}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Builds the jar outside the timings, and counts the runs.
runs="$("$root/bench" run --matrix "$matrix" --dry-run | sed -n 's/^matrix [^:]*: \([0-9]*\) runs.*/\1/p')"
for round in $(seq 1 "$rounds"); do
  for batch in 1 "$k"; do
    db="$work/k$batch-r$round.db"
    start=$(date +%s.%N)
    "$root/bench" run --matrix "$matrix" --db "$db" --batch-runs "$batch" > "$work/k$batch-r$round.log"
    end=$(date +%s.%N)
    python3 - "$batch" "$round" "$start" "$end" "$runs" <<'PY'
import sys
k, rnd, start, end, runs = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
wall = end - start
print(f"round {rnd} --batch-runs {k}: {wall:.1f} s for {runs} trainings, {3600 * runs / wall:.0f} trainings per hour")
PY
  done
done
