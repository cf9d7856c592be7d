#!/usr/bin/env bash
# The test command of README: makes sure the Debian packages the tests use are installed, then runs
# the whole Maven build with every module's tests (arguments go to Maven), then the GPU tooling's CPU
# tests (scripts/gpu/test-*.sh). The tests read the real
# Fashion-MNIST from /usr/share/datasets/fashion-mnist (dataset-fashion-mnist), the PyTorch peer of
# `bench perf` runs on Debian's /usr/bin/python3 with its PyTorch (python3-torch), and one opens a
# report in chromium through its chromedriver (chromium, chromium-driver), which
# -Dtrickbench.skipBrowser skips and -Dtrickbench.chromium=... / -Dtrickbench.chromedriver=... point
# elsewhere. As root, scripts/ensure-packages.sh installs what is missing; otherwise it prints the
# command that does and this exits 2 (1 when an install as root failed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

data=/usr/share/datasets/fashion-mnist
needs=()
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  needs+=("dataset-fashion-mnist=$data/$f")
done
needs+=("python3-torch=/usr/lib/python3/dist-packages/torch/__init__.py")
# The GPU tooling's CPU tests: unzip lists the slim jar, strip shrinks the jlink runtime.
needs+=("unzip=/usr/bin/unzip" "binutils=/usr/bin/strip")
browser=1 chromium=1 driver=1
for arg in "$@"; do
  case "$arg" in
    -Dtrickbench.skipBrowser|-Dtrickbench.skipBrowser=*) browser=0 ;;
    -Dtrickbench.chromium=*) chromium=0 ;;
    -Dtrickbench.chromedriver=*) driver=0 ;;
  esac
done
if [ "$browser" = 1 ]; then
  [ "$chromium" = 1 ] && needs+=("chromium=/usr/bin/chromium")
  [ "$driver" = 1 ] && needs+=("chromium-driver=/usr/bin/chromedriver")
fi
code=0
"$root/scripts/ensure-packages.sh" "${needs[@]}" || code=$?
if [ "$code" != 0 ]; then
  if [ "$browser" = 1 ] && ! { [ -s /usr/bin/chromium ] && [ -s /usr/bin/chromedriver ]; }; then
    echo "(scripts/test.sh -Dtrickbench.skipBrowser skips the browser test and needs no chromium.)" >&2
  fi
  exit "$code"
fi
cd "$root"
mvn -B verify "$@"
# What a GPU node gets, checked on this CPU: the JNI build script's checks and flags on fake torch
# installs, and the slim jar on the jlink runtime (both built by the verify above).
scripts/gpu/test-build-jni.sh
scripts/gpu/test-slim.sh --no-build
