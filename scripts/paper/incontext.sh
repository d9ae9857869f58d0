#!/usr/bin/env bash
# In-context learning per modality: bits per byte by offset inside a chunk
# (`lmzip eval --positions`), for the shipped text, image and audio models on
# dev data they never saw. Writes docs/paper/incontext/*.tsv and .txt (the
# measurements), then docs/paper/incontext.md and its figure.
#   scripts/paper/incontext.sh [--reuse]   (--reuse: keep measurements that exist)
source "$(dirname "$0")/env.sh"
OUT=docs/paper/incontext
reuse=0
[ "${1:-}" = --reuse ] && reuse=1
mkdir -p "$OUT"

# name model files...: one eval run, every chunk from a reset model
measure() {
  local name=$1 model=$2
  shift 2
  if [ $reuse = 1 ] && [ -s "$OUT/$name.tsv" ]; then return; fi
  echo "incontext: $name ($model)" >&2
  { echo "\$ lmzip eval -m $model --no-codec --positions $name.tsv ${*#$DATA/}"
    "$BUILD_DIR/lmzip" eval -m "$model" --no-codec --positions "$OUT/$name.tsv" "$@" | sed "s|$DATA/||"; } > "$OUT/$name.txt"
}

measure text lmzip-text-800k-v2 -c 2048 "$DATA/text/enwik/enwik6"
measure image lmzip-image-gray "$DATA"/image/waterloo/{barb,boat,bridge,camera,goldhill1,zelda}.png
measure audio lmzip-audio16 "$DATA"/audio/vosk_librivox/{cats,dagon}.wav
python3 scripts/paper/incontext_report.py "$OUT" docs/paper/incontext.md
