#!/usr/bin/env bash
# The test command of README: the same data check as `bench run`, then the whole Maven build with
# every module's tests (some tests train on the real Fashion-MNIST).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/ensure-data.sh"
cd "$root"
mvn -B verify "$@"
