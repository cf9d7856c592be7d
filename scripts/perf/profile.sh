#!/usr/bin/env bash
# Where a training step's time goes, two ways, for one configuration of `bench perf`:
#   1. Java Flight Recorder over the whole `bench perf` process: the main thread's sampled time split
#      into libtorch calls (through DJL's JNI), other native code, and Java by package
#      (scripts/perf/jfr_split.py);
#   2. libtorch's own profiler over the harness loop's timed steps (`bench perf --op-trace`): the
#      operations a step issues, the time inside them and the heaviest ones.
# Usage: scripts/perf/profile.sh [BENCH PERF OPTIONS...]   e.g. scripts/perf/profile.sh --matrix smoke --steps 30
# Writes perf.jfr, trace.json and perf.json to $PROFILE_OUT (default target/profile) and prints both
# breakdowns. Measure on an idle machine: other processes distort every number.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${PROFILE_OUT:-$root/target/profile}"
mkdir -p "$out"
command -v jfr >/dev/null || { echo "profile.sh: the JDK's jfr tool is not on PATH" >&2; exit 2; }
TRICKBENCH_JAVA_OPTS="-Xmx4g -Xlog:jfr+startup=error -XX:StartFlightRecording=settings=profile,filename=$out/perf.jfr" \
  "$root/bench" perf "$@" --op-trace "$out/trace.json" --json > "$out/perf.json"
jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample "$out/perf.jfr" \
  | python3 "$root/scripts/perf/jfr_split.py" main
python3 - "$out/perf.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
s, t = p["setup"], p["op_trace"]
print("bench perf: C=%d, N=%d, %s px, batch %d, %s convolutions; harness median %.1f ms/step, bare %.1f"
      % (s["channels"], s["cells"], s["resolution"] or "native", s["batch_size"], s["conv_backend"],
         p["harness"]["medianMillis"], p["bare"]["medianMillis"]))
print("libtorch's profiler over %d timed steps: %.1f calls from Java and %.1f autograd nodes a step;"
      " %.2f ms a step (profiler on), %.2f ms inside libtorch, %.1f%% outside"
      % (t["steps"], t["ops_per_step"], t["backward_nodes_per_step"], t["wall_ms_per_step"],
         t["inside_ms_per_step"], 100 * t["outside_share"]))
print("libtorch allocations a step: %.1f MiB in %.1f operations' results"
      % (t["allocated_bytes_per_step"] / 2**20, t["allocations_per_step"]))
for op in t["heaviest"]:
    print("  %-44s %8.1f calls %9.2f ms" % (op["name"], op["calls_per_step"], op["ms_per_step"]))
PY
echo "files: $out/perf.jfr $out/trace.json $out/perf.json"
