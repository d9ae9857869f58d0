#!/usr/bin/env bash
# Exports a training run's current checkpoint as the GGUF model lmzip loads
# (f16 matrices: `lmzip-train eval --f16` shows what that costs) and scores it
# on the dev sets in the paper's protocol (independent 2048-byte chunks).
#   scripts/train-export.sh 200k|800k|3m [OUT.gguf] [--f32]
# SCORE=0 skips the scoring.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${LMZIP_TRAIN_BUILD:-build-train}
DATA=${LMZIP_DATA:-../shared/data}/text
SIZE=${1:?usage: scripts/train-export.sh 200k|800k|3m [OUT.gguf] [--f32]}
NAME=lmzip-text-$SIZE
CKPT=models/checkpoints/$NAME.ckpt
OUT=${2:-models/$NAME.gguf}
F16=--f16
[ "${3:-}" = "--f32" ] && F16=
# Licence: the strictest of the training texts' (GCIDE is GPL-3+; CC BY-SA 4.0
# text may be used under GPLv3; the rest is public domain, GFDL or BSD-like).
# docs/MODELS.md explains the choice.
WIKI_SHARE="33% of samples"
[ "$SIZE" = 3m ] && WIKI_SHARE="25% of samples, 40% from step 21,558"
SUMMARY="text: enwik8 bytes 1M-3M (Wikipedia XML, $WIKI_SHARE), Dickens, GCIDE, fortunes, FOLDOC, Jargon File, KJV Bible, Devil's Dictionary (../shared/data/text minus the dev sets enwik6 and wikitext2/valid); see docs/MODELS.md"
"$BUILD/lmzip-train" export --checkpoint "$CKPT" --out "$OUT" $F16 --name "$NAME" \
  --license GPL-3.0-or-later --training-data "$SUMMARY" --context-length 2048
if [ "${SCORE:-1}" = 1 ]; then
  "$BUILD/lmzip-train" eval ${F16:+--f16} --checkpoint "$CKPT" "$DATA/enwik/enwik6" "$DATA/wikitext2/valid.txt"
fi
