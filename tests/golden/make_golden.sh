#!/usr/bin/env bash
# Regenerates tests/golden/{valid,invalid}/ and tests/golden/README.md from the
# case tables in tests/golden_test.cpp, then checks them.
#   tests/golden/make_golden.sh [BUILD_DIR]     (default: build)
# Only needed when cases are added, or after a deliberate format change: the
# valid files pin the encoder's output (see README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cmake --build "$build" --target lmzip_tests -j2
"$build/lmzip_tests" --gtest_also_run_disabled_tests --gtest_filter='GoldenFiles.DISABLED_Regenerate'
"$build/lmzip_tests" --gtest_filter='GoldenFiles.*'
git status --short tests/golden 2>/dev/null || true
