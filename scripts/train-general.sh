#!/usr/bin/env bash
# Issue 17: trains (or resumes) a text model on the general corpus that
# scripts/corpus.sh builds (code, markup, data and prose from Debian
# packages, docs/TRAINING.md "Training corpus"): prose takes a quarter of the
# samples, the 34 other kinds share the rest evenly. Same shapes and schedules
# as scripts/train.sh; the models are named lmzip-text-SIZE-general, so the
# shipped ones (and the frames they wrote) stay as they are.
#   scripts/train-general.sh 200k|800k|3m [lmzip-train train options]
#   nohup scripts/train-general.sh 200k >> models/logs/lmzip-text-200k-general.out 2>&1 &
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
  200k) LR=4e-3 STEPS=15000 ;;
  800k) LR=3e-3 STEPS=40000 ;;
  3m) LR=2e-3 STEPS=40000 ;;
  *) echo "train-general.sh: unknown size '$SIZE' (200k, 800k or 3m)" >&2; exit 2 ;;
esac
NAME=lmzip-text-$SIZE-general
[ -d "$CORPUS/train" ] || { echo "train-general.sh: no corpus in $CORPUS (run scripts/corpus.sh)" >&2; exit 1; }

data=()
kinds=$(ls "$CORPUS"/train/*.txt | grep -vc '/prose.txt$')
for f in "$CORPUS"/train/*.txt; do
  if [ "$(basename "$f")" = prose.txt ]; then
    data+=(--data "$f:0.25")
  else
    data+=(--data "$f:$(echo "scale=6; 0.75 / $kinds" | bc)")
  fi
done
# Dev: enwik6, the corpus's own dev split, and files of mixed/ (evaluated, never trained on).
dev=(--dev "enwik6=$DATA/text/enwik/enwik6" --dev "corpus-python=$CORPUS/dev/code-python.txt"
     --dev "corpus-roff=$CORPUS/dev/roff.txt")
for f in gtest.cc nodejs_fs.html iso_3166-2.json; do dev+=(--dev "$f=$DATA/mixed/$f"); done

if [ ! -x "$BUILD/lmzip-train" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j2 --target lmzip-train
fi
mkdir -p models/checkpoints models/logs "$BUILD/run"
# A private copy, so that rebuilding the trainer never touches a running job.
BIN="$BUILD/run/lmzip-train.$$"
cp "$BUILD/lmzip-train" "$BIN"
trap 'rm -f "$BIN"' EXIT
"$BIN" --threads 2 train --preset "$SIZE" --window 256 --ctx 256 --batch 8 \
  --lr "$LR" --min-lr-frac 0.1 --warmup 300 --steps "$STEPS" --wd 0.1 --clip 1.0 --seed 1337 \
  "${data[@]}" "${dev[@]}" --dev-chunk 2048 --dev-chunks 16 --eval-every 500 --log-every 50 \
  --checkpoint "models/checkpoints/$NAME.ckpt" --ckpt-minutes 5 \
  --log "models/logs/$NAME.csv" --plot "models/logs/$NAME.svg" --resume "$@"
