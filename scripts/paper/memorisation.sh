#!/usr/bin/env bash
# Compression as a test of contamination: the shipped text models on text
# they were trained on against held-out text of the same kind, each also
# lightly perturbed (scripts/paper/perturb.py), and the audio model on a
# training recording against a dev one. `lmzip eval`, the paper's protocol.
# Writes docs/paper/memorisation/results.tsv, then docs/paper/memorisation.md.
#   scripts/paper/memorisation.sh [--reuse]   (--reuse: keep results.tsv if it exists)
source "$(dirname "$0")/env.sh"
OUT=docs/paper/memorisation
BYTES=262144
mkdir -p "$OUT"
if [ "${1:-}" != --reuse ] || [ ! -s "$OUT/results.tsv" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # Trained on: enwik8 bytes 1M-3M are in every shipped text model's mix
  # (docs/TRAINING.md); held out: enwik6, the megabyte before them.
  head -c $BYTES "$DATA/text/enwik/enwik8_bytes_1M_3M" > "$work/trained"
  head -c $BYTES "$DATA/text/enwik/enwik6" > "$work/heldout"
  for s in trained heldout; do
    n=$(python3 scripts/paper/perturb.py "$work/$s" "$work/$s-perturbed" --share 0.1 --seed 1)
    echo "$s: $n words perturbed" >&2
  done
  bpb() {  # model file -> bits per byte
    "$BUILD_DIR/lmzip" eval -m "$1" --no-codec "$2" | awk 'NR == 3 {print $3}'
  }
  printf 'model\tparameters\tset\tbytes\tbits_per_byte\n' > "$OUT/results.tsv.part"
  for m in lmzip-text-200k-v2 lmzip-text-800k-v2 lmzip-text-3m; do
    p=$("$BUILD_DIR/lmzip" model info "$m" | awk '/^parameters/ {gsub(",", "", $2); print $2}')
    for s in trained trained-perturbed heldout heldout-perturbed; do
      echo "memorisation: $m $s" >&2
      printf '%s\t%s\t%s\t%s\t%s\n' "$m" "$p" "$s" $BYTES "$(bpb "$m" "$work/$s")" >> "$OUT/results.tsv.part"
    done
  done
  # Audio: a training recording and a dev one, both LibriVox read speech (scripts/train-media.sh).
  p=$("$BUILD_DIR/lmzip" model info lmzip-audio16 | awk '/^parameters/ {gsub(",", "", $2); print $2}')
  for s in trained:moon heldout:cats; do
    f="$DATA/audio/vosk_librivox/${s#*:}.wav"
    printf '%s\t%s\t%s\t%s\t%s\n' lmzip-audio16 "$p" "${s%%:*} (${s#*:}.wav)" \
      "$("$BUILD_DIR/lmzip" eval -m lmzip-audio16 --no-codec "$f" | awk 'NR == 3 {print $2}')" \
      "$(bpb lmzip-audio16 "$f")" >> "$OUT/results.tsv.part"
  done
  mv "$OUT/results.tsv.part" "$OUT/results.tsv"
fi
python3 scripts/paper/memorisation_report.py "$OUT/results.tsv" docs/paper/memorisation.md
