#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite twice: a normal
# build, then one with AddressSanitizer + UndefinedBehaviorSanitizer; between
# them, the library's layers are linked as shared libraries to prove that no
# layer calls one above it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")
# The layers link as shared libraries against only the layers below them (-z defs).
cmake -S . -B build-layers -DLMZIP_LAYER_CHECK=ON -DLMZIP_BENCH=OFF -DLMZIP_TRAIN=OFF >/dev/null
cmake --build build-layers -j"$jobs" --target lmzip_codec
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLMZIP_SANITIZE=ON -DLMZIP_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs"
# The 100 MB streaming test measures memory, which the sanitizers distort.
(cd build-asan && ctest --output-on-failure -j"$jobs" -LE slow)
