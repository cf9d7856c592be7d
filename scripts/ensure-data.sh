#!/usr/bin/env bash
# Makes sure Fashion-MNIST, the embedded default data set, is on this machine: Debian's package
# dataset-fashion-mnist puts it in /usr/share/datasets/fashion-mnist. As root it installs the package
# when missing (scripts/ensure-packages.sh); otherwise it prints the one command that does and lets
# `bench run` go on, since a matrix on other data sets does not need it. Skipped when the user points
# at data with --data-dir or $TRICKBENCH_DATA (the application checks those itself, with exact messages).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir=/usr/share/datasets/fashion-mnist

for arg in "$@"; do
  case "$arg" in --data-dir|--data-dir=*) exit 0 ;; esac
done
[ -n "${TRICKBENCH_DATA:-}" ] && exit 0

needs=()
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  needs+=("dataset-fashion-mnist=$dir/$f")
done
code=0
"$here/ensure-packages.sh" "${needs[@]}" || code=$?
if [ "$code" = 2 ]; then
  echo "or pass --data-dir DIR (a folder with the four IDX .gz files)." >&2
  exit 0
fi
exit "$code"
