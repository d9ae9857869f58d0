#!/usr/bin/env bash
# Trains (or resumes) one of the shipped lmzip byte transformers, 4 layers,
# 256-byte training windows, sliding attention window 256:
#   200k: d=64,  4 heads, ffn 256,  15,000 steps (31 MB)
#   800k: d=128, 4 heads, ffn 512,  40,000 steps (82 MB)
#   3m:   d=256, 8 heads, ffn 1024, 40,000 steps (82 MB, several sessions), in
#         three phases (docs/TRAINING.md): a 120,000-step schedule cut to 40,000
#         at step 7,995; Wikipedia weighted up from 0.22 to 0.45 at step 21,558
# A step is 8 windows of 256 bytes; see docs/TRAINING.md for the runs.
# Resumes from models/checkpoints/lmzip-text-SIZE.ckpt when it exists; a
# checkpoint is written every few minutes and on SIGINT/SIGTERM.
#   scripts/train.sh 800k                 # foreground
#   nohup scripts/train.sh 800k >> models/logs/lmzip-text-800k.out 2>&1 &
# Extra arguments are passed to `lmzip-train train` (e.g. --max-minutes 60).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${LMZIP_DATA:-$ROOT/../shared/data}/text
BUILD=${LMZIP_TRAIN_BUILD:-$ROOT/build-train}
SIZE=${1:?usage: scripts/train.sh 200k|800k|3m [lmzip-train train options]}
shift
case "$SIZE" in
  200k) LR=4e-3 STEPS=15000 WIKI=0.33 ;;
  800k) LR=3e-3 STEPS=40000 WIKI=0.33 ;;
  3m) LR=2e-3 STEPS=40000 WIKI=0.45 ;;
  *) echo "train.sh: unknown size '$SIZE' (200k, 800k or 3m)" >&2; exit 2 ;;
esac
NAME=lmzip-text-$SIZE

if [ ! -x "$BUILD/lmzip-train" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j2 --target lmzip-train
fi
mkdir -p models/checkpoints models/logs
# Run a private copy so that rebuilding the trainer never touches a running job.
mkdir -p "$BUILD/run"
BIN="$BUILD/run/lmzip-train.$$"
cp "$BUILD/lmzip-train" "$BIN"
trap 'rm -f "$BIN"' EXIT

# Wikipedia (the dev sets' kind of text) is 2 MB of 66 MB: weighted up to a
# third of the samples; wikitrain_bpb in the log watches for memorising it (the
# 800k run's drifted 0.04 bits/byte below enwik6's by step 22,000).
# train_phase STOP_AT STEPS WIKI [extra options]: runs (or resumes) the job up to
# step STOP_AT under a cosine schedule of STEPS steps; a phase already behind
# the checkpoint returns at once.
train_phase() {
  local stop_at=$1 steps=$2 wiki=$3
  shift 3
  local args=(
  --threads 2 train --preset "$SIZE" --window 256 --ctx 256 --batch 8
  --lr "$LR" --min-lr-frac 0.1 --warmup 300 --steps "$steps" --stop-at "$stop_at"
  --wd 0.1 --clip 1.0 --seed 1337
  --data "$DATA/enwik/enwik8_bytes_1M_3M:$wiki"
  --data "$DATA/books/dickens.txt:0.15"
  --data "$DATA/dict/gcide.dict.txt:0.15"
  --data "$DATA/dict/foldoc.dict.txt:0.09"
  --data "$DATA/books/jargon.txt:0.08"
  --data "$DATA/books/kjv_bible.txt:0.07"
  --data "$DATA/books/fortunes_all.txt:0.10"
  --data "$DATA/dict/devil.dict.txt:0.03"
  --dev "enwik6=$DATA/enwik/enwik6"
  --dev "wikitext2=$DATA/wikitext2/valid.txt"
  --dev "wikitrain=$DATA/enwik/enwik8_bytes_1M_3M"
  --dev-chunk 2048 --dev-chunks 16 --eval-every 500 --log-every 50
  --checkpoint "models/checkpoints/$NAME.ckpt" --ckpt-minutes 5
  --log "models/logs/$NAME.csv" --plot "models/logs/$NAME.svg"
  --resume
  )
  "$BIN" "${args[@]}" "$@"
}

if [ "$SIZE" = 3m ]; then
  # The 3m run's history, replayed: planned as 120,000 steps (70 hours of this
  # shared machine), cut to 40,000 at step 7,995, then annealed with Wikipedia
  # at 40% of the samples instead of 25% from step 21,558.
  train_phase 7995 120000 0.22 "$@"
  train_phase 21558 $STEPS 0.22 "$@"
fi
train_phase $STEPS $STEPS $WIKI "$@"
