#!/usr/bin/env bash
# The GPU check as ONE command for a GPU machine that has a torch install (python3 on PATH
# is its venv) but no system Java and no network. Run from the repository root with .gpu/ prepared by
# scripts/gpu/prepare.sh (jre/, trickbench-gpu.jar, djl-native/, data/). Stages, each under its own
# timeout so one hang cannot eat the run, each merged into one JSON file when it ends:
#   env  machine facts; DJL's JNI built for this torch (build-jni.sh), its build time
#   a    bench run of the smoke and ci presets on the GPU: wall time, runs ok/failed, the stored env rows
#   b    the same training twice with --deterministic and twice with --no-deterministic: max |delta| of
#        the per-epoch losses and accuracies within each pair
#   c    bench perf against PyTorch eager at the ci size and at C=16, N=5
#   d    trainings per hour at --parallel 1, 2, 4, 8 with GPU utilisation sampled by nvidia-smi
#   e    what deterministic mode costs: bench perf at C=16, N=5 with and without it
#   f    one epoch of every algorithm, trick and supernet mode (scripts/gpu/audit-*.yaml) under
#        TRICKBENCH_DETERMINISM=strict: which runs fail on a non-deterministic kernel, and why
#   g    run batching: bench perf --batch-runs 8 at the smoke size, and the wall time of
#        scripts/perf/batch-runs.yaml (eight smoke trainings) one at a time and with --batch-runs 8
# They run in the order env, a, c, e, g, d, b, f, so the goals' measurements (c, e, g, d) come before the
# stages a tight budget may skip. It then renders the JSON as Markdown (render-doc.py): gpu.md beside the JSON, which becomes docs/gpu.md.
# --dry-run exercises the same plumbing on a machine without a GPU: --device cpu, the bundled jar and
# system Java when the slim pieces are absent, tiny sizes.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/gpu/device-check.sh [--out DIR] [--budget-s S] [--stages LIST] [--dry-run]

  --out DIR       where gpu-check.json, gpu.md and the stage logs go (default: $OUT if set, else .gpu/out)
  --budget-s S    total seconds for all stages (default: 300, dry run 1200); a stage that would not fit
                  is skipped
  --stages LIST   comma-separated subset of env,a,b,c,d,e,f,g (default: all)
  --dry-run       no GPU needed: --device cpu, tiny sizes, system java and harness/target/trickbench.jar
                  when .gpu/jre or .gpu/trickbench-gpu.jar are absent; the JNI build only runs its checks
  -h, --help      this text

Exit 0 when every stage ran (whatever it measured); 1 when a stage failed or timed out; 2 on bad usage.
EOF
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/scripts/gpu"
out_dir="${OUT:+$OUT}" budget="" dry=0 stages="env,a,b,c,d,e,f,g"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out_dir="${2:?--out needs DIR}"; shift 2 ;;
    --budget-s) budget="${2:?--budget-s needs S}"; shift 2 ;;
    --stages) stages="${2:?--stages needs LIST}"; shift 2 ;;
    --dry-run) dry=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "device-check: unknown argument '$1'; see --help" >&2; exit 2 ;;
  esac
done
[ -n "$budget" ] || budget=$([ "$dry" = 1 ] && echo 1200 || echo 300)
[[ "$budget" =~ ^[0-9]+$ ]] || { echo "device-check: --budget-s must be whole seconds, got '$budget'" >&2; exit 2; }
[ -n "$out_dir" ] || out_dir="$root/.gpu/out"
mkdir -p "$out_dir/logs"
out_dir="$(cd "$out_dir" && pwd)"
json="$out_dir/gpu-check.json"
cd "$root"
work="$(mktemp -d "${TMPDIR:-/tmp}/device-check.XXXXXX")"
cleanup() {
  local pid
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t0="$(now)"
left() { awk -v a="$t0" -v b="$(now)" -v B="$budget" 'BEGIN { printf "%d", B - (b - a) }'; }
py() { python3 "$here/gpu_check.py" "$@"; }
want() { [[ ",$stages," == *",$1,"* ]]; }

# --- the runtime --------------------------------------------------------------------------------------
gpu_ready=1
if [ "$dry" = 1 ]; then
  device=cpu
  java_bin="$root/.gpu/jre/bin/java"; [ -x "$java_bin" ] || java_bin="$(command -v java || true)"
  jar="$root/.gpu/trickbench-gpu.jar"; [ -f "$jar" ] || jar="$root/harness/target/trickbench.jar"
else
  device=gpu
  java_bin="$root/.gpu/jre/bin/java"
  jar="$root/.gpu/trickbench-gpu.jar"
fi
for need in "$java_bin" "$jar" .gpu/data/train-images-idx3-ubyte.gz; do
  [ -n "$need" ] && [ -e "$need" ] || { echo "device-check: ${need:-java} missing; fix: run scripts/gpu/prepare.sh where a JDK is and carry .gpu" >&2; exit 2; }
done
export TRICKBENCH_DATA="$root/.gpu/data"
export CUBLAS_WORKSPACE_CONFIG=:4096:8
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
java_opts=(-Xmx8g "-XX:ErrorFile=$work/hs_err_%p.log" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error)
if [ "$dry" = 0 ]; then
  export TRICKBENCH_LIBTORCH=python
  # The venv's CUDA libraries (pip's nvidia-* wheels), found without importing torch; DJL's CudaUtils
  # JNA-loads cudart, so its directory also goes on jna.library.path.
  nv="$(py nvidia-libs)"
  [ -n "$nv" ] && export LD_LIBRARY_PATH="$nv${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  cudart="$(py nvidia-libs --cudart)"
  [ -n "$cudart" ] && java_opts+=("-Djna.library.path=$cudart")
fi
bench_cmd=("$java_bin" "${java_opts[@]}" -jar "$jar")
peer_python="$(command -v python3 || true)"
if [ "$dry" = 1 ] && ! python3 -c 'import importlib.util as u, sys; sys.exit(u.find_spec("torch") is None)' 2>/dev/null; then
  # The dry run still exercises --peer when some Python on the machine has torch.
  peer_python=""
  [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import importlib.util as u, sys; sys.exit(u.find_spec("torch") is None)' \
    2>/dev/null && peer_python=/usr/bin/python3
fi

# Sizes: the real check at the sizes the goals name; the dry run tiny, to prove the plumbing, with its
# time limits scaled for a small CPU.
scale=1
if [ "$dry" = 1 ]; then
  scale=4
  ci_matrix=tiny; perf_big=(--channels 4 --cells 1 --resolution 8 --batch-size 32); perf_steps=(--steps 2 --warmup 1)
  levels=(1 2); runs_per_level=2; b_epochs=2; f_epochs=1
else
  ci_matrix=ci; perf_big=(--channels 16 --cells 5 --resolution 32 --batch-size 256); perf_steps=(--steps 30 --warmup 5)
  levels=(1 2 4 8); runs_per_level=8; b_epochs=3; f_epochs=1
fi

# run_cmd ID TIMEOUT CMD...: runs CMD under timeout, keeping its line, exit code, wall time and log;
# the out dir gets the log's tail. Never fails itself: the exit code is data.
run_cmd() {
  local id="$1" limit="$2"; shift 2
  local shown="$*"
  shown="${shown//"${bench_cmd[*]}"/bench}"
  shown="${shown//"$root/"/}"
  shown="${shown//"$work/"/}"
  echo "$shown" >"$work/$id.cmd"
  echo "device-check: [$id] $shown (timeout ${limit}s)"
  local s rc=0
  s="$(now)"
  timeout -k 10 "$limit" "$@" >"$work/$id.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$id.rc"
  since "$s" >"$work/$id.wall"
  tail -n 40 "$work/$id.log" >"$out_dir/logs/$id.log"
  local crash
  for crash in "$work"/hs_err_*.log; do  # a JVM crash report: its head names the native frame
    [ -f "$crash" ] && head -n 40 "$crash" >"$out_dir/logs/$id.$(basename "$crash")" && rm -f "$crash"
  done
  echo "device-check: [$id] exit $rc after $(cat "$work/$id.wall") s"
  return 0
}
bench() { local id="$1" limit="$2"; shift 2; run_cmd "$id" "$limit" "${bench_cmd[@]}" "$@"; }

# stage NAME CAP MIN: starts a stage if at least MIN seconds of the budget are left, with a deadline of
# CAP seconds or what is left; stage_end merges its results. stage_limit CAP: a command's timeout.
stage_start=""; stage_deadline=0
begin() {
  local name="$1" cap="$2" min="$3" l
  want "$name" || return 1
  l="$(left)"
  if [ "$l" -lt "$min" ]; then
    echo "device-check: stage $name skipped: ${l}s of the budget left, it needs ${min}s"
    py stage "$json" "$name" --work "$work" --status skipped --elapsed 0 --reason "budget: ${l}s left, needs ${min}s"
    return 1
  fi
  cap=$((cap * scale))
  [ "$cap" -gt "$l" ] && cap="$l"
  stage_start="$(now)"
  stage_deadline="$(awk -v a="$stage_start" -v c="$cap" 'BEGIN { printf "%d", a + c }')"
  echo "device-check: stage $name (up to ${cap}s; ${l}s of the budget left)"
}
limit() {  # LIMIT: seconds for the next command (times the dry run's scale), capped by the stage's deadline
  local want=$(($1 * scale)) rest=$((stage_deadline - $(date +%s)))
  [ "$rest" -lt 5 ] && rest=5
  if [ "$want" -lt "$rest" ]; then echo "$want"; else echo "$rest"; fi
}
status_of() {  # IDS...: ok, timeout or failed from the commands' exit codes
  local s=ok id rc
  for id in "$@"; do
    rc="$(cat "$work/$id.rc" 2>/dev/null || echo 1)"
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then s=timeout; elif [ "$rc" != 0 ] && [ "$s" = ok ]; then s=failed; fi
  done
  echo "$s"
}
overall=0
end() {  # NAME STATUS [gpu_check.py stage options...]
  local name="$1" st="$2" el; shift 2
  el="$(since "$stage_start")"
  [ "$st" = ok ] || overall=1
  py stage "$json" "$name" --work "$work" --status "$st" --elapsed "$el" "$@"
  python3 "$here/render-doc.py" "$json" >"$out_dir/gpu.md" || true
  echo "device-check: stage $name $st in ${el}s"
}
keep_db() { # copy small databases back for later analysis
  local f; for f in "$@"; do [ -f "$work/$f" ] && [ "$(du -k "$work/$f" | cut -f1)" -lt 4096 ] && cp "$work/$f" "$out_dir/logs/" || true; done
}
matrix() {  # NAME FILE FINAL-FIDELITY BATCH SEEDS BASELINE ALGORITHMS-YAML
  cat >"$2" <<EOF
name: $1
description: written by scripts/gpu/device-check.sh
datasets: [fashion-mnist]
space: nb201
search-fidelity: {channels: 4, cells: 1, epochs: 1, train-subset: 600, resolution: 12}
final-fidelity: $3
protocol: {batch-size: $4}
seeds: $5
baseline-size: $6
algorithms: $7
EOF
}

shown_cmd="scripts/gpu/device-check.sh --budget-s $budget"
[ "$stages" = "env,a,b,c,d,e,f,g" ] || shown_cmd+=" --stages $stages"
[ "$dry" = 1 ] && shown_cmd+=" --dry-run"
bench_shown="${bench_cmd[*]}"
bench_shown="${bench_shown//"$root/"/}"
bench_shown="${bench_shown//"$work/"/}"
bench_env="TRICKBENCH_DATA=.gpu/data CUBLAS_WORKSPACE_CONFIG=$CUBLAS_WORKSPACE_CONFIG${TRICKBENCH_LIBTORCH:+ TRICKBENCH_LIBTORCH=$TRICKBENCH_LIBTORCH}"
py init "$json" --command "$shown_cmd" --bench "$bench_env $bench_shown" --budget-s "$budget" $([ "$dry" = 1 ] && echo --dry-run)

# --- env: the machine, and DJL's JNI for this torch ----------------------------------------------------
if begin env 150 20; then
  { nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader,nounits 2>/dev/null || true; } >"$work/nvidia-smi.txt"
  { g++ --version 2>/dev/null | head -n1 || true; } >"$work/gxx.txt"
  { python3 --version 2>&1 || true; } >"$work/python.txt"
  { "$java_bin" -version 2>&1 | head -n1 || true; } >"$work/java.txt"
  nproc >"$work/nproc.txt"
  { . /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"; } >"$work/os.txt" || true
  { grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //' || true; } >"$work/cpu.txt"
  {
    printf '{'; sep=""
    for p in .gpu/jre .gpu/trickbench-gpu.jar .gpu/djl-native .gpu/data; do
      [ -e "$p" ] && printf '%s"%s": %s' "$sep" "$p" "$(du -sk "$p" | awk '{ printf "%.1f", $1 / 1024 }')" && sep=", "
    done
    printf '}\n'
  } >"$work/sizes.json"
  jni_args=(--torch python --djl-src .gpu/djl-native)
  [ "$dry" = 1 ] && jni_args+=(--check-only)
  [ "$dry" = 1 ] && [ -n "$peer_python" ] && jni_args+=(--python "$peer_python")
  run_cmd env-jni "$(limit 160)" "$here/build-jni.sh" "${jni_args[@]}"
  jni_rc="$(cat "$work/env-jni.rc")"
  [ "$dry" = 0 ] && [ "$jni_rc" != 0 ] && gpu_ready=0
  end env "$(status_of env-jni)"
fi
skip_unready() {  # a stage that trains on the GPU makes no sense without the JNI
  if [ "$gpu_ready" = 0 ] && want "$1"; then
    py stage "$json" "$1" --work "$work" --status skipped --elapsed 0 --reason "the JNI build failed (stage env)"
    overall=1
    return 0
  fi
  return 1
}

# --- a: the presets ------------------------------------------------------------------------------------
if ! skip_unready a && begin a 80 15; then
  if [ "$dry" = 1 ]; then
    # The presets' shapes at tiny sizes: smoke's random baseline only, and a search with the baseline.
    matrix smoke-tiny "$work/smoke-tiny.yaml" "{channels: 4, cells: 1, epochs: 1, train-subset: 200, resolution: 8}" 50 "[0]" 2 "[]"
    matrix tiny "$work/tiny.yaml" "{channels: 4, cells: 1, epochs: 1, train-subset: 200, resolution: 8}" 50 "[0]" 1 \
      "[{id: random-search, params: {candidates: 2}}]"
    smoke_name=smoke-tiny; smoke_arg="$work/smoke-tiny.yaml"; ci_arg="$work/tiny.yaml"
  else
    smoke_name=smoke; smoke_arg=smoke; ci_arg=ci
  fi
  bench "a-$smoke_name" "$(limit 20)" run --matrix "$smoke_arg" --device "$device" --db "$work/a-$smoke_name.db"
  bench "a-$ci_matrix" "$(limit 60)" run --matrix "$ci_arg" --device "$device" --parallel 4 --db "$work/a-$ci_matrix.db"
  keep_db "a-$smoke_name.db"
  end a "$(status_of "a-$smoke_name" "a-$ci_matrix")" --names "$smoke_name" "$ci_matrix"
fi

# --- c: against PyTorch eager -------------------------------------------------------------------------
if ! skip_unready c && begin c 60 20; then
  peer=(); [ -n "$peer_python" ] && peer=(--peer pytorch --python "$peer_python")
  ci_perf=(--matrix ci); [ "$dry" = 1 ] && ci_perf=(--matrix "$work/tiny.yaml")
  [ "$dry" = 1 ] && [ ! -f "$work/tiny.yaml" ] && matrix tiny "$work/tiny.yaml" "{channels: 4, cells: 1, epochs: 1, train-subset: 200, resolution: 8}" 50 "[0]" 1 "[]"
  bench c-ci "$(limit 30)" perf "${ci_perf[@]}" "${perf_steps[@]}" "${peer[@]}" --device "$device" --json
  cp "$work/c-ci.log" "$work/c-ci.json"
  bench c-c16n5 "$(limit 35)" perf "${perf_big[@]}" "${perf_steps[@]}" "${peer[@]}" --device "$device" --json
  cp "$work/c-c16n5.log" "$work/c-c16n5.json"
  end c "$(status_of c-ci c-c16n5)" --names ci c16n5 $([ -z "$peer_python" ] && echo --note "no Python with torch: no --peer")
fi

# --- e: what deterministic mode costs ----------------------------------------------------------------
if ! skip_unready e && begin e 35 15; then
  bench e-deterministic "$(limit 17)" perf "${perf_big[@]}" "${perf_steps[@]}" --deterministic --device "$device" --json
  cp "$work/e-deterministic.log" "$work/e-deterministic.json"
  bench e-nondeterministic "$(limit 17)" perf "${perf_big[@]}" "${perf_steps[@]}" --no-deterministic --device "$device" --json
  cp "$work/e-nondeterministic.log" "$work/e-nondeterministic.json"
  end e "$(status_of e-deterministic e-nondeterministic)" --names deterministic nondeterministic
fi

# --- g: run batching ------------------------------------------------------------------------------------
# K runs as one grouped network (bench run --batch-runs K): the training steps alone (bench perf) and the
# wall time of eight smoke-size trainings of one cell, one at a time and batched.
if ! skip_unready g && begin g 60 20; then
  if [ "$dry" = 1 ]; then
    g_k=2
    g_perf=(--channels 4 --cells 1 --resolution 8 --batch-size 32 "${perf_steps[@]}")
    sed 's/channels: 8, cells: 1, epochs: 2, train-subset: 2000, resolution: 16/channels: 4, cells: 1, epochs: 1, train-subset: 200, resolution: 8/; s/seeds: \[0, 1, 2, 3, 4, 5, 6, 7\]/seeds: [0, 1]/' \
      scripts/perf/batch-runs.yaml >"$work/g-matrix.yaml"
  else
    g_k=8
    g_perf=(--matrix smoke --steps 10 --warmup 2 --rounds 2)
    cp scripts/perf/batch-runs.yaml "$work/g-matrix.yaml"
  fi
  bench g-perf "$(limit 25)" perf "${g_perf[@]}" --batch-runs "$g_k" --device "$device" --json
  cp "$work/g-perf.log" "$work/g-perf.json"
  for k in 1 "$g_k"; do
    bench "g-run-k$k" "$(limit 15)" run --matrix "$work/g-matrix.yaml" --device "$device" --batch-runs "$k" \
      --db "$work/g-run-k$k.db"
  done
  end g "$(status_of g-perf g-run-k1 "g-run-k$g_k")" --runs "$g_k"
fi

# --- d: trainings per hour against --parallel --------------------------------------------------------
if ! skip_unready d && begin d 60 20; then
  matrix gpu-parallel "$work/d-matrix.yaml" "{channels: 8, cells: 1, epochs: 3, train-subset: 2000, resolution: 12}" 100 "[0]" \
    "$runs_per_level" "[]"
  [ "$dry" = 1 ] && sed -i 's/channels: 8, cells: 1, epochs: 3, train-subset: 2000, resolution: 12/channels: 4, cells: 1, epochs: 1, train-subset: 200, resolution: 8/' "$work/d-matrix.yaml"
  cp "$work/d-matrix.yaml" "$out_dir/logs/d-matrix.yaml"
  ids=()
  n_left="${#levels[@]}"
  for level in "${levels[@]}"; do
    # Each level gets an equal share of what is left of the stage.
    share=$(( (stage_deadline - $(date +%s)) / n_left )); n_left=$((n_left - 1))
    smi_pid=""
    if command -v nvidia-smi >/dev/null 2>&1; then
      nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits -lms 500 >"$work/d-p$level.smi.csv" 2>/dev/null &
      smi_pid=$!
    fi
    bench "d-p$level" "$(limit $((share / scale)))" run --matrix "$work/d-matrix.yaml" --device "$device" --parallel "$level" --db "$work/d-p$level.db"
    [ -n "$smi_pid" ] && { kill "$smi_pid" 2>/dev/null || true; wait "$smi_pid" 2>/dev/null || true; }
    ids+=("d-p$level")
  done
  end d "$(status_of "${ids[@]}")" --levels "${levels[@]}" --runs "$runs_per_level"
fi

# --- b: reproducibility with and without deterministic mode ---------------------------------------------
if ! skip_unready b && begin b 45 15; then
  matrix gpu-determinism "$work/b-matrix.yaml" \
    "{channels: 16, cells: 1, epochs: $b_epochs, train-subset: 2000, resolution: 16}" 100 "[0]" 0 \
    "[{id: fixed, params: {genotype: nb201-best}}]"
  [ "$dry" = 1 ] && sed -i 's/channels: 16, cells: 1/channels: 4, cells: 1/; s/train-subset: 2000, resolution: 16/train-subset: 200, resolution: 8/' "$work/b-matrix.yaml"
  cp "$work/b-matrix.yaml" "$out_dir/logs/b-matrix.yaml"
  ids=(b-deterministic-1 b-deterministic-2 b-nondeterministic-1 b-nondeterministic-2)
  for mode in deterministic nondeterministic; do
    flag=--deterministic; [ "$mode" = nondeterministic ] && flag=--no-deterministic
    # The two modes run at the same time, each pair's two trainings one after the other: a pair is only
    # compared with itself, and two processes at once halve the stage's time.
    (
      for i in 1 2; do
        bench "b-$mode-$i" "$(limit 22)" run --matrix "$work/b-matrix.yaml" --device "$device" "$flag" --db "$work/b-$mode-$i.db"
      done
    ) &
  done
  wait
  end b "$(status_of "${ids[@]}")"
fi

# --- f: which kernels are not deterministic (strict mode) --------------------------------------------
# scripts/gpu/audit-train.yaml (the final training with each training trick) and audit-search.yaml (every
# supernet search with each search trick), one epoch each, into one database.
if want f; then
  if [ "$dry" = 1 ]; then
    py stage "$json" f --work "$work" --status skipped --elapsed 0 --reason "dry run: the audit is about CUDA kernels"
  elif ! skip_unready f && begin f 90 20; then
    TRICKBENCH_DETERMINISM=strict bench f-audit-train "$(limit 35)" run --matrix "$here/audit-train.yaml" \
      --device "$device" --parallel 8 --db "$work/f-audit.db"
    TRICKBENCH_DETERMINISM=strict bench f-audit "$(limit 60)" run --matrix "$here/audit-search.yaml" \
      --device "$device" --parallel 8 --db "$work/f-audit.db"
    keep_db f-audit.db
    # Runs failing on a non-deterministic kernel are the finding, not a failure of the stage.
    st="$(status_of f-audit-train f-audit)"; [ "$st" = failed ] && st=ok
    end f "$st"
  fi
fi

py finish "$json" --elapsed "$(since "$t0")"
python3 "$here/render-doc.py" "$json" >"$out_dir/gpu.md" || overall=1
echo "device-check: done in $(since "$t0") s; $json and $out_dir/gpu.md"
exit "$overall"
