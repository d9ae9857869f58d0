#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*_fuzzer.cpp) with clang, ASan and UBSan,
# runs each for a bounded time, and keeps a minimised corpus of what it found
# in fuzz/corpus/NAME/ (replayed under ctest by tests/fuzz_corpus_test.cpp).
#   scripts/fuzz.sh [SECONDS_PER_FUZZER] [FUZZER...]     (default: 60, all)
# Crashing inputs are written to fuzz/corpus/NAME/crash-* (and stay there as
# regression inputs once fixed). Exit status is non-zero if a fuzzer failed.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
build=build-fuzz
jobs=${FUZZ_BUILD_JOBS:-2}

# LMZIP_FUZZ instruments the library for coverage and links the targets with
# libFuzzer (CMakeLists.txt).
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLMZIP_FUZZ=ON -DLMZIP_BENCH=OFF -DLMZIP_TRAIN=OFF -DLMZIP_SANITIZE=ON >/dev/null

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for src in fuzz/*_fuzzer.cpp; do names+=("$(basename "$src" .cpp)"); done
fi
cmake --build "$build" -j"$jobs" --target "${names[@]}"

status=0
for name in "${names[@]}"; do
  corpus=fuzz/corpus/${name%_fuzzer}
  work=$build/corpus-work/$name
  seeds=$build/corpus-seeds/$name
  rm -rf "$work" "$seeds"
  mkdir -p "$corpus" "$work" "$seeds"
  # Seeds: the kept corpus, the golden files for the decoders, and the
  # decoders' own seed frames (fuzz/decoder_check.h, written at start-up).
  cp "$corpus"/* "$seeds"/ 2>/dev/null || true
  if [ "$name" = decoder_fuzzer ] || [ "$name" = decoder_shipped_fuzzer ]; then
    for f in tests/golden/valid/*.lmz tests/golden/invalid/*.lmz; do cp "$f" "$seeds/golden-$(basename "$f")"; done
  elif [ "$name" = media_fuzzer ]; then
    # The WAV, PGM and BMP files the golden frames hold.
    for f in tests/golden/valid/*_wav_*.out tests/golden/valid/*_pgm_*.out tests/golden/valid/*_bmp_*.out; do
      cp "$f" "$seeds/golden-$(basename "$f")"
    done
  fi
  echo "== $name: ${secs}s"
  # The decoder fuzzers write their seed frames (networks' paths) there first.
  if ! LMZIP_FUZZ_SEEDS=$seeds "$build/$name" -max_len=4096 -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 \
      -print_final_stats=1 -artifact_prefix="$corpus/" "$work" "$seeds" 2>&1 | tail -n 30; then
    echo "== $name FAILED: see $corpus/crash-* (or timeout-*, oom-*)"
    status=1
  fi
  # Keep a minimal corpus: what covers the seeds' and the new inputs' edges,
  # less the golden files (they live in tests/golden/).
  fresh=$build/corpus-fresh/$name
  rm -rf "$fresh"
  mkdir -p "$fresh"
  "$build/$name" -merge=1 -max_len=4096 "$fresh" "$seeds" "$work" 2>&1 | tail -n 2
  # Only libFuzzer's own files (40 hex digits) are replaced; named files
  # (hand-made seeds, crash-*, timeout-*, oom-*) stay. Merged copies of named
  # files and of the golden files are dropped.
  find "$corpus" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' -delete
  # libFuzzer names the files it writes by their SHA-1: a fresh file named
  # by the SHA-1 of a kept or golden file is a copy of it.
  for sum in $(sha1sum "$corpus"/* tests/golden/valid/* tests/golden/invalid/* 2>/dev/null | cut -d' ' -f1); do
    rm -f "$fresh/$sum"
  done
  cp "$fresh"/* "$corpus"/ 2>/dev/null || true
  echo "== $name: $(ls "$corpus" | wc -l) files kept in $corpus"
done
exit $status
