#!/usr/bin/env bash
# Copies from a DJL v0.36.0 source tree just what scripts/gpu/build-jni.sh compiles (the PyTorch JNI's
# .cc/.h files and api's djl/utils.h), and adds what would otherwise need a JDK on the build machine:
# the JNI header that `javac -h` generates from PyTorchLibrary.java, and the JDK's jni.h and jni_md.h.
# A GPU machine with a torch but no Java can then build the JNI from the result alone. Works offline;
# DJL's files are Apache-2.0 and stay out of the repository (the default output, .gpu/, is git-ignored).
#
# Output layout (what build-jni.sh recognises by djl-source.properties):
#   djl-source.properties   djl_version, source (where the files came from)
#   native/*.cc *.h         engines/pytorch/pytorch-native/src/main/native
#   include/djl/utils.h     api/src/main/native/djl/utils.h
#   include/ai_djl_pytorch_jni_PyTorchLibrary.h
#   jni/jni.h jni/jni_md.h
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/gpu/prepare-djl-src.sh --djl-src DIR [--out DIR]
       scripts/gpu/prepare-djl-src.sh --djl-git GITDIR [--tag TAG] [--out DIR]

Prepares DJL's PyTorch JNI sources for scripts/gpu/build-jni.sh on a machine without a JDK.

  --djl-src DIR   a DJL v0.36.0 checkout or unpacked source tarball
  --djl-git DIR   a DJL git repository (a clone or bare mirror); --tag (default v0.36.0) is exported
  --out DIR       output folder (default: .gpu/djl-native in the repository); replaced if present
  -h, --help      this text

Needs javac (a JDK 8+) on PATH or under $JAVA_HOME. Exit 2 when the sources or the JDK are missing.
EOF
}

die() { echo "prepare-djl-src: $*" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DJL_VERSION=0.36.0
src="" git_dir="" tag="v$DJL_VERSION" out="$root/.gpu/djl-native"
while [ $# -gt 0 ]; do
  case "$1" in
    --djl-src) src="${2:?--djl-src needs DIR}"; shift 2 ;;
    --djl-git) git_dir="${2:?--djl-git needs DIR}"; shift 2 ;;
    --tag) tag="${2:?--tag needs TAG}"; shift 2 ;;
    --out) out="${2:?--out needs DIR}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1'; see --help" ;;
  esac
done
[ -n "$src" ] || [ -n "$git_dir" ] || die "--djl-src DIR or --djl-git DIR is required; see --help"

javac_bin=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then javac_bin="$JAVA_HOME/bin/javac"; fi
[ -n "$javac_bin" ] || javac_bin="$(command -v javac || true)"
[ -n "$javac_bin" ] || die "javac not found (needed for the JNI header); fix: install a JDK (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
jdk="$(dirname "$(dirname "$(readlink -f "$javac_bin")")")"
[ -f "$jdk/include/jni.h" ] && [ -f "$jdk/include/linux/jni_md.h" ] \
  || die "jni.h / jni_md.h not found under $jdk/include; fix: install a full JDK (not a JRE) or set JAVA_HOME"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/prepare-djl-src.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
if [ -n "$git_dir" ]; then
  git -C "$git_dir" rev-parse --verify -q "$tag^{commit}" >/dev/null \
    || die "--djl-git $git_dir has no tag $tag; fix: fetch the tag or pass --djl-src"
  mkdir -p "$tmp/djl"
  git -C "$git_dir" archive "$tag" engines/pytorch/pytorch-native/src/main/native \
    engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java \
    api/src/main/native gradle/libs.versions.toml | tar -x -C "$tmp/djl"
  src="$tmp/djl"
  origin="git tag $tag"
else
  [ -d "$src" ] || die "--djl-src $src does not exist; fix: pass a DJL v$DJL_VERSION checkout or unpacked tarball"
  origin="source tree $(basename "$(cd "$src" && pwd)")"
fi

native="$src/engines/pytorch/pytorch-native/src/main/native"
utils="$src/api/src/main/native/djl/utils.h"
java_src="$src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
compgen -G "$native/*.cc" >/dev/null || die "no *.cc in $native; fix: pass a DJL v$DJL_VERSION source tree (engines/pytorch/pytorch-native)"
[ -f "$utils" ] || die "$utils missing; fix: pass a DJL source tree that includes api/src/main/native"
[ -f "$java_src" ] || die "$java_src missing; fix: pass a DJL source tree that includes engines/pytorch/pytorch-engine"
found=""
if [ -f "$src/gradle/libs.versions.toml" ]; then
  found="$(sed -nE 's/^djl[[:space:]]*=[[:space:]]*"([^"]+)".*/\1/p' "$src/gradle/libs.versions.toml" | head -n1)"
  [ -z "$found" ] || [ "$found" = "$DJL_VERSION" ] || die "$src is DJL $found, not v$DJL_VERSION; fix: check out tag v$DJL_VERSION"
fi
[ -n "$found" ] || echo "prepare-djl-src: warning: cannot tell the DJL version of $src (no gradle/libs.versions.toml); recording v$DJL_VERSION as assumed" >&2

stage="$tmp/out"
mkdir -p "$stage/native" "$stage/include/djl" "$stage/jni"
cp "$native"/*.cc "$native"/*.h "$stage/native/"
cp "$utils" "$stage/include/djl/utils.h"
# PyTorchLibrary imports only java.*, so it compiles alone; -h writes the header of its native methods.
"$javac_bin" -h "$stage/include" -d "$tmp/classes" "$java_src"
[ -f "$stage/include/ai_djl_pytorch_jni_PyTorchLibrary.h" ] || die "javac -h wrote no ai_djl_pytorch_jni_PyTorchLibrary.h"
cp "$jdk/include/jni.h" "$stage/jni/jni.h"
cp "$jdk/include/linux/jni_md.h" "$stage/jni/jni_md.h"
cat >"$stage/djl-source.properties" <<EOF
# Written by scripts/gpu/prepare-djl-src.sh; read by scripts/gpu/build-jni.sh.
djl_version=${found:-$DJL_VERSION}
version_detected=$([ -n "$found" ] && echo true || echo false)
source=$origin
jdk=$("$javac_bin" -version 2>&1 | head -n1)
EOF
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$stage" "$out"
echo "prepare-djl-src: $(ls "$out/native" | wc -l) native files, utils.h, JNI header and jni.h in $out ($(du -sh "$out" | cut -f1))"
