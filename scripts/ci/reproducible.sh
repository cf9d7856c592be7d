#!/usr/bin/env bash
# Same-machine reproducibility, checked the way a user meets it: through the bench launcher, with
# OMP_NUM_THREADS unset so the launcher's default thread count applies, in separate processes that
# start from empty databases. Every stored per-epoch number (timings excepted) must be bit-identical.
#
#   scripts/ci/reproducible.sh smoke                   the smoke matrix, twice
#   scripts/ci/reproducible.sh ci FIRST.db             one ci run of each algorithm family (black-box,
#                                                      gradient, one-shot), trained again alone and
#                                                      compared with the same runs in FIRST.db
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$root/bench"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Every per-epoch value of the given owners (runs and evaluations), at full precision, timings left out.
epochs() { # DB [ATTACHED_DB_FOR_OWNERS]
  local where="metric NOT LIKE '%seconds%'"
  if [ -n "${2:-}" ]; then
    where="$where AND owner_id IN (SELECT owner_id FROM other.epochs)"
    sqlite3 "$1" "ATTACH '$2' AS other" \
      "SELECT owner_id, phase, epoch, metric, printf('%!.17g', value) FROM main.epochs WHERE $where ORDER BY 1, 2, 3, 4"
  else
    sqlite3 "$1" "SELECT owner_id, phase, epoch, metric, printf('%!.17g', value) FROM epochs WHERE $where ORDER BY 1, 2, 3, 4"
  fi
}

compare() { # LABEL FIRST SECOND
  local rows
  rows=$(wc -l < "$2")
  if [ "$rows" -eq 0 ]; then
    echo "reproducible: $1: no per-epoch rows to compare" >&2
    exit 1
  fi
  if ! diff -u "$2" "$3" > "$tmp/diff"; then
    echo "reproducible: $1 differs between two processes at the default thread count:" >&2
    head -40 "$tmp/diff" >&2
    exit 1
  fi
  echo "reproducible: $1: $rows per-epoch values bit-identical in two processes (OMP_NUM_THREADS unset)"
}

case "${1:-}" in
  smoke)
    for i in 1 2; do
      env -u OMP_NUM_THREADS "$bench" run --matrix smoke --db "$tmp/smoke-$i.db" > "$tmp/smoke-$i.log"
      grep -E '^  (genotype|epoch|done)' "$tmp/smoke-$i.log" | sed -E 's/ +[0-9.]+ ?s$//' > "$tmp/smoke-$i.printed"
      epochs "$tmp/smoke-$i.db" > "$tmp/smoke-$i.rows"
    done
    compare "smoke (printed)" "$tmp/smoke-1.printed" "$tmp/smoke-2.printed"
    compare "smoke (stored)" "$tmp/smoke-1.rows" "$tmp/smoke-2.rows"
    ;;
  ci)
    first="${2:?usage: reproducible.sh ci FIRST.db}"
    "$bench" run --matrix ci --dry-run > "$tmp/plan"
    for family in random-search gdas spos; do
      # The family's first run without tricks, seed 0.
      id=$(awk -v a="$family{" 'index($2, a) == 1 && $0 ~ /seed=0 fashion-mnist$/ {print $1; exit}' "$tmp/plan")
      [ -n "$id" ] || { echo "reproducible: no $family run in the ci plan" >&2; exit 1; }
      env -u OMP_NUM_THREADS "$bench" run --matrix ci --only "$id" --db "$tmp/again.db" > "$tmp/$family.log"
    done
    epochs "$tmp/again.db" > "$tmp/again.rows"
    epochs "$first" "$tmp/again.db" > "$tmp/first.rows"
    compare "ci: random-search, gdas and spos runs" "$tmp/first.rows" "$tmp/again.rows"
    ;;
  *)
    echo "usage: scripts/ci/reproducible.sh smoke | ci FIRST.db" >&2
    exit 2
    ;;
esac
