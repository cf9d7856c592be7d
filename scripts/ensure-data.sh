#!/usr/bin/env bash
# Makes sure Fashion-MNIST, the embedded default data set, is on this machine: Debian's package
# dataset-fashion-mnist puts it in /usr/share/datasets/fashion-mnist. As root it installs the package
# when missing; otherwise it prints the one command that does. Skipped when the user points at data
# with --data-dir or $TRICKBENCH_DATA (the application checks those itself, with exact messages).
set -euo pipefail
dir=/usr/share/datasets/fashion-mnist
files="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"

for arg in "$@"; do
  case "$arg" in --data-dir|--data-dir=*) exit 0 ;; esac
done
[ -n "${TRICKBENCH_DATA:-}" ] && exit 0

complete() {
  for f in $files; do [ -s "$dir/$f" ] || return 1; done
}
complete && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Fashion-MNIST is missing: installing Debian's dataset-fashion-mnist ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q dataset-fashion-mnist >&2 || { apt-get update -q >&2 && apt-get install -y -q dataset-fashion-mnist >&2; }
  complete && exit 0
  echo "error: dataset-fashion-mnist installed but $dir is incomplete" >&2
  exit 2
fi
echo "Fashion-MNIST is not in $dir. Install it with:" >&2
echo "  sudo apt-get install dataset-fashion-mnist" >&2
echo "or pass --data-dir DIR (a folder with the four IDX .gz files)." >&2
exit 0
