#!/usr/bin/env bash
# Checks what scripts/test.sh and scripts/ensure-data.sh do about missing Debian packages, as root
# and as a real unprivileged user (a throwaway account, deleted at the end). Run it as root:
#
#   scripts/test-ensure-packages.sh
#
# First, as root, it installs what the tests need (the real root path; nothing to do when present).
# Then each case hides some of those files in a private mount namespace (an empty file bound over a
# binary, an empty folder over the data), so the packages look missing to that case alone while the
# machine keeps them. Maven is replaced by a stub that prints its arguments: no build runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data=/usr/share/datasets/fashion-mnist

say() { echo "test-ensure-packages: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root: it adds a user and uses mount namespaces"

tmp="$(mktemp -d /tmp/trickbench-packages-test.XXXXXX)"
user="tbcheck$$"
cleanup() { userdel "$user" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
useradd --no-create-home --shell /bin/sh "$user"
mkdir -p "$tmp/repo/scripts" "$tmp/bin" "$tmp/empty"
cp "$root"/scripts/{test.sh,ensure-packages.sh,ensure-data.sh} "$tmp/repo/scripts/"
printf '#!/bin/sh\necho "mvn $*"\n' > "$tmp/bin/mvn"
chmod -R a+rX "$tmp"
chmod +x "$tmp/bin/mvn"
stub_path="$tmp/bin:$PATH"

say "as root: installing what the tests need"
PATH="$stub_path" "$tmp/repo/scripts/test.sh" >/dev/null 2>"$tmp/root.err" || fail "test.sh as root: $(cat "$tmp/root.err")"

# run AS HIDE COMMAND...: runs COMMAND as AS (root or the user) with HIDE's files looking missing;
# HIDE is a space-separated list of chromium, driver, data. Sets out, err and code.
run() {
  local as="$1" hide="$2"
  shift 2
  local mounts=":"
  case " $hide " in *" chromium "*) mounts="$mounts; mount --bind $tmp/empty-file /usr/bin/chromium" ;; esac
  case " $hide " in *" driver "*) mounts="$mounts; mount --bind $tmp/empty-file /usr/bin/chromedriver" ;; esac
  case " $hide " in *" data "*) mounts="$mounts; mount --bind $tmp/empty $data" ;; esac
  : > "$tmp/empty-file"
  local prefix=""
  [ "$as" = root ] || prefix="runuser -u $user --"
  code=0
  unshare -m sh -c "$mounts; exec $prefix env PATH='$stub_path' \"\$@\"" sh "$@" >"$tmp/out" 2>"$tmp/err" || code=$?
  out="$(cat "$tmp/out")"
  err="$(cat "$tmp/err")"
}

expect() {
  local what="$1" ok="$2"
  [ "$ok" = 1 ] || fail "$what; exit $code; stdout: $out; stderr: $err"
  say "ok: $what"
}
has() { case "$1" in *"$2"*) echo 1 ;; *) echo 0 ;; esac; }

run user "" "$tmp/repo/scripts/test.sh" -q
expect "nothing missing: test.sh runs Maven with its arguments" \
  "$([ "$code" = 0 ] && [ "$out" = "mvn -B verify -q" ] && [ -z "$err" ] && echo 1 || echo 0)"

run user "chromium driver" "$tmp/repo/scripts/test.sh"
expect "no chromium, not root: exit 2 with the exact install command and no build" \
  "$([ "$code" = 2 ] && [ -z "$out" ] && [ "$(has "$err" $'\n  sudo apt-get install -y chromium chromium-driver\n')" = 1 ] \
     && [ "$(has "$err" "-Dtrickbench.skipBrowser skips the browser test")" = 1 ] && echo 1 || echo 0)"

run user "chromium driver" "$tmp/repo/scripts/test.sh" -Dtrickbench.skipBrowser
expect "no chromium, not root, -Dtrickbench.skipBrowser: chromium is not required" \
  "$([ "$code" = 0 ] && [ "$out" = "mvn -B verify -Dtrickbench.skipBrowser" ] && echo 1 || echo 0)"

run user "driver data" "$tmp/repo/scripts/test.sh"
expect "no data and no driver, not root: one command for both packages" \
  "$([ "$code" = 2 ] && [ -z "$out" ] \
     && [ "$(has "$err" $'\n  sudo apt-get install -y dataset-fashion-mnist chromium-driver')" = 1 ] && echo 1 || echo 0)"

run user "data" env TRICKBENCH_DATA=/nowhere "$tmp/repo/scripts/test.sh" -Dtrickbench.skipBrowser
expect "no data, not root, \$TRICKBENCH_DATA set: still required (tests read $data itself)" \
  "$([ "$code" = 2 ] && [ "$(has "$err" "sudo apt-get install -y dataset-fashion-mnist")" = 1 ] && echo 1 || echo 0)"

run user "data" "$tmp/repo/scripts/ensure-data.sh" run --matrix smoke
expect "no data, not root, bench run: the install command, then bench goes on (exit 0)" \
  "$([ "$code" = 0 ] && [ "$(has "$err" "sudo apt-get install -y dataset-fashion-mnist")" = 1 ] \
     && [ "$(has "$err" "or pass --data-dir DIR")" = 1 ] && echo 1 || echo 0)"

run root "" "$tmp/repo/scripts/test.sh" -q
expect "nothing missing, root: no apt-get, Maven runs" \
  "$([ "$code" = 0 ] && [ "$out" = "mvn -B verify -q" ] && [ -z "$err" ] && echo 1 || echo 0)"

# The packages are installed, only hidden: apt-get finds nothing to do and the files stay missing,
# so this shows that root installs (one apt-get install of both) and then checks the files. Skipped
# where apt-get would upgrade them: this check must not change the machine.
if ! apt-get -s install chromium chromium-driver | grep -q '^0 upgraded, 0 newly installed'; then
  say "all cases passed but the last (root with chromium hidden): apt-get would upgrade chromium here"
  exit 0
fi
run root "chromium driver" "$tmp/repo/scripts/test.sh"
expect "no chromium, root: apt-get install of both, then the files are checked again" \
  "$([ "$code" = 1 ] && [ -z "$out" ] && [ "$(has "$err" "installing Debian's chromium chromium-driver")" = 1 ] \
     && [ "$(has "$err" "still missing: /usr/bin/chromium /usr/bin/chromedriver")" = 1 ] && echo 1 || echo 0)"

say "all cases passed"
