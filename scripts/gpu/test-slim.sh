#!/usr/bin/env bash
# Checks, on a CPU, what travels to a GPU node: harness/target/trickbench-gpu.jar (no libtorch) and the
# runtime of scripts/gpu/make-jre.sh. The node allows 64 MiB in all, a data subset and DJL's JNI source
# included, so sizes are bounded here; and the runtime leaves java.desktop out, so the commands are run
# on it:
#   - sizes: the gpu jar < 20 MB, the runtime < 60 MB, both together < 56 MiB (8 MiB left for the rest);
#   - the gpu jar holds no libtorch and only linux-x86_64 natives; the CPU jar still holds libtorch;
#   - on the runtime, the gpu jar answers --version (timed), --help and `list`, and reads a results
#     database (SQLite's JNI and java.sql);
#   - on the runtime, the CPU jar trains one tiny run on Fashion-MNIST and writes its report, so DJL,
#     JNA and libtorch start without the modules left out (data: $TRICKBENCH_DATA, else
#     /usr/share/datasets/fashion-mnist, the Debian package dataset-fashion-mnist);
#   - a command that needs libtorch fails on the gpu jar without one, with no stack trace.
# Nothing is downloaded: DJL runs offline, with an empty engine cache for the gpu jar.
#
# Usage: scripts/gpu/test-slim.sh [--no-build] [--jre DIR]
#   --no-build  use the jars under harness/target as they are (default: build them with Maven first)
#   --jre DIR   use this runtime (e.g. .gpu/jre) instead of building one into a temporary folder
# Exit: 0 all checks passed; 1 some failed (each is listed); 2 usage error.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
gpu_jar="$root/harness/target/trickbench-gpu.jar"
cpu_jar="$root/harness/target/trickbench.jar"
build=1
jre=""

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --jre) [ $# -ge 2 ] || { echo "test-slim: --jre needs a directory" >&2; exit 2; }; jre="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "test-slim: unknown argument '$1' (allowed: --no-build, --jre DIR, --help)" >&2; exit 2 ;;
  esac
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
ok() { echo "test-slim: ok    $*"; }
bad() { echo "test-slim: FAIL  $*"; failures=$((failures + 1)); }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

if [ "$build" = 1 ]; then
  echo "test-slim: building the jars ..."
  (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests -pl harness -am package)
fi
for j in "$gpu_jar" "$cpu_jar"; do
  [ -f "$j" ] || { echo "test-slim: $j is missing (run without --no-build)" >&2; exit 2; }
done
if [ -z "$jre" ]; then
  jre="$tmp/jre"
  "$root/scripts/gpu/make-jre.sh" --out "$jre" --jar "$gpu_jar"
fi
java="$jre/bin/java"
[ -x "$java" ] || { echo "test-slim: $java is not there; is $jre a runtime from scripts/gpu/make-jre.sh?" >&2; exit 2; }

# --- sizes -------------------------------------------------------------------------------------------
jar_bytes=$(stat -c %s "$gpu_jar")
jre_bytes=$(du -sb "$jre" | cut -f1)
both=$((jar_bytes + jre_bytes))
echo "test-slim: gpu jar $(mib "$jar_bytes"), runtime $(mib "$jre_bytes"), together $(mib "$both"); CPU jar $(mib "$(stat -c %s "$cpu_jar")")"
[ "$jar_bytes" -lt 20000000 ] && ok "gpu jar under 20 MB" || bad "gpu jar is $jar_bytes bytes, not under 20 MB"
[ "$jre_bytes" -lt 60000000 ] && ok "runtime under 60 MB" || bad "runtime is $jre_bytes bytes, not under 60 MB"
[ "$both" -lt $((56 * 1048576)) ] && ok "gpu jar + runtime under 56 MiB" \
  || bad "gpu jar + runtime are $both bytes, not under 56 MiB: too little of the node's 64 MiB is left"

# --- what the jars hold ------------------------------------------------------------------------------
# Listed once: `grep -q` on unzip's pipe would stop it early, and pipefail would count that a failure.
unzip -Z1 "$gpu_jar" >"$tmp/gpu.list"
unzip -Z1 "$cpu_jar" >"$tmp/cpu.list"
# natives LIST DIRS: the listed native libraries outside the folders DIRS (an alternation, a|b|c).
natives() { grep -E '\.(so(\.[0-9]+)*|dll|dylib|jnilib|a)$' "$1" | grep -v -E "^($2)/[^/]+\$" || true; }
linux_x86_64='org/sqlite/native/Linux/x86_64|com/sun/jna/linux-x86-64|jnilib/linux-x86_64/cu128'
stray="$(natives "$tmp/gpu.list" "$linux_x86_64")"
[ -z "$stray" ] && ok "gpu jar: natives for linux-x86_64 only, no libtorch, DJL's JNI for cu128 only" \
  || bad "gpu jar holds natives it should not: $(echo $stray)"
grep -q -E '(^|/)libtorch[^/]*$|^native/lib/' "$tmp/gpu.list" \
  && bad "gpu jar holds libtorch or its pytorch.properties" || ok "gpu jar: no libtorch"
stray="$(natives "$tmp/cpu.list" "$linux_x86_64|jnilib/linux-x86_64/cpu|pytorch/cpu/linux-x86_64")"
[ -z "$stray" ] && ok "CPU jar: natives for linux-x86_64 only" || bad "CPU jar holds other natives: $(echo $stray)"
grep -q -x 'pytorch/cpu/linux-x86_64/libtorch_cpu.so' "$tmp/cpu.list" \
  && ok "CPU jar: still holds libtorch" || bad "CPU jar lost libtorch_cpu.so"
"$java" --list-modules >"$tmp/modules"
grep -q '^java.desktop@' "$tmp/modules" && bad "the runtime holds java.desktop" || ok "runtime without java.desktop"

# --- commands on the runtime -------------------------------------------------------------------------
# bench_on JAR ARGS...: runs the jar on the runtime, offline, as `bench` runs it; sets code, out, err.
bench_on() {
  code=0
  env -u PYTORCH_LIBRARY_PATH -u PYTORCH_VERSION -u PYTORCH_FLAVOR DJL_OFFLINE=true \
    "$java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error -jar "$@" >"$tmp/out" 2>"$tmp/err" || code=$?
  out="$(cat "$tmp/out")" err="$(cat "$tmp/err")"
}
stack_trace() { grep -q -E '^[[:space:]]+at [[:alnum:]_$.]+\(|^Caused by: |Exception in thread' <<<"$err"; }

start=$(date +%s%N)
bench_on "$gpu_jar" --version
ms=$((($(date +%s%N) - start) / 1000000))
[ "$code" = 0 ] && grep -q '^TrickBench ' <<<"$out" && ok "gpu jar --version: $out (${ms} ms)" \
  || bad "gpu jar --version: exit $code, $out $err"
bench_on "$gpu_jar" --help
[ "$code" = 0 ] && grep -q '^Usage: bench' <<<"$out" && ok "gpu jar --help" || bad "gpu jar --help: exit $code, $err"
bench_on "$gpu_jar" list algorithms
[ "$code" = 0 ] && grep -q '^random-search ' <<<"$out" && ok "gpu jar list algorithms" \
  || bad "gpu jar list algorithms: exit $code, $err"

cat >"$tmp/tiny.yaml" <<'EOF'
name: slim
description: one random genotype, one seed, one epoch at 8x8 on 256 images
datasets: [fashion-mnist]
space: nb201
search-fidelity: {channels: 4, cells: 1, epochs: 1, train-subset: 256, resolution: 8}
final-fidelity: {channels: 4, cells: 1, epochs: 1, train-subset: 256, resolution: 8}
protocol: {batch-size: 64}
seeds: [0]
baseline-size: 1
algorithms: []
EOF
bench_on "$cpu_jar" run --matrix "$tmp/tiny.yaml" --db "$tmp/results.db" --report --out "$tmp/reports"
[ "$code" = 0 ] && grep -q '^finished: 1 trained' <<<"$out" && [ -f "$tmp/reports/slim/index.html" ] \
  && ok "CPU jar on the runtime: one run trained and reported" \
  || bad "CPU jar on the runtime, run --matrix: exit $code, $(tail -3 <<<"$out") $(head -5 <<<"$err")"
bench_on "$gpu_jar" status --db "$tmp/results.db"
[ "$code" = 0 ] && grep -q '1 done' <<<"$out" && ok "gpu jar status reads the database: $(tail -1 <<<"$out")" \
  || bad "gpu jar status: exit $code, $out $err"

# An empty engine cache and JNI home, so no libtorch extracted or built earlier is found.
mkdir -p "$tmp/engine-cache" "$tmp/jni"
ENGINE_CACHE_DIR="$tmp/engine-cache" TRICKBENCH_JNI_HOME="$tmp/jni" bench_on "$gpu_jar" genotype 100
# The jar must say, in one line and with exit 2, that it carries no libtorch and how to point it at one.
if [ "$code" = 2 ] && ! stack_trace && [ "$(grep -c . <<<"$err")" = 1 ] \
    && grep -q "carries no libtorch" <<<"$err" && grep -q -- "--libtorch" <<<"$err"; then
  ok "gpu jar without libtorch: exit $code, $(head -1 <<<"$err")"
else
  bad "gpu jar without libtorch: exit $code, stderr: $(head -3 <<<"$err")"
fi

if [ "$failures" = 0 ]; then
  echo "test-slim: all checks passed"
else
  echo "test-slim: $failures check(s) failed"
  exit 1
fi
