#!/usr/bin/env bash
# Trains (or resumes) one of lmzip's media models and exports it as
# models/lmzip-MEDIA.gguf (f16):
#   image-gray  64-pixel-wide gray tiles (the paper's 32 x 64 patches), med filter
#   image-rgb   64 x 10 RGB tiles, med filter per channel
#   audio8      8-bit mono (the paper's audio), poly1 filter
#   audio16     16-bit little-endian mono, poly2 filter
# Image models are exported with the token mixer image1, which adapts the
# network's distribution to each chunk while it is coded (docs/ARCHITECTURE.md).
# The filter's context tags (channel and activity of a pixel, which byte of a
# sample) go into the input ids: med gives 4 per channel, poly2 on 16 bits 2.
# d=64, 4 layers, 4 heads, window 256, 256-byte training windows of filter
# tokens (`lmzip-train tokens`). Training and dev data (docs/MODELS.md):
#   images: train ../shared/data/image/wikipedia-photos; dev usc_sipi, waterloo
#   audio:  train vosk_librivox except cats.wav and dagon.wav, and
#           pyaudioanalysis_misc; dev cats.wav, dagon.wav
#   scripts/train-media.sh image-gray [lmzip-train train options]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${LMZIP_DATA:-$ROOT/../shared/data}
BUILD=${LMZIP_TRAIN_BUILD:-$ROOT/build-train}
MEDIA=${1:?usage: scripts/train-media.sh image-gray|image-rgb|audio8|audio16 [options]}
shift
case "$MEDIA" in
  image-gray) FILTER=med TAGS=4 STEPS=16000 ;;
  image-rgb) FILTER=med TAGS=12 STEPS=16000 ;;
  audio8) FILTER=poly1 TAGS=1 STEPS=10000 ;;
  audio16) FILTER=poly2 TAGS=2 STEPS=16000 ;;
  *) echo "train-media.sh: unknown media '$MEDIA'" >&2; exit 2 ;;
esac
NAME=lmzip-$MEDIA
case "$MEDIA" in
  image-*)
    # Wikimedia Commons photos, mostly CC licences that require attribution:
    # the list of sources is ../shared/data/image/wikipedia-photos/README.md.
    LICENSE="LicenseRef-wikipedia-photos (docs/MODELS.md)"
    MIXER=image1
    TRAIN=("$DATA"/image/wikipedia-photos/*.png)
    DEV=("$DATA"/image/usc_sipi/misc/*.png "$DATA"/image/waterloo/*.png) ;;
  audio*)
    LICENSE=Apache-2.0  # the vosk-api and pyAudioAnalysis example recordings
    MIXER=none
    TRAIN=()
    for f in "$DATA"/audio/vosk_librivox/*.wav "$DATA"/audio/pyaudioanalysis_misc/*.wav; do
      case "$(basename "$f")" in cats.wav|dagon.wav) ;; *) TRAIN+=("$f") ;; esac
    done
    DEV=("$DATA"/audio/vosk_librivox/cats.wav "$DATA"/audio/vosk_librivox/dagon.wav) ;;
esac

if [ ! -x "$BUILD/lmzip-train" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j2 --target lmzip-train
fi
mkdir -p models/checkpoints models/logs "$BUILD/run" "$BUILD/tokens"
BIN="$BUILD/run/lmzip-train.$$"
cp "$BUILD/lmzip-train" "$BIN"
trap 'rm -f "$BIN"' EXIT

TOK="$BUILD/tokens/$MEDIA"
"$BIN" tokens --media "$MEDIA" --filter $FILTER --out "$TOK.train" "${TRAIN[@]}"
"$BIN" tokens --media "$MEDIA" --filter $FILTER --out "$TOK.dev" "${DEV[@]}"
CHUNK=2048
[ "$MEDIA" = image-rgb ] && CHUNK=1920

"$BIN" --threads 2 train --preset 200k --tags $TAGS --window 256 --ctx 256 --batch 8 \
  --lr 4e-3 --min-lr-frac 0.1 --warmup 300 --steps $STEPS --wd 0.1 --clip 1.0 --seed 1337 \
  --data "$TOK.train" --dev "dev=$TOK.dev" --dev-chunk $CHUNK --dev-chunks 64 \
  --eval-every 1000 --log-every 100 \
  --checkpoint "models/checkpoints/$NAME.ckpt" --ckpt-minutes 5 \
  --log "models/logs/$NAME.csv" --plot "models/logs/$NAME.svg" --resume "$@"

"$BIN" --threads 2 eval --checkpoint "models/checkpoints/$NAME.ckpt" --chunk $CHUNK --f16 "$TOK.dev"
"$BIN" export --checkpoint "models/checkpoints/$NAME.ckpt" --out "models/$NAME.gguf" --f16 \
  --media "$MEDIA" --filter $FILTER --mixer $MIXER --name "$NAME" --license "$LICENSE" \
  --training-data "$(printf '%s ' "${TRAIN[@]##*/}")"
