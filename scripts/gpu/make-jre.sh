#!/usr/bin/env bash
# Builds a small, compressed Java runtime (jlink) that runs harness/target/trickbench-gpu.jar, so a
# GPU node with no Java of its own can run TrickBench: the runtime and the jar travel there together
# and must fit, with a data subset, in what the node accepts.
#
# The modules are the ones jdeps finds in the jar, minus those only code TrickBench never reaches
# needs (DROPPED below), plus those reached only through reflection or JNA (ADDED below). Without
# java.desktop the runtime is about half the size; bench's commands, training included, never load
# it (scripts/gpu/test-slim.sh runs them on this runtime).
#
# The runtime is a copy of this machine's JDK (Debian 12's, built against glibc 2.36): the node needs
# glibc >= 2.36 to be safe (the newest symbol version its libraries ask for is GLIBC_2.34), libstdc++
# and libz.so.1; `ldd <out>/lib/server/libjvm.so` on the node shows what is missing. Run it as
# <out>/bin/java -jar <jar> ...
#
# Usage: scripts/gpu/make-jre.sh [--out DIR] [--jar FILE]
#   --out DIR   where the runtime goes (default: .gpu/jre under the repository); replaced when it holds
#               an earlier runtime, refused when it holds anything else
#   --jar FILE  the jar whose dependencies decide the modules (default: harness/target/trickbench-gpu.jar,
#               built with Maven when missing)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.gpu/jre"
jar="$root/harness/target/trickbench-gpu.jar"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "make-jre: --out needs a directory" >&2; exit 2; }; out="$2"; shift 2 ;;
    --jar) [ $# -ge 2 ] || { echo "make-jre: --jar needs a file" >&2; exit 2; }; jar="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "make-jre: unknown argument '$1' (allowed: --out DIR, --jar FILE, --help)" >&2; exit 2 ;;
  esac
done

for tool in jdeps jlink; do
  command -v "$tool" >/dev/null || { echo "make-jre: $tool not found; it comes with a JDK 17 (Debian: openjdk-17-jdk-headless)" >&2; exit 2; }
done
if [ ! -f "$jar" ]; then
  [ "$jar" = "$root/harness/target/trickbench-gpu.jar" ] || { echo "make-jre: --jar $jar does not exist" >&2; exit 2; }
  echo "make-jre: building $jar ..." >&2
  (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests -pl harness -am package) >&2
fi

# Found by jdeps, never loaded by bench: java.desktop (DJL's image and audio classes, java.beans in
# Jackson's and SnakeYAML's optional bean support, JNA's AWT helpers, commons-math3's 2-D geometry) and
# java.compiler (DJL's compiling of Java translators, Error Prone's annotations).
DROPPED="java.desktop java.compiler"
# Invisible to jdeps: sun.misc.Unsafe, looked up by name (Gson, JNA); java.util.logging, which JNA and
# the SQLite driver log to (also required by java.sql).
ADDED="jdk.unsupported java.logging"

found="$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 "$jar")"
modules="$( { tr ',' '\n' <<<"$found"; tr ' ' '\n' <<<"$ADDED"; } | grep -v -x -F -f <(tr ' ' '\n' <<<"$DROPPED") | sort -u | paste -sd, -)"

if [ -e "$out" ]; then
  if [ -f "$out/release" ] && [ -x "$out/bin/java" ]; then
    rm -rf "$out"
  elif [ -d "$out" ] && [ -z "$(ls -A "$out")" ]; then
    rmdir "$out"
  else
    echo "make-jre: $out exists and is not a Java runtime; remove it or choose another --out" >&2
    exit 2
  fi
fi
mkdir -p "$(dirname "$out")"
jlink --add-modules "$modules" --compress=2 --no-header-files --no-man-pages --strip-debug --output "$out"
# Debian's libjvm.so keeps its symbol table (4 of its 24 MB), which jlink leaves in place; the JVM
# needs only the dynamic symbols, which --strip-unneeded keeps (hs_err crash logs lose frame names).
if command -v strip >/dev/null; then
  find "$out/lib" -name '*.so' -exec strip --strip-unneeded {} +
else
  echo "make-jre: strip (binutils) not found; the runtime keeps its native symbol tables (about 4 MB more)" >&2
fi

echo "make-jre: $out: $(du -sh "$out" | cut -f1) ($(du -sb "$out" | cut -f1) bytes), modules: $modules"
