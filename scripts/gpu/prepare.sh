#!/usr/bin/env bash
# Prepares .gpu/ (git-ignored) on a machine with a JDK and Maven, for scripts/gpu/device-check.sh on a
# GPU machine that has a torch but no Java, no Maven and no network:
#   .gpu/trickbench-gpu.jar  the slim harness jar (no bundled libtorch: the machine's own torch is used)
#   .gpu/jre/                a jlinked Java runtime (scripts/gpu/make-jre.sh)
#   .gpu/djl-native/         DJL's JNI sources with the JNI header and jni.h (prepare-djl-src.sh)
#   .gpu/data/               a Fashion-MNIST subset (make-subset.py)
# and checks that .gpu/ plus the tracked files stay under the 64 MiB a copy of the working tree may
# carry, printing each part's size.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/gpu/prepare.sh (--djl-src DIR | --djl-git GITDIR) [--fmnist DIR] [--limit-mib N] [--skip-build]

  --djl-src DIR    a DJL v0.36.0 checkout or unpacked source tarball
  --djl-git DIR    a DJL git repository holding tag v0.36.0 (exported with git archive)
  --fmnist DIR     the full Fashion-MNIST files (default: /usr/share/datasets/fashion-mnist)
  --limit-mib N    size limit of .gpu/ plus tracked files (default: 64)
  --skip-build     reuse harness/target/trickbench-gpu.jar instead of running Maven
  -h, --help       this text

Then carry .gpu to the GPU machine and run scripts/gpu/device-check.sh there.
Exit 2 when something it needs is missing (one line saying what and the fix); 1 when over the limit.
EOF
}

die() { echo "prepare: $*" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
gpu="$root/.gpu"
djl_args=() fmnist=/usr/share/datasets/fashion-mnist limit=64 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --djl-src|--djl-git) djl_args=("$1" "${2:?$1 needs DIR}"); shift 2 ;;
    --fmnist) fmnist="${2:?--fmnist needs DIR}"; shift 2 ;;
    --limit-mib) limit="${2:?--limit-mib needs N}"; shift 2 ;;
    --skip-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1'; see --help" ;;
  esac
done
[ "${#djl_args[@]}" -gt 0 ] || die "--djl-src DIR or --djl-git GITDIR is required (DJL v0.36.0 sources); see --help"
mkdir -p "$gpu"

jar="$root/harness/target/trickbench-gpu.jar"
if [ "$build" = 1 ]; then
  command -v mvn >/dev/null || die "mvn not found; fix: install Maven, or pass --skip-build with a built $jar"
  echo "prepare: building the harness (mvn -o -q -pl harness -am package -DskipTests) ..."
  (cd "$root" && mvn -o -q -pl harness -am package -DskipTests)
fi
[ -f "$jar" ] || die "$jar missing after the build: this checkout does not build the slim GPU jar yet (harness/pom.xml); fix: build it, then rerun"
cp "$jar" "$gpu/trickbench-gpu.jar"

if [ -x "$root/scripts/gpu/make-jre.sh" ]; then
  "$root/scripts/gpu/make-jre.sh"
else
  echo "prepare: warning: scripts/gpu/make-jre.sh not in this checkout; .gpu/jre not made (device-check.sh needs it on a machine without Java)" >&2
fi
"$root/scripts/gpu/prepare-djl-src.sh" "${djl_args[@]}" --out "$gpu/djl-native"
"$root/scripts/gpu/make-subset.py" --src "$fmnist" --out "$gpu/data"

# Sizes in KiB: each .gpu part, and the tracked files (what a working-tree copy carries besides .gpu).
kib() { du -sk "$1" 2>/dev/null | cut -f1; }
total=0
printf 'prepare: sizes\n'
for part in trickbench-gpu.jar jre djl-native data; do
  if [ -e "$gpu/$part" ]; then s="$(kib "$gpu/$part")"; else s=0; fi
  total=$((total + s))
  printf '  %-22s %8.1f MiB\n' ".gpu/$part" "$(awk -v k="$s" 'BEGIN { print k / 1024 }')"
done
other="$(( $(kib "$gpu") - total ))"
[ "$other" -gt 0 ] && printf '  %-22s %8.1f MiB\n' ".gpu/(other)" "$(awk -v k="$other" 'BEGIN { print k / 1024 }')"
total=$((total + (other > 0 ? other : 0)))
tracked="$(cd "$root" && git ls-files -z | xargs -0 du -ck 2>/dev/null | tail -n1 | cut -f1)"
printf '  %-22s %8.1f MiB\n' "tracked files" "$(awk -v k="$tracked" 'BEGIN { print k / 1024 }')"
total=$((total + tracked))
printf '  %-22s %8.1f MiB (limit %d MiB)\n' "total" "$(awk -v k="$total" 'BEGIN { print k / 1024 }')" "$limit"
if [ "$total" -gt $((limit * 1024)) ]; then
  echo "prepare: .gpu/ plus the tracked files exceed $limit MiB; fix: shrink the data subset (make-subset.py --train) or the runtime (make-jre.sh)" >&2
  exit 1
fi
echo "prepare: ready; on the GPU machine run: scripts/gpu/device-check.sh"
