#!/usr/bin/env bash
# Builds the JMH benchmarks' shaded jar and runs it with short settings: one fork, one warm-up
# iteration and three measured ones of a second each (single-shot benchmarks run three times). Minutes,
# not the half hour JMH's defaults would take. Every argument goes to JMH; a setting given there
# replaces the short one, and a regular expression picks benchmarks:
#
#   scripts/jmh.sh                               all of them
#   scripts/jmh.sh MixedOp -p size=16x32         one class, one parameter value
#   scripts/jmh.sh Store -i 5 -r 3s              longer measurement
#   scripts/jmh.sh -rf json -rff jmh.json        results as JSON too
#   scripts/jmh.sh -l                            list the benchmarks
#   JMH_FULL=1 scripts/jmh.sh                    the settings written on each benchmark class
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/benchmarks/target/benchmarks.jar"

if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root"/{core,tricks,algorithms,harness,benchmarks}/pom.xml \
    "$root"/{core,tricks,algorithms,harness,benchmarks}/src/main -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "jmh: building $jar ..." >&2
  (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests -pl benchmarks -am package) >&2
fi

short=()
given() {
  local flag="$1"; shift
  local a
  for a in "$@"; do [ "$a" = "$flag" ] && return 0; done
  return 1
}
if [ -z "${JMH_FULL:-}" ]; then
  for pair in "-f 1" "-wi 1" "-w 1s" "-i 3" "-r 1s"; do
    flag="${pair%% *}"
    given "$flag" "$@" || short+=($pair)
  done
fi

# libtorch's intra-op threads follow the cores, as for bench.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$jar" "${short[@]}" "$@"
