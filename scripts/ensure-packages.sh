#!/usr/bin/env bash
# Makes sure Debian packages are installed, each known by a file it installs:
#
#   scripts/ensure-packages.sh PACKAGE=FILE [PACKAGE=FILE ...]
#
# A package whose FILE is missing or empty is missing (a package may be named with several files).
# Nothing missing: exit 0, silently. As root with apt-get: one `apt-get install` of every missing
# package, preceded by one `apt-get update` only when apt does not know one of them yet (a fresh
# machine's package lists are empty), or when the install fails on stale lists; exit 0 once every
# FILE is there, 1 otherwise. Not root: prints the missing files and the exact command that installs
# them, and exits 2.
set -euo pipefail

missing=()
declare -A lacks=()
for spec in "$@"; do
  case "$spec" in
    ?*=?*) ;;
    *) echo "ensure-packages: '$spec' is not PACKAGE=FILE" >&2; exit 2 ;;
  esac
  pkg="${spec%%=*}"
  file="${spec#*=}"
  [ -s "$file" ] && continue
  if [ -z "${lacks[$pkg]-}" ]; then
    missing+=("$pkg")
    lacks[$pkg]="$file"
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

# Whether apt's lists already name every missing package (apt-cache show exits non-zero otherwise).
known() {
  command -v apt-cache >/dev/null || return 1
  local p
  for p in "${missing[@]}"; do apt-cache show "$p" >/dev/null 2>&1 || return 1; done
}

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's ${missing[*]} ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  updated=0
  if ! known; then
    apt-get update -q >&2 || true
    updated=1
  fi
  if ! apt-get install -y -q "${missing[@]}" >&2 && [ "$updated" = 0 ]; then
    apt-get update -q >&2 || true
    apt-get install -y -q "${missing[@]}" >&2 || true
  fi
  still=()
  for spec in "$@"; do
    [ -s "${spec#*=}" ] || still+=("${spec#*=}")
  done
  [ "${#still[@]}" -eq 0 ] && exit 0
  echo "error: after apt-get install ${missing[*]}, still missing: ${still[*]}" >&2
  exit 1
fi

if known; then
  command="sudo apt-get install -y ${missing[*]}"
else
  command="sudo apt-get update && sudo apt-get install -y ${missing[*]}"
fi
echo "missing Debian package(s):" >&2
for pkg in "${missing[@]}"; do
  echo "  $pkg (no ${lacks[$pkg]})" >&2
done
echo "install with:" >&2
echo "  $command" >&2
exit 2
