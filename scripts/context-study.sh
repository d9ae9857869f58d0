#!/usr/bin/env bash
# Issue 17, the paper's Figure 4: what the attention window buys. Trains the
# 200K shape on the general corpus (scripts/train-general.sh) with windows of
# 128, 256, 512 and 1024 bytes at equal data (STEPS steps of 2048 bytes each:
# batch 16 x 128, 8 x 256, 4 x 512, 2 x 1024), then measures each model
#   - alone, in independent 2048-byte chunks (the paper's protocol), and
#   - through the codec with the adaptive stage (`lmzip -m MODEL`, whole files),
# on enwik6 and the text files of mixed/, and writes docs/CONTEXT.md with its
# table and figure (docs/context.svg).
#   scripts/context-study.sh [train|measure|report|all]   (default all)
# train resumes unfinished runs (checkpoints models/checkpoints/ctx-study-W.ckpt,
# logs models/logs/context/); measure writes models/logs/context/results.tsv
# (committed), report redraws the document from it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${LMZIP_DATA:-$ROOT/../shared/data}
BUILD=${LMZIP_TRAIN_BUILD:-$ROOT/build-train}
STEPS=${STEPS:-5000}
WINDOWS=(128 256 512 1024)
LOGS=models/logs/context
RESULTS=$LOGS/results.tsv
FILES=(text/enwik/enwik6 mixed/gtest.cc mixed/typing.py mixed/nodejs_fs.html
       mixed/nodejs_CHANGELOG_V20.head500k.md mixed/bash.1 mixed/iso_3166-2.json
       mixed/iso_639-3.head600k.xml mixed/iso_639-3.csv mixed/dpkg.head300k.log)
what=${1:-all}
mkdir -p "$LOGS"

train() {
  for W in "${WINDOWS[@]}"; do
    NAME=ctx-study-$W WINDOW=$W STEPS=$STEPS scripts/train-general.sh 200k \
      --log "$LOGS/ctx-study-$W.csv" --plot "$LOGS/ctx-study-$W.svg" >> "$LOGS/ctx-study-$W.out" 2>&1
  done
}

measure() {
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  printf 'window\tfile\tbytes\tmodel_bits_per_byte\tcodec_bytes\n' > "$tmp/results.tsv"
  for W in "${WINDOWS[@]}"; do
    local ckpt=models/checkpoints/ctx-study-$W.ckpt gguf=$tmp/ctx-study-$W.gguf
    "$BUILD/lmzip-train" export --checkpoint "$ckpt" --out "$gguf" --f16 --name "ctx-study-$W" \
      --context-length 2048 > /dev/null
    for f in "${FILES[@]}"; do
      local path=$DATA/$f bpb codec
      bpb=$("$BUILD/lmzip-train" --threads 2 eval --f16 --checkpoint "$ckpt" "$path" |
            sed -n 's/.*: \([0-9.]*\) bits\/byte.*/\1/p')
      codec=$("$BUILD/lmzip" -q -T2 -m "$gguf" -c "$path" | wc -c)
      printf '%s\t%s\t%s\t%s\t%s\n' "$W" "$(basename "$f")" "$(stat -c %s "$path")" "$bpb" "$codec" >> "$tmp/results.tsv"
      echo "window $W $(basename "$f"): $bpb bits/byte alone, $codec bytes through the codec" >&2
    done
  done
  mv "$tmp/results.tsv" "$RESULTS"
}

report() {
  python3 scripts/context-report.py "$RESULTS" "$LOGS" "$STEPS" docs/CONTEXT.md docs/context.svg
}

case "$what" in
  train) train ;;
  measure) measure ;;
  report) report ;;
  all) train; measure; report ;;
  *) echo "usage: scripts/context-study.sh [train|measure|report|all]" >&2; exit 2 ;;
esac
