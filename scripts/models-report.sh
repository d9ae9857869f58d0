#!/usr/bin/env bash
# Measures the shipped text models for docs/MODELS.md: each dev text file on its
# own through gzip -9, xz -6 / -9e, lmzip order2 and every models/lmzip-text-*.gguf,
# whole and in independent 2048-byte chunks, in one lmzip-bench run per file
# (every result decoded and compared before it counts). Writes
# docs/models/enwik6.md and docs/models/wikitext2.md (+ .csv, .json, .svg).
#   bash scripts/models-report.sh            (about 19 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
DATA=${LMZIP_DATA:-../shared/data}/text

cmake -S . -B "$BUILD_DIR" >/dev/null
cmake --build "$BUILD_DIR" -j2 --target lmzip-bench >/dev/null

models=()
for m in models/lmzip-text-*.gguf; do models+=(--model "$m"); done
for set in enwik6=enwik/enwik6 wikitext2=wikitext2/valid.txt; do
  name=${set%%=*}
  "$BUILD_DIR/lmzip-bench" --codecs gzip,xz,lmzip --mode both -T 2 "${models[@]}" \
    --command "bash scripts/models-report.sh   # $name" \
    --report "docs/models/$name.md" "$DATA/${set#*=}"
done
