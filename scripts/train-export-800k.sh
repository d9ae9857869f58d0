#!/usr/bin/env bash
# Exports the 800K run's current checkpoint as the GGUF model lmzip loads
# (f16 matrices: `lmzip-train eval --f16` shows what that costs, < 0.01% so far)
# and scores it on the dev sets in the paper's protocol (independent 2048-byte
# chunks). Usage: scripts/train-export-800k.sh [OUT.gguf] [--f32]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${LMZIP_TRAIN_BUILD:-build-train}
DATA=${LMZIP_DATA:-../shared/data}/text
CKPT=models/checkpoints/lmzip-text-800k.ckpt
OUT=${1:-models/lmzip-text-800k.gguf}
F16=--f16
[ "${2:-}" = "--f32" ] && F16=
SUMMARY="text: enwik8 bytes 1M-3M (Wikipedia XML, 33% of samples), Dickens, GCIDE, fortunes, FOLDOC, Jargon File, KJV Bible, Devil's Dictionary (../shared/data/text minus the dev sets enwik6 and wikitext2/valid); see docs/TRAINING.md"
"$BUILD/lmzip-train" export --checkpoint "$CKPT" --out "$OUT" $F16 --name lmzip-text-800k \
  --license CC-BY-SA-4.0 --training-data "$SUMMARY" --context-length 2048
if [ "${SCORE:-1}" = 1 ]; then
  "$BUILD/lmzip-train" eval ${F16:+--f16} --checkpoint "$CKPT" "$DATA/enwik/enwik6" "$DATA/wikitext2/valid.txt"
fi
