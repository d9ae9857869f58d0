#!/usr/bin/env bash
# Regenerates docs/RESULTS.md (with RESULTS.csv, .json and .svg beside it):
# the paper's Table 1 on the development sets in ../shared/data, every
# classical codec and lmzip's order2 model. Extra arguments go to lmzip-bench,
# e.g. a transformer:  bash scripts/bench-results.sh --model models/x.gguf --model-limit-bytes 262144
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
DATA=${LMZIP_DATA:-../shared/data}
JOBS=${JOBS:-2}

cmake -S . -B "$BUILD_DIR" -DLMZIP_TRAIN=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS" --target lmzip-bench >/dev/null

inputs=(
  "$DATA/text/enwik/enwik6"
  "$DATA/text/wikitext2/valid.txt"
  "$DATA/image/usc_sipi"
  "$DATA/image/waterloo"
  # The audio dev set: two recordings kept out of the audio models' training
  # (scripts/train-media.sh trains on the other vosk and pyAudioAnalysis files).
  "$DATA/audio/vosk_librivox/cats.wav"
  "$DATA/audio/vosk_librivox/dagon.wav"
)
shown="bash scripts/bench-results.sh${*:+ $*}
# runs: lmzip-bench --report docs/RESULTS.md ${*:+$* }${inputs[*]}"
exec "$BUILD_DIR/lmzip-bench" --report docs/RESULTS.md --command "$shown" "$@" "${inputs[@]}"
