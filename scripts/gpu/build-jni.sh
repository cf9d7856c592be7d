#!/usr/bin/env bash
# Builds DJL's PyTorch JNI (libdjl_torch.so) against a torch that is already installed: a pip/venv
# torch (--torch python) or an unpacked libtorch / torch package folder (--torch DIR). DJL 0.36.0 ships
# its JNI only for libtorch 2.7.1 (cpu, cu128); against any other torch the bundled JNI crashes, so a
# machine's own PyTorch (e.g. a CUDA 13 venv) needs this build. It never downloads anything: the DJL
# sources come from --djl-src, either a DJL v0.36.0 checkout/unpacked tarball or a folder prepared by
# scripts/gpu/prepare-djl-src.sh (which also carries the JNI header and jni.h, so no JDK is needed here).
#
# The result goes where the harness's --libtorch option looks for it (docs/gpu.md):
#   $JNI_HOME/torch-V/pytorch/2.7.1-F-linux-x86_64/0.36.0-libdjl_torch.so
#   $JNI_HOME/torch-V/build-info.properties
# with V the torch's version string and F = cu128 for a CUDA torch, cpu otherwise (DJL's loader keys the
# folder by the libtorch version and flavour it expects, not by the torch it runs on).
#
# Every prerequisite is checked before compiling; a missing one is a one-line error and exit 2.
# Exit 1 means the compiler or linker failed (its output is shown).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/gpu/build-jni.sh --torch DIR|python --djl-src DIR [options]

Builds DJL 0.36.0's PyTorch JNI (libdjl_torch.so) for the given torch and installs it under
$JNI_HOME/torch-<version>/ where the harness's --libtorch option finds it.

  --torch DIR|python  python: the torch that python3 (or --python) finds, located without importing it;
                      DIR: a torch package folder (holding version.py, include/, lib/) or an unpacked
                      libtorch (include/, lib/, build-version)
  --djl-src DIR       a DJL v0.36.0 source checkout or unpacked tarball, or a folder made by
                      scripts/gpu/prepare-djl-src.sh
  --jni-home DIR      install root (default: $TRICKBENCH_JNI_HOME, else ~/.trickbench/jni)
  --jobs N            parallel compiles (default: nproc)
  --header FILE       the JNI header ai_djl_pytorch_jni_PyTorchLibrary.h (default: the prepared folder's,
                      else generated with javac -h from the checkout)
  --python PATH       the Python for --torch python (default: python3)
  --check-only        run the checks, print the plan, build nothing
  --dry-run           run the checks and print every command instead of running it
  -h, --help          this text

Environment: CXX (the compiler, default g++), TRICKBENCH_JNI_HOME.
Exit codes: 0 built, skipped (torch 2.7.1 cpu/cu128 needs no build) or checks passed; 1 the compiler or
linker failed; 2 a prerequisite is missing (one line naming it and the fix).
EOF
}

DJL_VERSION=0.36.0
DJL_LIBTORCH=2.7.1
HEADER_NAME=ai_djl_pytorch_jni_PyTorchLibrary.h

die() { echo "build-jni: $*" >&2; exit 2; }
note() { echo "build-jni: $*"; }

torch_arg="" djl_src="" jni_home="${TRICKBENCH_JNI_HOME:-$HOME/.trickbench/jni}" jobs="" header="" python=python3
mode=build
while [ $# -gt 0 ]; do
  case "$1" in
    --torch) torch_arg="${2:?--torch needs DIR or python}"; shift 2 ;;
    --djl-src) djl_src="${2:?--djl-src needs DIR}"; shift 2 ;;
    --jni-home) jni_home="${2:?--jni-home needs DIR}"; shift 2 ;;
    --jobs) jobs="${2:?--jobs needs N}"; shift 2 ;;
    --header) header="${2:?--header needs FILE}"; shift 2 ;;
    --python) python="${2:?--python needs PATH}"; shift 2 ;;
    --check-only) mode=check; shift ;;
    --dry-run) mode=dry; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1'; see --help" ;;
  esac
done
[ -n "$torch_arg" ] || die "--torch DIR|python is required; see --help"
[ -n "$djl_src" ] || die "--djl-src DIR is required (a DJL v$DJL_VERSION checkout or a folder from scripts/gpu/prepare-djl-src.sh)"
if [ -z "$jobs" ]; then jobs="$(nproc 2>/dev/null || echo 1)"; fi
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive integer, got '$jobs'"

# --- compiler --------------------------------------------------------------------------------------
cxx="${CXX:-g++}"
command -v "$cxx" >/dev/null 2>&1 || die "compiler '$cxx' not found; fix: install g++ (>= 9), e.g. apt-get install g++, or set CXX"
cxx_version="$("$cxx" -dumpfullversion -dumpversion 2>/dev/null | head -n1 || true)"
cxx_major="${cxx_version%%.*}"
[[ "$cxx_major" =~ ^[0-9]+$ ]] || die "could not read the version of compiler '$cxx' ($cxx -dumpfullversion printed '$cxx_version'); fix: use g++ >= 9 (set CXX)"
[ "$cxx_major" -ge 9 ] || die "compiler '$cxx' is version $cxx_version; DJL's JNI needs C++17: g++ >= 9 (set CXX)"

# --- torch -----------------------------------------------------------------------------------------
if [ "$torch_arg" = python ]; then
  command -v "$python" >/dev/null 2>&1 || die "--torch python: '$python' not found; fix: put the venv's python3 on PATH or pass --python PATH"
  # find_spec locates a top-level package without executing it, so this works even where importing
  # torch would be slow or fail (no GPU, missing CUDA libraries).
  torch_dir="$("$python" -c 'import importlib.util as u
s = u.find_spec("torch")
print(s.submodule_search_locations[0] if s and s.submodule_search_locations else "")' 2>/dev/null || true)"
  [ -n "$torch_dir" ] || die "--torch python: $python finds no torch package; fix: install torch (pip install torch) into that Python or pass --torch DIR"
else
  torch_dir="$torch_arg"
  [ -d "$torch_dir" ] || die "--torch $torch_dir does not exist; fix: pass a torch package folder or an unpacked libtorch, or --torch python"
fi
torch_dir="$(cd "$torch_dir" && pwd -P)"

# The real version string and CUDA version: torch/version.py of a Python package, else libtorch's
# build-version file (e.g. 2.7.1+cu128), whose local suffix names the CUDA build.
torch_version="" torch_cuda=""
if [ -f "$torch_dir/version.py" ]; then
  torch_version="$(sed -nE "s/^__version__[^=]*=[[:space:]]*['\"]([^'\"]+)['\"].*/\1/p" "$torch_dir/version.py" | head -n1)"
  cuda_raw="$(sed -nE 's/^cuda([[:space:]]*:[^=]*)?=[[:space:]]*(.*)$/\2/p' "$torch_dir/version.py" | head -n1)"
  torch_cuda="$(printf '%s' "$cuda_raw" | tr -d "'\" \r")"
  [ "$torch_cuda" = None ] && torch_cuda=""
elif [ -f "$torch_dir/build-version" ]; then
  torch_version="$(head -n1 "$torch_dir/build-version" | tr -d ' \r')"
  case "$torch_version" in
    *+cu[0-9]*) digits="${torch_version##*+cu}"; torch_cuda="${digits%?}.${digits: -1}" ;;
  esac
fi
[ -n "$torch_version" ] || die "no torch version in $torch_dir (neither version.py with __version__ nor build-version); fix: pass the torch package folder (site-packages/torch) or an unpacked libtorch"

# Flavour as DJL names its builds: the local version suffix when there is one, else from the CUDA version.
case "$torch_version" in
  *+*) flavor="${torch_version##*+}" ;;
  *) if [ -n "$torch_cuda" ]; then flavor="cu$(printf '%s' "$torch_cuda" | tr -d .)"; else flavor=cpu; fi ;;
esac
base_version="${torch_version%%+*}"
if [ "$base_version" = "$DJL_LIBTORCH" ] && { [ "$flavor" = cpu ] || [ "$flavor" = cu128 ]; }; then
  note "torch $torch_version is libtorch $DJL_LIBTORCH $flavor, which DJL $DJL_VERSION ships a JNI for: nothing to build (use --libtorch bundled or python)"
  exit 0
fi
if [ -n "$torch_cuda" ]; then djl_flavor=cu128; else djl_flavor=cpu; fi

[ -d "$torch_dir/include/torch/csrc/api/include/torch" ] && [ -f "$torch_dir/include/ATen/ATen.h" ] \
  || die "torch headers missing in $torch_dir/include (need include/ATen/ATen.h and include/torch/csrc/api/include/torch/); fix: use a torch wheel or libtorch that ships its C++ headers"
torch_lib="$torch_dir/lib"
libs=(torch torch_cpu c10)
if [ -n "$torch_cuda" ]; then libs=(torch torch_cpu torch_cuda c10 c10_cuda); fi
for l in "${libs[@]}"; do
  [ -e "$torch_lib/lib$l.so" ] || die "torch library $torch_lib/lib$l.so missing (torch $torch_version, cuda ${torch_cuda:-none}); fix: reinstall torch, or pass the folder holding lib/lib$l.so"
done

# The C++ ABI the torch was built with; objects of the other ABI link but crash on std::string.
abi=""
for f in "$torch_dir/share/cmake/Torch/TorchConfig.cmake" "$torch_dir/share/cmake/Caffe2/Caffe2Targets.cmake"; do
  if [ -z "$abi" ] && [ -f "$f" ]; then
    abi="$(grep -oE '_GLIBCXX_USE_CXX11_ABI=[01]' "$f" | head -n1 | cut -d= -f2 || true)"
    abi_source="$f"
  fi
done
if [ -z "$abi" ] && [ "$torch_arg" = python ]; then
  abi="$("$python" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))' 2>/dev/null | tail -n1 || true)"
  abi_source="torch._C._GLIBCXX_USE_CXX11_ABI"
fi
[[ "$abi" =~ ^[01]$ ]] || die "cannot tell the C++ ABI of torch $torch_version: no _GLIBCXX_USE_CXX11_ABI in $torch_dir/share/cmake/Torch/TorchConfig.cmake; fix: use --torch python (reads torch._C._GLIBCXX_USE_CXX11_ABI) or a torch that ships share/cmake"

# --- DJL sources -----------------------------------------------------------------------------------
[ -d "$djl_src" ] || die "--djl-src $djl_src does not exist; fix: pass a DJL v$DJL_VERSION checkout or a folder from scripts/gpu/prepare-djl-src.sh"
djl_src="$(cd "$djl_src" && pwd -P)"
jni_include=()
if [ -f "$djl_src/djl-source.properties" ]; then
  # A folder prepared by scripts/gpu/prepare-djl-src.sh.
  native_dir="$djl_src/native"
  utils_dir="$djl_src/include"
  djl_found="$(sed -n 's/^djl_version=//p' "$djl_src/djl-source.properties" | head -n1)"
  [ -z "$header" ] && [ -f "$djl_src/include/$HEADER_NAME" ] && header="$djl_src/include/$HEADER_NAME"
  [ -f "$djl_src/jni/jni.h" ] && jni_include=("$djl_src/jni")
else
  native_dir="$djl_src/engines/pytorch/pytorch-native/src/main/native"
  utils_dir="$djl_src/api/src/main/native"
  djl_found=""
  if [ -f "$djl_src/gradle/libs.versions.toml" ]; then
    djl_found="$(sed -nE 's/^djl[[:space:]]*=[[:space:]]*"([^"]+)".*/\1/p' "$djl_src/gradle/libs.versions.toml" | head -n1)"
  fi
fi
shopt -s nullglob
sources=("$native_dir"/*.cc)
shopt -u nullglob
[ "${#sources[@]}" -gt 0 ] || die "no DJL JNI sources (*.cc) in $native_dir; fix: pass a DJL v$DJL_VERSION checkout (engines/pytorch/pytorch-native/src/main/native) or run scripts/gpu/prepare-djl-src.sh"
for h in djl_pytorch_utils.h djl_pytorch_jni_exception.h; do
  [ -f "$native_dir/$h" ] || die "DJL header $native_dir/$h missing; fix: pass a complete DJL v$DJL_VERSION source (or re-run scripts/gpu/prepare-djl-src.sh)"
done
[ -f "$utils_dir/djl/utils.h" ] || die "DJL's djl/utils.h missing under $utils_dir (api/src/main/native/djl/utils.h in a checkout); fix: include api/src/main/native when exporting DJL, or re-run scripts/gpu/prepare-djl-src.sh"
if [ -n "$djl_found" ] && [ "$djl_found" != "$DJL_VERSION" ]; then
  die "--djl-src $djl_src is DJL $djl_found, not v$DJL_VERSION (the Java side is $DJL_VERSION); fix: check out tag v$DJL_VERSION"
fi
if [ -n "$djl_found" ]; then djl_source="v$djl_found"; else
  djl_source="unknown"
  note "warning: cannot tell the DJL version of $djl_src (no gradle/libs.versions.toml); assuming v$DJL_VERSION"
fi

# --- JNI headers -----------------------------------------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/build-jni.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
if [ -z "$header" ]; then
  java_src="$djl_src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
  if [ -f "$java_src" ] && command -v javac >/dev/null 2>&1; then
    # PyTorchLibrary imports only java.*, so javac needs no classpath (DJL's build.sh does the same).
    javac -h "$tmp/include" -d "$tmp/classes" "$java_src" >/dev/null 2>&1 \
      || die "javac -h failed on $java_src; fix: pass --header FILE or prepare the sources with scripts/gpu/prepare-djl-src.sh"
    header="$tmp/include/$HEADER_NAME"
  else
    die "JNI header $HEADER_NAME missing (no --header, no prepared include/, and no javac with $java_src); fix: run scripts/gpu/prepare-djl-src.sh where a JDK is, or pass --header FILE"
  fi
fi
[ -f "$header" ] || die "--header $header does not exist; fix: generate it with javac -h (scripts/gpu/prepare-djl-src.sh does)"
if [ "${#jni_include[@]}" -eq 0 ]; then
  for jh in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    if [ -n "$jh" ] && [ -f "$jh/include/jni.h" ]; then jni_include=("$jh/include" "$jh/include/linux"); break; fi
  done
fi
[ "${#jni_include[@]}" -gt 0 ] || die "jni.h not found (no prepared jni/ folder, no \$JAVA_HOME/include, no javac); fix: run scripts/gpu/prepare-djl-src.sh where a JDK is (it copies jni.h and jni_md.h) or set JAVA_HOME"
found_md=""
for d in "${jni_include[@]}"; do [ -f "$d/jni_md.h" ] && found_md=1; done
[ -n "$found_md" ] || die "jni_md.h not found next to jni.h in ${jni_include[*]}; fix: re-run scripts/gpu/prepare-djl-src.sh"

# --- plan ------------------------------------------------------------------------------------------
case "$jni_home" in /*) ;; *) jni_home="$PWD/$jni_home" ;; esac
target_dir="$jni_home/torch-$torch_version"
lib_dir="$target_dir/pytorch/$DJL_LIBTORCH-$djl_flavor-linux-x86_64"
target="$lib_dir/$DJL_VERSION-libdjl_torch.so"

# torch's headers need C++17 up to 2.11 and C++20 from 2.12 on ("C++20 or later compatible compiler is
# required to use ATen"); the older standard is kept where it is enough, as DJL's own build does.
std=c++17
IFS=. read -r t_major t_minor _ <<<"$base_version"
if [ "${t_major:-0}" -gt 2 ] || { [ "${t_major:-0}" = 2 ] && [ "${t_minor:-0}" -ge 12 ]; }; then std=c++20; fi
cxxflags=("-std=$std" -O2 -fPIC -w "-D_GLIBCXX_USE_CXX11_ABI=$abi")
[ -n "$torch_cuda" ] && cxxflags+=(-DUSE_CUDA)
# DJL's build.sh passes PT_VERSION=V1_13_X for torch 1.13.1, 2.0.1 and 2.1.x (engines/pytorch/pytorch-native/build.sh).
case "$base_version" in 1.13.*|2.0.*|2.1.*) cxxflags+=(-DV1_13_X) ;; esac
includes=(-I "$(dirname "$header")" -I "$native_dir" -I "$utils_dir" -I "$torch_dir/include"
  -I "$torch_dir/include/torch/csrc/api/include")
for d in "${jni_include[@]}"; do includes+=(-I "$d"); done
# A CUDA build includes ATen/cuda/CUDAContext.h, which needs the CUDA toolkit's headers
# (cuda_runtime_api.h, cublas_v2.h, cusparse.h, cusolverDn.h): pip's nvidia-* wheels next to the torch
# package ship them under nvidia/*/include, a toolkit under $CUDA_HOME/include.
if [ -n "$torch_cuda" ]; then
  cuda_dirs=()
  for d in "$torch_dir"/../nvidia/*/include "$torch_dir"/../nvidia/*/*/include \
      "${CUDA_HOME:-/usr/local/cuda}/include"; do
    [ -d "$d" ] && cuda_dirs+=("$(cd "$d" && pwd)")
  done
  found_rt=""
  for d in "${cuda_dirs[@]}"; do includes+=(-I "$d"); [ -f "$d/cuda_runtime_api.h" ] && found_rt="$d"; done
  [ -n "$found_rt" ] || die "CUDA headers missing: no cuda_runtime_api.h in $torch_dir/../nvidia/*/include or ${CUDA_HOME:-/usr/local/cuda}/include; fix: install the CUDA toolkit matching torch's CUDA $torch_cuda, or set CUDA_HOME to it"
fi
# --no-as-needed: nothing in the JNI calls libtorch_cuda directly, yet it must load to register the CUDA
# kernels; toolchains that link --as-needed by default would drop it.
libflags=("-L$torch_lib" "-Wl,-rpath,$torch_lib" -Wl,--no-as-needed)
for l in "${libs[@]}"; do libflags+=("-l$l"); done

echo "build-jni: plan"
echo "  torch        $torch_version (cuda ${torch_cuda:-none}, C++11 ABI $abi from $abi_source)"
echo "  torch dir    $torch_dir"
echo "  DJL sources  $djl_src ($djl_source, ${#sources[@]} .cc files)"
echo "  JNI header   $header"
echo "  compiler     $cxx $cxx_version, $jobs jobs"
echo "  flags        ${cxxflags[*]}"
echo "  link         -shared -fPIC ${libflags[*]}"
echo "  install      $target"
if [ "$mode" = check ]; then
  note "checks passed (--check-only: nothing built)"
  exit 0
fi

# --- compile ---------------------------------------------------------------------------------------
start=$(date +%s.%N)
objs=()
pids=()
for src in "${sources[@]}"; do
  obj="$tmp/obj/$(basename "${src%.cc}").o"
  objs+=("$obj")
  cmd=("$cxx" "${cxxflags[@]}" "${includes[@]}" -c "$src" -o "$obj")
  if [ "$mode" = dry ]; then echo "${cmd[*]}"; continue; fi
  mkdir -p "$tmp/obj"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  ( "${cmd[@]}" >"$obj.log" 2>&1 || { echo $? >"$obj.failed"; exit 1; } ) &
  pids+=($!)
done
# Libraries after the objects: the linker resolves left to right.
link=("$cxx" -shared -fPIC -o "$tmp/libdjl_torch.so" "${objs[@]}" "${libflags[@]}")
if [ "$mode" = dry ]; then
  echo "${link[*]}"
  echo "install -D $tmp/libdjl_torch.so $target"
  note "dry run: nothing built"
  exit 0
fi
for p in "${pids[@]}"; do wait "$p" || true; done
failed=0
for obj in "${objs[@]}"; do
  if [ -f "$obj.failed" ] || [ ! -f "$obj" ]; then
    failed=1
    echo "build-jni: compiling $(basename "${obj%.o}").cc failed:" >&2
    tail -n 30 "$obj.log" >&2 || true
  fi
done
[ "$failed" = 0 ] || { echo "build-jni: compile failed" >&2; exit 1; }
if ! "${link[@]}" >"$tmp/link.log" 2>&1; then
  echo "build-jni: link failed:" >&2
  tail -n 30 "$tmp/link.log" >&2
  exit 1
fi
end=$(date +%s.%N)
seconds="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"

mkdir -p "$lib_dir"
cp "$tmp/libdjl_torch.so" "$target.tmp"
mv -f "$target.tmp" "$target"
cat >"$target_dir/build-info.properties.tmp" <<EOF
# Written by scripts/gpu/build-jni.sh: the DJL JNI under pytorch/ was built for this torch.
torch_version=$torch_version
torch_lib=$torch_lib
cuda=${torch_cuda:-none}
cxx11_abi=$abi
compiler=$cxx $cxx_version
djl_source=$djl_source
built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
build_seconds=$seconds
EOF
mv -f "$target_dir/build-info.properties.tmp" "$target_dir/build-info.properties"
note "built in $seconds s"
note "installed $target"
note "build info $target_dir/build-info.properties"
