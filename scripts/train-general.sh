#!/usr/bin/env bash
# Issue 17: trains (or resumes) a text model on the general corpus that
# scripts/corpus.sh builds (code, markup, data and prose from Debian
# packages, docs/TRAINING.md "Training corpus"): prose takes PROSE_SHARE of the
# samples, the 34 other kinds share the rest evenly.
#   scripts/train-general.sh 200k|800k|3m [lmzip-train train options]
#   nohup scripts/train-general.sh 200k >> models/logs/lmzip-text-200k-general.out 2>&1 &
# Environment (defaults: the first general run, lmzip-text-SIZE-general):
#   NAME         model name: checkpoint, logs and GGUF name (lmzip-text-SIZE-general)
#   PROSE_SHARE  share of the samples that are prose (0.25)
#   PROSE_MIX    corpus: the corpus's prose.txt (the shared books, dictionaries
#                and Wikipedia, by size); shipped: the same files weighted as
#                scripts/train.sh weights them for the shipped models (Wikipedia first)
#   WINDOW       attention window = training window in bytes (256); a step
#                stays 2048 bytes (batch 2048 / WINDOW), so runs of any window
#                see the same bytes
#   INIT         a GGUF model to start from (fine-tuning: the optimizer and the
#                schedule start afresh), instead of a random init
#   STEPS, LR    schedule length and peak learning rate (per SIZE below)
# Resumes from models/checkpoints/NAME.ckpt; a checkpoint every 5 minutes and on SIGINT/SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${LMZIP_CORPUS_DIR:-$ROOT/../corpus}
DATA=${LMZIP_DATA:-$ROOT/../shared/data}
BUILD=${LMZIP_TRAIN_BUILD:-$ROOT/build-train}
SIZE=${1:?usage: scripts/train-general.sh 200k|800k|3m [lmzip-train train options]}
shift
case "$SIZE" in
  200k) lr=4e-3 steps=15000 ;;
  800k) lr=3e-3 steps=40000 ;;
  3m) lr=2e-3 steps=40000 ;;
  *) echo "train-general.sh: unknown size '$SIZE' (200k, 800k or 3m)" >&2; exit 2 ;;
esac
LR=${LR:-$lr}
STEPS=${STEPS:-$steps}
NAME=${NAME:-lmzip-text-$SIZE-general}
PROSE_SHARE=${PROSE_SHARE:-0.25}
PROSE_MIX=${PROSE_MIX:-corpus}
WINDOW=${WINDOW:-256}
BATCH=$((2048 / WINDOW))
[ $((BATCH * WINDOW)) -eq 2048 ] || { echo "train-general.sh: WINDOW must divide 2048" >&2; exit 2; }
[ -d "$CORPUS/train" ] || { echo "train-general.sh: no corpus in $CORPUS (run scripts/corpus.sh)" >&2; exit 1; }

share() { echo "scale=6; $1 * $2" | bc; }
data=()
kinds=$(ls "$CORPUS"/train/*.txt | grep -vc '/prose.txt$')
for f in "$CORPUS"/train/*.txt; do
  [ "$(basename "$f")" = prose.txt ] && continue
  data+=(--data "$f:$(echo "scale=6; (1 - $PROSE_SHARE) / $kinds" | bc)")
done
case "$PROSE_MIX" in
  corpus) data+=(--data "$CORPUS/train/prose.txt:$PROSE_SHARE") ;;
  shipped)
    T=$DATA/text
    for fw in enwik/enwik8_bytes_1M_3M:0.33 books/dickens.txt:0.15 dict/gcide.dict.txt:0.15 \
              dict/foldoc.dict.txt:0.09 books/jargon.txt:0.08 books/kjv_bible.txt:0.07 \
              books/fortunes_all.txt:0.10 dict/devil.dict.txt:0.03; do
      data+=(--data "$T/${fw%%:*}:$(share "${fw##*:}" "$PROSE_SHARE")")
    done ;;
  *) echo "train-general.sh: PROSE_MIX is corpus or shipped" >&2; exit 2 ;;
esac
# Dev: enwik6, the corpus's own dev split, and files of mixed/ (evaluated, never trained on).
dev=(--dev "enwik6=$DATA/text/enwik/enwik6" --dev "corpus-python=$CORPUS/dev/code-python.txt"
     --dev "corpus-roff=$CORPUS/dev/roff.txt")
for f in gtest.cc nodejs_fs.html iso_3166-2.json; do dev+=(--dev "$f=$DATA/mixed/$f"); done
init=()
[ -n "${INIT:-}" ] && init=(--init "$INIT")

if [ ! -x "$BUILD/lmzip-train" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j2 --target lmzip-train
fi
mkdir -p models/checkpoints models/logs "$BUILD/run"
# A private copy, so that rebuilding the trainer never touches a running job.
BIN="$BUILD/run/lmzip-train.$$"
cp "$BUILD/lmzip-train" "$BIN"
trap 'rm -f "$BIN"' EXIT
echo "train-general.sh $SIZE: NAME=$NAME PROSE_SHARE=$PROSE_SHARE PROSE_MIX=$PROSE_MIX WINDOW=$WINDOW INIT=${INIT:-} STEPS=$STEPS LR=$LR"
"$BIN" --threads 2 train --preset "$SIZE" --window "$WINDOW" --ctx "$WINDOW" --batch "$BATCH" \
  --lr "$LR" --min-lr-frac 0.1 --warmup 300 --steps "$STEPS" --wd 0.1 --clip 1.0 --seed 1337 \
  "${data[@]}" "${dev[@]}" --dev-chunk 2048 --dev-chunks 16 --eval-every 500 --log-every 50 \
  --checkpoint "models/checkpoints/$NAME.ckpt" --ckpt-minutes 5 \
  --log "models/logs/$NAME.csv" --plot "models/logs/$NAME.svg" --resume "${init[@]}" "$@"
