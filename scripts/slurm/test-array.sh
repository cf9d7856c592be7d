#!/usr/bin/env bash
# End-to-end test of the Slurm job array, on a one-node cluster started on this host (as root):
# a small matrix run whole, then as a two-task array (scripts/slurm/bench-array.sbatch), the two shard
# databases merged; the merged runs must equal the whole ones: same run ids, statuses, genotypes and
# test accuracies. Stops the local cluster at the end (KEEP_CLUSTER=1 leaves it running).
#
#   scripts/slurm/test-array.sh [MATRIX]     (default: harness/src/test/resources/matrices/tiny.yaml)
#
# Both sides train with one libtorch thread (the CPUs one array task gets), so CPU results are
# bit-identical and any difference is a harness bug, not floating-point noise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
matrix="${1:-harness/src/test/resources/matrices/tiny.yaml}"
timeout_s="${TEST_ARRAY_TIMEOUT:-900}"
cluster="$root/scripts/slurm/local-cluster.sh"

say() { echo "test-array: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root: it installs Slurm and starts its daemons"
cd "$root"
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] \
  || DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist >&2 \
  || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist >&2; }
command -v sqlite3 >/dev/null \
  || DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqlite3 >&2 \
  || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqlite3 >&2; }

tmp="$(mktemp -d /tmp/trickbench-slurm-test.XXXXXX)"
chmod 755 "$tmp"
jobid=""
cleanup() {
  local rc=$?
  if [ -n "$jobid" ]; then scancel "$jobid" 2>/dev/null || true; fi
  if [ "${KEEP_CLUSTER:-0}" != 1 ]; then "$cluster" stop || true; fi
  if [ "$rc" = 0 ]; then rm -rf "$tmp"; else say "kept $tmp for inspection"; fi
}
trap cleanup EXIT
started=$SECONDS

say "1/4 whole matrix, unsharded, into $tmp/whole.db"
OMP_NUM_THREADS=1 ./bench run --matrix "$matrix" --device cpu --db "$tmp/whole.db" \
  || fail "the unsharded run exited $?"

say "2/4 local Slurm cluster"
"$cluster" start

say "3/4 two-task job array"
# --gres=none: the test node has no GPU (the script asks for one by default).
jobid="$(sbatch --parsable --array=0-1 --gres=none --cpus-per-task=1 --mem=1G \
  --output="$tmp/slurm-%A_%a.out" --export=ALL,MATRIX="$matrix",RESULTS_DIR="$tmp" \
  scripts/slurm/bench-array.sbatch)" || fail "sbatch refused the job"
jobid="${jobid%%;*}"
say "submitted job $jobid; waiting (at most ${timeout_s}s)"
deadline=$((SECONDS + timeout_s))
while :; do
  if out="$(squeue -h -j "$jobid" -o '%i %T %R' 2>&1)"; then
    [ -z "$out" ] && break
  elif grep -q 'Invalid job id' <<<"$out"; then
    break # already purged from the controller: finished
  fi
  # otherwise: running, pending, or squeue could not reach slurmctld this time; ask again.
  if [ $SECONDS -ge $deadline ]; then
    say "still queued after ${timeout_s}s:"; echo "$out" >&2
    fail "job $jobid did not finish in time"
  fi
  sleep 2
done
finished_job=$jobid
jobid="" # nothing left to cancel

for task in 0 1; do
  log="$tmp/slurm-${finished_job}_$task.out"
  shard="$tmp/shard-$((task + 1))-of-2.db"
  [ -f "$log" ] || fail "array task $task left no output file $log"
  # Without accounting, the controller still holds the finished tasks for a few minutes (MinJobAge).
  state="$(scontrol -o show job "${finished_job}_$task" 2>/dev/null | grep -o 'JobState=[A-Z_]* .*ExitCode=[0-9:]*' \
    | sed 's/JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\)/\1 \2/' || true)"
  if ! grep -q '^bench-array: shard .* exit 0$' "$log" || { [ -n "$state" ] && [ "$state" != "COMPLETED 0:0" ]; }; then
    sed 's/^/  | /' "$log" >&2
    fail "array task $task did not succeed (${state:-state unknown}); its output is above"
  fi
  [ -s "$shard" ] || fail "array task $task wrote no $shard"
  say "task $task: ${state:-completed}, $(sqlite3 "$shard" 'SELECT count(*) FROM runs') run(s) in $(basename "$shard")"
done

say "4/4 merge and compare"
./bench merge "$tmp/shard-1-of-2.db" "$tmp/shard-2-of-2.db" --into "$tmp/merged.db" \
  || fail "bench merge exited $? (conflicting results between shards?)"

rows() {
  sqlite3 -batch -noheader -separator $'\t' "$1" \
    "SELECT r.id, r.status, coalesce(r.genotype, '-'), coalesce(printf('%.17g', e.test_accuracy), '-')
       FROM runs r LEFT JOIN evaluations e ON e.id = r.evaluation_id ORDER BY r.id"
}
rows "$tmp/whole.db" >"$tmp/whole.tsv"
rows "$tmp/merged.db" >"$tmp/merged.tsv"
n="$(wc -l <"$tmp/whole.tsv")"
[ "$n" -gt 0 ] || fail "the whole run stored no runs"
shards=$(( $(sqlite3 "$tmp/shard-1-of-2.db" 'SELECT count(*) FROM runs') + $(sqlite3 "$tmp/shard-2-of-2.db" 'SELECT count(*) FROM runs') ))
[ "$shards" = "$n" ] || fail "the shards hold $shards runs between them, the whole matrix $n: shards overlap or miss runs"
if ! diff -u --label whole "$tmp/whole.tsv" --label merged "$tmp/merged.tsv" >&2; then
  fail "merged shard results differ from the unsharded run (id, status, genotype, test accuracy; diff above)"
fi
say "$n runs identical (id, status, genotype, test accuracy) in $((SECONDS - started))s"
echo "slurm array test: passed"
