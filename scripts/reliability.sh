#!/usr/bin/env bash
# The reliability campaign (docs/RELIABILITY.md), in parts that can be run
# again and again (the fuzzers' corpus is kept in fuzz/corpus/):
#   scripts/reliability.sh fuzz [SECONDS]   each fuzzer for SECONDS (default 600), scripts/fuzz.sh
#   scripts/reliability.sh faults           I/O faults at every call, forged sizes, kill -9, full disk, signals
#   scripts/reliability.sh forged           a 3,000-byte text at each level, forged to claim 64 MiB
#                                           (scripts/forge-claim.py): rejected within 1 s per KB of input
#   scripts/reliability.sh cross            frames written by the main build (gcc, build/) against a clang
#                                           -O0 build (build-clang-O0/): the same bytes written, every frame
#                                           decoded by the other build, the golden files decoded by both
#   scripts/reliability.sh arm              the golden files and round trips on AArch64 (NEON) under qemu
#   scripts/reliability.sh all [SECONDS]
# Exits non-zero if any part fails. JOBS=n for the builds (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
part=${1:-all}
secs=${2:-600}
jobs=${JOBS:-2}
data=../shared/data

build_main() {
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$jobs" --target lmzip lmzip_tests >/dev/null
}

run_fuzz() { bash scripts/fuzz.sh "$secs"; }

run_faults() {
  build_main
  build/lmzip_tests --gtest_filter='FaultInjection.*:ForgedSize.*:RangeCoderTail.*:GoldenFiles.Invalid*:Cli.KillNine*:Cli.FullDisk:Cli.Interrupt*:FuzzCorpus.*:CorruptInput*'
}

# The inputs of the cross-build check: everyday files, text, a WAV and a PGM,
# cut to 8 KB (a -O0 build runs the networks slowly).
cross_inputs() {
  local dir=$1
  mkdir -p "$dir"
  for f in "$data"/mixed/* "$data"/text/enwik/enwik6; do
    [ -f "$f" ] && head -c 8000 "$f" > "$dir/$(basename "$f")"
  done
  python3 - "$dir" "$data/audio/vosk_librivox/cats.wav" <<'PY'
import sys, wave
out, wav = sys.argv[1], sys.argv[2]
with wave.open(wav) as r, wave.open(out + '/cats.wav', 'wb') as w:  # a whole WAV of 4000 frames
    w.setparams(r.getparams())
    w.writeframes(r.readframes(4000))
width, height = 64, 60
px = bytes((x * 3 + y * 5 + (x * y) % 7) & 255 for y in range(height) for x in range(width))
open(out + '/gray.pgm', 'wb').write(b'P5\n%d %d\n255\n' % (width, height) + px)
PY
}

run_cross() {
  build_main
  CC=clang CXX=clang++ cmake -S . -B build-clang-O0 -DCMAKE_BUILD_TYPE=Debug -DLMZIP_BENCH=OFF \
    -DLMZIP_TRAIN=OFF >/dev/null
  cmake --build build-clang-O0 -j"$jobs" --target lmzip lmzip_tests >/dev/null
  build-clang-O0/lmzip_tests --gtest_filter='GoldenFiles.*:RangeCoder*'
  local work=build-clang-O0/cross
  rm -rf "$work"
  cross_inputs "$work/in"
  local frames=0 failed=0
  for f in "$work"/in/*; do
    # -3 (one lane, audio through the stage) on text and audio only: slow at -O0.
    local levels="-0 -1 -2"
    case $(basename "$f") in enwik6 | cats.wav) levels="$levels -3" ;; esac
    for level in $levels; do
      local a=$work/$(basename "$f")$level.gcc.lmz b=$work/$(basename "$f")$level.clang.lmz
      build/lmzip $level -q -c "$f" > "$a"
      build-clang-O0/lmzip $level -q -c "$f" > "$b"
      frames=$((frames + 1))
      if ! cmp -s "$a" "$b"; then echo "DIFFERENT FRAMES: $f $level"; failed=1; fi
      if ! build-clang-O0/lmzip -d -q -c "$a" | cmp -s - "$f"; then echo "CLANG DECODE FAILED: $f $level"; failed=1; fi
      if ! build/lmzip -d -q -c "$b" | cmp -s - "$f"; then echo "GCC DECODE FAILED: $f $level"; failed=1; fi
    done
  done
  echo "cross: $frames frames, written identically by gcc (RelWithDebInfo) and clang (-O0), each decoded by the other: $([ $failed = 0 ] && echo ok || echo FAILED)"
  return $failed
}

# Issue 15's bound: a forged frame is rejected after less than a second per
# kilobyte of input, at every level.
run_forged() {
  build_main
  local work
  work=$(mktemp -d)
  head -c 3000 "$data"/text/books/"$(ls "$data"/text/books | head -1)" > "$work/t.txt"
  local failed=0
  for level in -0 -1 -2 -3; do
    build/lmzip $level -q -c "$work/t.txt" > "$work/t.lmz"
    python3 scripts/forge-claim.py "$work/t.lmz" "$work/f.lmz"
    local bytes start end rc=0
    bytes=$(stat -c %s "$work/f.lmz")
    start=$(date +%s%N)
    build/lmzip -d -q -c "$work/f.lmz" > /dev/null 2>&1 || rc=$?
    end=$(date +%s%N)
    local ms=$(((end - start) / 1000000)) limit_ms=$((bytes * 1000 / 1024))
    echo "forged $level: $bytes bytes claiming 64 MiB: exit $rc after $ms ms (limit $limit_ms ms)"
    if [ $rc = 0 ] || [ $ms -gt $limit_ms ]; then failed=1; fi
  done
  rm -rf "$work"
  return $failed
}

run_arm() { bash scripts/test-arm.sh; }

case $part in
  fuzz) run_fuzz ;;
  faults) run_faults ;;
  forged) run_forged ;;
  cross) run_cross ;;
  arm) run_arm ;;
  all) run_faults && run_forged && run_cross && run_arm && run_fuzz ;;
  *) echo "usage: $0 fuzz|faults|forged|cross|arm|all [SECONDS]" >&2; exit 2 ;;
esac
