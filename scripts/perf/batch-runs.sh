#!/usr/bin/env bash
# Run batching's throughput goal: trainings per hour at the smoke size with --batch-runs K against one
# run at a time, by the wall time of `bench run` on scripts/perf/batch-runs.yaml (eight trainings), each
# into a fresh database, taking turns for ROUNDS rounds. Usage: scripts/perf/batch-runs.sh [K] [ROUNDS]
# (defaults 8 and 2). Measure on an idle machine: other processes distort every number.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
k="${1:-8}"
rounds="${2:-2}"
matrix="$root/scripts/perf/batch-runs.yaml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/bench" run --matrix "$matrix" --dry-run >/dev/null   # builds the jar outside the timings
runs=8
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
