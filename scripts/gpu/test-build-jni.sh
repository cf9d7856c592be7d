#!/usr/bin/env bash
# CPU test of scripts/gpu/build-jni.sh, in seconds and without a torch, DJL or a real compile: fake torch
# folders (version.py, include/, lib/, TorchConfig.cmake), fake DJL sources (a checkout and a prepared
# folder) and a stub compiler (CXX) that records its arguments and writes its -o file. It asserts each
# prerequisite check's exit code and message, the skip for torch 2.7.1 cpu/cu128, the flags (ABI,
# -DUSE_CUDA, includes, libraries, rpath) and the installed layout with build-info.properties.
set -euo pipefail

if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
  echo "Usage: scripts/gpu/test-build-jni.sh   (no arguments; exit 0 when every case passes)"
  exit 0
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$here/build-jni.sh"
t="$(mktemp -d "${TMPDIR:-/tmp}/test-build-jni.XXXXXX")"
trap 'rm -rf "$t"' EXIT
failures=0 cases=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect RC PATTERN CMD...: runs CMD, checks its exit code and that its output matches PATTERN (ERE).
expect() {
  local rc="$1" pattern="$2"; shift 2
  cases=$((cases + 1))
  local out code=0
  out="$("$@" 2>&1)" || code=$?
  if [ "$code" != "$rc" ]; then fail "exit $code, wanted $rc: $*"$'\n'"$out"; return; fi
  if ! grep -qE -- "$pattern" <<<"$out"; then fail "output lacks /$pattern/: $*"$'\n'"$out"; fi
  LAST_OUT="$out"
}
# has PATTERN FILE / lacks PATTERN FILE: assertions on the stub compiler's recorded arguments.
has() { cases=$((cases + 1)); grep -qE -- "$1" "$2" || fail "$2 lacks /$1/"; }
lacks() { cases=$((cases + 1)); ! grep -qE -- "$1" "$2" || fail "$2 has /$1/"; }

# --- fixtures ---------------------------------------------------------------------------------------
# fake_torch DIR VERSION CUDA(None|'x.y') ABI(0|1|-) [extra libs...]
fake_torch() {
  local dir="$1" version="$2" cuda="$3" abi="$4"; shift 4
  mkdir -p "$dir/include/ATen" "$dir/include/torch/csrc/api/include/torch" "$dir/lib" "$dir/share/cmake/Torch"
  : >"$dir/__init__.py"
  printf "__version__ = '%s'\ndebug = False\ncuda: Optional[str] = %s\nhip: Optional[str] = None\n" \
    "$version" "$cuda" >"$dir/version.py"
  : >"$dir/include/ATen/ATen.h"
  : >"$dir/include/torch/csrc/api/include/torch/torch.h"
  for l in torch torch_cpu c10 "$@"; do : >"$dir/lib/lib$l.so"; done
  if [ "$abi" != - ]; then
    printf 'if(CMAKE_SYSTEM_NAME STREQUAL "Linux")\n  set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=%s")\nendif()\n' \
      "$abi" >"$dir/share/cmake/Torch/TorchConfig.cmake"
  fi
}
cuda_libs=(torch_cuda c10_cuda)
fake_torch "$t/cu130/torch" 2.11.0+cu130 "'13.0'" 1 "${cuda_libs[@]}"
# pip's CUDA wheels put the toolkit headers next to the torch package (site-packages/nvidia/*/include).
mkdir -p "$t/cu130/nvidia/cuda_runtime/include" && : >"$t/cu130/nvidia/cuda_runtime/include/cuda_runtime_api.h"
for d in cu126-271 cu130-212; do
  mkdir -p "$t/$d/nvidia/cuda_runtime/include" && : >"$t/$d/nvidia/cuda_runtime/include/cuda_runtime_api.h"
done
fake_torch "$t/cu130-212/torch" 2.12.0+cu130 "'13.0'" 1 "${cuda_libs[@]}"
fake_torch "$t/cudanohdr/torch" 2.11.0+cu130 "'13.0'" 1 "${cuda_libs[@]}"
# No toolkit outside the fake site-packages, whatever this machine has.
export CUDA_HOME="$t/no-cuda-toolkit"
fake_torch "$t/cpu/torch" 2.11.0+cpu None 0
fake_torch "$t/cu128-271/torch" 2.7.1+cu128 "'12.8'" 1 "${cuda_libs[@]}"
fake_torch "$t/cpu-271/torch" 2.7.1 None 1
fake_torch "$t/cu126-271/torch" 2.7.1 "'12.6'" 1 "${cuda_libs[@]}"
fake_torch "$t/nocudalib/torch" 2.11.0+cu130 "'13.0'" 1 c10_cuda
fake_torch "$t/noabi/torch" 2.11.0+cpu None -
fake_torch "$t/noheaders/torch" 2.11.0+cpu None 1
rm -rf "$t/noheaders/torch/include/torch"
mkdir -p "$t/noversion"

# A prepared folder, as scripts/gpu/prepare-djl-src.sh writes it.
prep="$t/prepared"
mkdir -p "$prep/native" "$prep/include/djl" "$prep/jni"
for f in a_system b_tensor c_cache; do echo "// $f" >"$prep/native/$f.cc"; done
: >"$prep/native/djl_pytorch_utils.h"; : >"$prep/native/djl_pytorch_jni_exception.h"
: >"$prep/include/djl/utils.h"; : >"$prep/include/ai_djl_pytorch_jni_PyTorchLibrary.h"
: >"$prep/jni/jni.h"; : >"$prep/jni/jni_md.h"
printf 'djl_version=0.36.0\nsource=test\n' >"$prep/djl-source.properties"
# A checkout (no JNI header: it comes from --header).
co="$t/djl"
mkdir -p "$co/engines/pytorch/pytorch-native/src/main/native" "$co/api/src/main/native/djl" "$co/gradle"
cp "$prep"/native/* "$co/engines/pytorch/pytorch-native/src/main/native/"
: >"$co/api/src/main/native/djl/utils.h"
printf '[versions]\ndjl = "0.36.0"\npytorch = "2.7.1"\n' >"$co/gradle/libs.versions.toml"
old="$t/djl-old"; cp -r "$co" "$old"; printf '[versions]\ndjl = "0.35.0"\n' >"$old/gradle/libs.versions.toml"
noutils="$t/djl-noutils"; cp -r "$prep" "$noutils"; rm "$noutils/include/djl/utils.h"
nocc="$t/djl-nocc"; cp -r "$prep" "$nocc"; rm "$nocc"/native/*.cc
jdk="$t/jdk"; mkdir -p "$jdk/include/linux"; : >"$jdk/include/jni.h"; : >"$jdk/include/linux/jni_md.h"
header="$t/ai_djl_pytorch_jni_PyTorchLibrary.h"; : >"$header"

# The stub compiler: -dumpfullversion prints $STUB_VERSION; otherwise it appends its arguments (one
# line per call) to $STUB_LOG, fails on a source named *fail*, and writes the file after -o.
stub="$t/stub-g++"
cat >"$stub" <<'EOF'
#!/usr/bin/env bash
if [ "${1:-}" = -dumpfullversion ]; then echo "${STUB_VERSION:-12.2.0}"; exit 0; fi
echo "$*" >>"$STUB_LOG"
case "$*" in *fail*.cc*) echo "stub: error in $*" >&2; exit 1 ;; esac
out=""
while [ $# -gt 0 ]; do if [ "$1" = -o ]; then out="$2"; fi; shift; done
echo stub >"$out"
EOF
chmod +x "$stub"
# Pythons that see only PYTHONPATH (-S: no site-packages), so the host's own torch cannot interfere.
py="$t/python-nosite"
printf '#!/bin/sh\nexec python3 -S "$@"\n' >"$py"; chmod +x "$py"
export STUB_LOG="$t/args.log" TRICKBENCH_JNI_HOME="$t/jni-default"
# Tests must not find the host JDK's jni.h through JAVA_HOME or javac unless a case says so.
unset JAVA_HOME
# A PATH with the tools build-jni.sh uses but no javac, for the cases about a missing JDK.
nojdk="$t/bin-nojdk"
mkdir -p "$nojdk"
for c in bash sh env python3 nproc sed grep head tail tr cut dirname basename mktemp rm cp mv mkdir date awk wc \
    readlink cat sort; do
  ln -s "$(command -v "$c")" "$nojdk/$c"
done

# --- prerequisite checks: exit 2, one line naming what is missing and the fix ------------------------
expect 2 "compiler '$t/no-such-g\+\+' not found; fix: install g\+\+" env CXX="$t/no-such-g++" "$build" --torch "$t/cu130/torch" --djl-src "$prep"
expect 2 "version 8.3.0; DJL's JNI needs C\+\+17: g\+\+ >= 9" env CXX="$stub" STUB_VERSION=8.3.0 "$build" --torch "$t/cu130/torch" --djl-src "$prep"
expect 2 "finds no torch package; fix: install torch" env CXX="$stub" PYTHONPATH="$t/nowhere" "$build" --torch python --python "$py" --djl-src "$prep"
expect 2 "--torch $t/missing does not exist" env CXX="$stub" "$build" --torch "$t/missing" --djl-src "$prep"
expect 2 "no torch version in .*noversion" env CXX="$stub" "$build" --torch "$t/noversion" --djl-src "$prep"
expect 2 "torch headers missing in .*noheaders/torch/include" env CXX="$stub" "$build" --torch "$t/noheaders/torch" --djl-src "$prep"
expect 2 "libtorch_cuda.so missing \(torch 2.11.0\+cu130, cuda 13.0\)" env CXX="$stub" "$build" --torch "$t/nocudalib/torch" --djl-src "$prep"
expect 2 "CUDA headers missing: no cuda_runtime_api.h .*fix: install the CUDA toolkit" env CXX="$stub" "$build" --torch "$t/cudanohdr/torch" --djl-src "$prep"
expect 2 "cannot tell the C\+\+ ABI of torch 2.11.0\+cpu" env CXX="$stub" "$build" --torch "$t/noabi/torch" --djl-src "$prep"
expect 2 "no DJL JNI sources \(\*.cc\) in .*djl-nocc/native" env CXX="$stub" "$build" --torch "$t/cpu/torch" --djl-src "$nocc"
expect 2 "djl/utils.h missing under .*djl-noutils/include" env CXX="$stub" "$build" --torch "$t/cpu/torch" --djl-src "$noutils"
expect 2 "is DJL 0.35.0, not v0.36.0" env CXX="$stub" "$build" --torch "$t/cpu/torch" --djl-src "$old" --header "$header"
expect 2 "--djl-src $t/none does not exist" env CXX="$stub" "$build" --torch "$t/cpu/torch" --djl-src "$t/none"
expect 2 "JNI header ai_djl_pytorch_jni_PyTorchLibrary.h missing" env CXX="$stub" PATH="$nojdk" "$build" --torch "$t/cpu/torch" --djl-src "$co"
expect 2 "jni.h not found" env CXX="$stub" PATH="$nojdk" "$build" --torch "$t/cpu/torch" --djl-src "$co" --header "$header"
expect 2 "--jobs must be a positive integer" env CXX="$stub" "$build" --torch "$t/cpu/torch" --djl-src "$prep" --jobs 0
expect 2 "--torch DIR\|python is required" "$build" --djl-src "$prep"

# --- the skip: DJL ships a JNI for 2.7.1 cpu and cu128 only -------------------------------------------
expect 0 "torch 2.7.1\+cu128 is libtorch 2.7.1 cu128.*nothing to build" env CXX="$stub" "$build" --torch "$t/cu128-271/torch" --djl-src "$prep"
expect 0 "torch 2.7.1 is libtorch 2.7.1 cpu.*nothing to build" env CXX="$stub" "$build" --torch "$t/cpu-271/torch" --djl-src "$prep"
expect 0 "checks passed" env CXX="$stub" "$build" --torch "$t/cu126-271/torch" --djl-src "$prep" --check-only
# torch 2.12 and later need C++20 for their headers; 2.11 keeps C++17 (checked with the build below).
expect 0 "flags +-std=c\+\+20 " env CXX="$stub" "$build" --torch "$t/cu130-212/torch" --djl-src "$prep" --check-only
cases=$((cases + 1)); [ ! -e "$t/jni-default" ] || fail "--check-only created $t/jni-default"
cases=$((cases + 1)); [ ! -e "$STUB_LOG" ] || fail "the skip or --check-only ran the compiler"

# --- a CUDA torch found through python: flags, install layout, build-info ----------------------------
expect 0 "installed $t/jni/torch-2.11.0\+cu130/pytorch/2.7.1-cu128-linux-x86_64/0.36.0-libdjl_torch.so" \
  env CXX="$stub" PYTHONPATH="$t/cu130" "$build" --torch python --python "$py" --djl-src "$prep" --jni-home "$t/jni" --jobs 2
grep -qE "built in [0-9]+\.[0-9] s" <<<"$LAST_OUT" || fail "no build time printed: $LAST_OUT"
so="$t/jni/torch-2.11.0+cu130/pytorch/2.7.1-cu128-linux-x86_64/0.36.0-libdjl_torch.so"
cases=$((cases + 1)); [ "$(cat "$so" 2>/dev/null)" = stub ] || fail "the linked library is not at $so"
compiles="$t/compiles.log"; links="$t/links.log"
grep -- ' -c ' "$STUB_LOG" >"$compiles" || true
grep -- '-shared' "$STUB_LOG" >"$links" || true
cases=$((cases + 1)); [ "$(wc -l <"$compiles")" = 3 ] || fail "wanted 3 compiles (one per .cc), got $(wc -l <"$compiles")"
cases=$((cases + 1)); [ "$(wc -l <"$links")" = 1 ] || fail "wanted 1 link, got $(wc -l <"$links")"
tl="$t/cu130/torch"
for p in "-I $t/cu130/nvidia/cuda_runtime/include( |$)" "-std=c\+\+17" -fPIC "-D_GLIBCXX_USE_CXX11_ABI=1( |$)" "-DUSE_CUDA( |$)" "-I $tl/include( |$)" \
    "-I $tl/include/torch/csrc/api/include( |$)" "-I $prep/jni( |$)" "-I $prep/include( |$)" "-I $prep/native( |$)"; do
  has "$p" "$compiles"
done
lacks "_GLIBCXX_USE_CXX11_ABI=0" "$compiles"
for p in "-shared" "-L$tl/lib( |$)" "-Wl,-rpath,$tl/lib( |$)" "-ltorch( |$)" "-ltorch_cpu( |$)" "-ltorch_cuda( |$)" \
    "-lc10( |$)" "-lc10_cuda( |$)" "-Wl,--no-as-needed" "a_system.o .*-ltorch"; do
  has "$p" "$links"
done
info="$t/jni/torch-2.11.0+cu130/build-info.properties"
for p in "^torch_version=2.11.0\+cu130$" "^torch_lib=$tl/lib$" "^cuda=13.0$" "^cxx11_abi=1$" "^compiler=.*/stub-g\+\+ 12.2.0$" \
    "^djl_source=v0.36.0$" "^built_at=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$" "^build_seconds=[0-9]+\.[0-9]$"; do
  has "$p" "$info"
done
cases=$((cases + 1)); [ -z "$(find "$t/jni" -name '*.o')" ] || fail "object files left in the install tree"

# --- a CPU torch given as a folder, ABI 0, from a checkout with --header and a JDK's jni.h ------------
rm -f "$STUB_LOG"
expect 0 "installed $t/jni/torch-2.11.0\+cpu/pytorch/2.7.1-cpu-linux-x86_64/0.36.0-libdjl_torch.so" \
  env CXX="$stub" JAVA_HOME="$jdk" "$build" --torch "$t/cpu/torch" --djl-src "$co" --header "$header" --jni-home "$t/jni"
has "-D_GLIBCXX_USE_CXX11_ABI=0( |$)" "$STUB_LOG"
has "-I $jdk/include( |$)" "$STUB_LOG"
has "-I $jdk/include/linux( |$)" "$STUB_LOG"
has "-I $co/api/src/main/native( |$)" "$STUB_LOG"
lacks "USE_CUDA|torch_cuda|c10_cuda" "$STUB_LOG"
has "^cuda=none$" "$t/jni/torch-2.11.0+cpu/build-info.properties"
has "^cxx11_abi=0$" "$t/jni/torch-2.11.0+cpu/build-info.properties"

# --- --dry-run prints the commands and builds nothing; a compile error is exit 1 ----------------------
rm -f "$STUB_LOG"
expect 0 "stub-g\+\+ .* -c $prep/native/b_tensor.cc" env CXX="$stub" "$build" --torch "$t/cpu/torch" --djl-src "$prep" --jni-home "$t/jni-dry" --dry-run
cases=$((cases + 1)); [ ! -e "$STUB_LOG" ] && [ ! -e "$t/jni-dry" ] || fail "--dry-run compiled or installed something"
echo "// fails" >"$prep/native/d_fail.cc"
expect 1 "compiling d_fail.cc failed" env CXX="$stub" "$build" --torch "$t/cpu/torch" --djl-src "$prep" --jni-home "$t/jni-fail"
cases=$((cases + 1)); [ ! -e "$t/jni-fail/torch-2.11.0+cpu/build-info.properties" ] || fail "a failed build wrote build-info"

if [ "$failures" -gt 0 ]; then
  echo "test-build-jni: $failures of $cases assertions failed" >&2
  exit 1
fi
echo "test-build-jni: all $cases assertions passed"
