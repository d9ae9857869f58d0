#!/usr/bin/env bash
# The paper's Figure 3, "compressors as generative models": text, image and
# audio samples drawn from lmzip's models and from gzip (as a sampler, see
# scripts/paper/gzip_sample.py), each continuing the same real prompt, seed 1.
#
# Usage: scripts/paper/samples.sh [--reuse]
#   --reuse   keep every prompt / sample file that already exists in
#             docs/paper/samples/ and draw only the missing ones (with all of
#             them present: no drawing at all, only the SVGs and the markdown
#             are rendered again).
# Environment:
#   BUILD_DIR         where lmzip is built (default build)
#   LMZIP_DATA        the data sets (default ../shared/data)
#   LMZIP_MODEL_PATH  the models (default $PWD/models, $PWD = the repo root)
#   OUT_DIR           where samples.md and samples/ go (default docs/paper)
# Writes OUT_DIR/samples/ (the raw prompts and samples, commands.tsv with each
# draw's command, time and versions, image.svg, audio.svg) and OUT_DIR/samples.md.
# Relative paths in the environment are taken from the directory it is run in;
# the defaults from the repository root. Needs python3 (standard library only).
#
# Raw formats: text as bytes; an image tile as 8-bit gray pixels, row-major,
# 64 wide; audio as mono int16 little-endian at 16 kHz. `lmzip sample -n N`
# must write exactly N bytes of the same format to stdout (after --prompt,
# whose bytes it continues and does not repeat); anything else stops the run.
set -euo pipefail
REUSE=0
case "${1:-}" in
  --reuse) REUSE=1 ;;
  "") ;;
  -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "samples.sh: unknown argument '$1' (usage: samples.sh [--reuse])" >&2; exit 2 ;;
esac
CALLER=$PWD
abs() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$CALLER/$1" ;; esac; }
cd "$(dirname "$0")/../.."
ROOT=$PWD
if [ -n "${BUILD_DIR:-}" ]; then BUILD=$(abs "$BUILD_DIR"); else BUILD=$ROOT/build; fi
if [ -n "${LMZIP_DATA:-}" ]; then DATA=$(abs "$LMZIP_DATA"); else DATA=$ROOT/../shared/data; fi
if [ -n "${LMZIP_MODEL_PATH:-}" ]; then LMZIP_MODEL_PATH=$(abs "$LMZIP_MODEL_PATH"); else LMZIP_MODEL_PATH=$ROOT/models; fi
export LMZIP_MODEL_PATH
if [ -n "${OUT_DIR:-}" ]; then OUTD=$(abs "$OUT_DIR"); else OUTD=$ROOT/docs/paper; fi
S=$OUTD/samples
MD=$OUTD/samples.md
LMZIP=$BUILD/lmzip
PAPER=$ROOT/scripts/paper
SEED=1
CTX=2048            # gzip's context in bytes: the paper's chunk
mkdir -p "$S"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LOG=$S/commands.tsv  # name <TAB> seconds <TAB> versions <TAB> command
touch "$LOG"

rel() { printf '%s\n' "${1#"$ROOT"/}"; }   # a path as shown in the markdown
size() { stat -c %s "$1"; }
have() { [ "$REUSE" = 1 ] && [ -s "$1" ]; }
need_size() {  # FILE BYTES
  local n; n=$(size "$1")
  [ "$n" = "$2" ] || { echo "samples.sh: $(rel "$1") has $n bytes, expected $2" >&2; exit 1; }
}
lmzip_version() {
  [ -x "$LMZIP" ] || { echo "samples.sh: $LMZIP not found: build lmzip first (cmake --build $BUILD --target lmzip) or set BUILD_DIR" >&2; exit 1; }
  "$LMZIP" --version | head -1
}
gzip_version() { python3 -c 'import sys, zlib; print("Python", sys.version.split()[0] + ", zlib", zlib.ZLIB_RUNTIME_VERSION)'; }

# draw OUT BYTES VERSIONS COMMAND...: runs COMMAND with stdout to OUT (unless
# --reuse finds OUT), checks it wrote BYTES bytes, records the command and time.
draw() {
  local out=$1 bytes=$2 versions=$3; shift 3
  local name; name=$(basename "$out")
  if have "$out" && grep -q "^$name	" "$LOG"; then
    need_size "$out" "$bytes"; echo "samples.sh: reusing $(rel "$out")" >&2; return
  fi
  echo "samples.sh: drawing $(rel "$out")" >&2
  local t0 t1 shown=()
  t0=$(date +%s.%N)
  "$@" > "$out.tmp" || { rm -f "$out.tmp"; echo "samples.sh: failed: $*" >&2; exit 1; }
  t1=$(date +%s.%N)
  if [ "$(size "$out.tmp")" != "$bytes" ]; then
    echo "samples.sh: $* wrote $(size "$out.tmp") bytes, expected $bytes" >&2; rm -f "$out.tmp"; exit 1
  fi
  mv "$out.tmp" "$out"
  for a in "$@"; do
    case "$a" in
      "$LMZIP") shown+=(lmzip) ;;
      "$PAPER"/*) shown+=("scripts/paper/${a#"$PAPER"/}") ;;
      "$ROOT"/*) shown+=("$(rel "$a")") ;;
      *) shown+=("$a") ;;
    esac
  done
  { grep -v "^$name	" "$LOG" || true; } > "$WORK/log"
  printf '%s\t%s\t%s\t%s\n' "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" \
    "$versions" "${shown[*]} > $(rel "$out")" >> "$WORK/log"
  cp "$WORK/log" "$LOG"
}
logged() {  # NAME FIELD(2 = seconds, 3 = versions, 4 = command)
  awk -F '\t' -v n="$1" -v f="$2" '$1 == n { print $f }' "$LOG"
}

# ---------------------------------------------------------------- prompts
TEXT_SRC=$DATA/text/wikitext2/valid.txt
TEXT_PROMPT_BYTES=1024
TEXT_N=256
have "$S/text-prompt.txt" || { head -c "$TEXT_PROMPT_BYTES" "$TEXT_SRC" > "$S/text-prompt.txt"; }
need_size "$S/text-prompt.txt" "$TEXT_PROMPT_BYTES"

IMG_SRC=$DATA/image/waterloo/camera.png
IMG_X=128 IMG_Y=128 IMG_W=64 IMG_H=32
IMG_PROMPT_ROWS=16
IMG_PROMPT_BYTES=$(( IMG_W * IMG_PROMPT_ROWS ))
IMG_N=$(( IMG_W * (IMG_H - IMG_PROMPT_ROWS) ))
have "$S/image-real.raw" || python3 "$PAPER/png_gray.py" "$IMG_SRC" --x $IMG_X --y $IMG_Y \
  --width $IMG_W --height $IMG_H --out "$S/image-real.raw"
need_size "$S/image-real.raw" $(( IMG_W * IMG_H ))
have "$S/image-prompt.raw" || head -c $IMG_PROMPT_BYTES "$S/image-real.raw" > "$S/image-prompt.raw"
need_size "$S/image-prompt.raw" $IMG_PROMPT_BYTES

AUD_SRC=$DATA/audio/vosk_librivox/cats.wav
AUD_RATE=16000
AUD_START_MS=1000
# lmzip's media models draw within one chunk of their geometry (lmzip sample
# refuses more): prompt + sample at most CHUNK bytes, 1024 samples of 16 bits.
CHUNK=2048
AUD_PROMPT_SAMPLES=512       # 32 ms
AUD_N_SAMPLES=512            # 32 ms
if [ $(( 2 * (AUD_PROMPT_SAMPLES + AUD_N_SAMPLES) )) -gt $CHUNK ] || [ $(( IMG_W * IMG_H )) -gt $CHUNK ]; then
  echo "samples.sh: a prompt + sample exceeds the $CHUNK-byte chunk" >&2; exit 1
fi
AUD_PROMPT_BYTES=$(( 2 * AUD_PROMPT_SAMPLES ))
AUD_N=$(( 2 * AUD_N_SAMPLES ))
if ! have "$S/audio-real.raw"; then
  python3 - "$AUD_SRC" "$AUD_RATE" "$AUD_START_MS" $(( AUD_PROMPT_SAMPLES + AUD_N_SAMPLES )) \
    "$S/audio-real.raw" <<'EOF'
import struct, sys, wave
src, rate, start_ms, count, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
with wave.open(src) as w:
    ch, width, fr = w.getnchannels(), w.getsampwidth(), w.getframerate()
    if width != 2 or fr != rate:
        sys.exit(f"samples.sh: {src} is {8 * width}-bit at {fr} Hz, expected 16-bit at {rate} Hz")
    w.setpos(start_ms * fr // 1000)
    frames = w.readframes(count)
v = struct.unpack(f"<{len(frames) // 2}h", frames)
if len(v) != count * ch:
    sys.exit(f"samples.sh: {src} is too short")
mono = [sum(v[i:i + ch]) // ch for i in range(0, len(v), ch)]  # mix down to mono
with open(out, "wb") as f:
    f.write(struct.pack(f"<{len(mono)}h", *mono))
EOF
fi
need_size "$S/audio-real.raw" $(( AUD_PROMPT_BYTES + AUD_N ))
have "$S/audio-prompt.raw" || head -c $AUD_PROMPT_BYTES "$S/audio-real.raw" > "$S/audio-prompt.raw"
need_size "$S/audio-prompt.raw" $AUD_PROMPT_BYTES

# ---------------------------------------------------------------- gzip (first: it needs no model)
GZ=(python3 "$PAPER/gzip_sample.py" --quiet --seed "$SEED" --context "$CTX" --out -)
GZV=$(gzip_version)
draw "$S/text-gzip.bin"   $TEXT_N "$GZV" "${GZ[@]}" --prompt "$S/text-prompt.txt" --n $TEXT_N
draw "$S/image-gzip.raw"  $IMG_N  "$GZV" "${GZ[@]}" --prompt "$S/image-prompt.raw" --n $IMG_N
draw "$S/audio-gzip.raw"  $AUD_N  "$GZV" "${GZ[@]}" --prompt "$S/audio-prompt.raw" --n $AUD_N

# ---------------------------------------------------------------- lmzip
TEXT_MODELS=(lmzip-text-800k-v2 lmzip-text-200k-v2)
IMG_MODEL=lmzip-image-gray
AUD_MODEL=lmzip-audio16
lmzip_draw() {  # OUT BYTES MODEL PROMPT
  local v=
  if ! { have "$1" && grep -q "^$(basename "$1")	" "$LOG"; }; then v=$(lmzip_version); fi
  draw "$1" "$2" "$v" "$LMZIP" sample -m "$3" --prompt "$4" -n "$2" --seed $SEED
}
for m in "${TEXT_MODELS[@]}"; do
  lmzip_draw "$S/text-$m.bin" $TEXT_N "$m" "$S/text-prompt.txt"
done
lmzip_draw "$S/image-$IMG_MODEL.raw" $IMG_N "$IMG_MODEL" "$S/image-prompt.raw"
lmzip_draw "$S/audio-$AUD_MODEL.raw" $AUD_N "$AUD_MODEL" "$S/audio-prompt.raw"

# ---------------------------------------------------------------- render
cat "$S/image-prompt.raw" "$S/image-$IMG_MODEL.raw" > "$WORK/image-lmzip.raw"
cat "$S/image-prompt.raw" "$S/image-gzip.raw" > "$WORK/image-gzip.raw"
python3 "$PAPER/render_samples.py" image --width $IMG_W --height $IMG_H --mark-row $IMG_PROMPT_ROWS \
  --out "$S/image.svg" --title "camera.png, ${IMG_W}x${IMG_H} at ($IMG_X,$IMG_Y): top $IMG_PROMPT_ROWS rows given, bottom $(( IMG_H - IMG_PROMPT_ROWS )) drawn" \
  "real=$S/image-real.raw" "$IMG_MODEL=$WORK/image-lmzip.raw" "gzip=$WORK/image-gzip.raw"
cat "$S/audio-prompt.raw" "$S/audio-$AUD_MODEL.raw" > "$WORK/audio-lmzip.raw"
cat "$S/audio-prompt.raw" "$S/audio-gzip.raw" > "$WORK/audio-gzip.raw"
python3 "$PAPER/render_samples.py" audio --rate $AUD_RATE --mark $AUD_PROMPT_SAMPLES \
  --out "$S/audio.svg" --title "cats.wav from $AUD_START_MS ms: $AUD_PROMPT_SAMPLES samples given (left of the red line), $AUD_N_SAMPLES drawn" \
  "real=$S/audio-real.raw" "$AUD_MODEL=$WORK/audio-lmzip.raw" "gzip=$WORK/audio-gzip.raw"
TEXT_ARGS=("prompt: the first $TEXT_PROMPT_BYTES bytes of wikitext2/valid.txt=$S/text-prompt.txt")
for m in "${TEXT_MODELS[@]}"; do TEXT_ARGS+=("$m=$S/text-$m.bin"); done
TEXT_ARGS+=("gzip=$S/text-gzip.bin")
python3 "$PAPER/render_samples.py" text --out "$WORK/text.md" "${TEXT_ARGS[@]}"

row() {  # NAME SAMPLER PROMPT BYTES
  # shellcheck disable=SC2016  # the backticks are markdown
  printf '| %s | %s | %s | %s | %s | `%s` |\n' "$2" "$3" "$4" "$(logged "$1" 2)" "$(logged "$1" 3)" "$(logged "$1" 4)"
}
SRCREL=${DATA#"$ROOT"/}
{
  echo "## Compressors as generative models (the paper's Figure 3)"
  echo
  echo "Every compressor is a generative model: a code that spends L(x) bits on x assigns x the"
  echo "probability 2^-L(x), so the next byte b after a context c can be drawn with"
  echo "P(b | c) ∝ 2^-L(c + b). lmzip's models give these probabilities directly (\`lmzip sample\`);"
  echo "gzip is turned into a sampler by \`scripts/paper/gzip_sample.py\`:"
  echo "for each of the 256 candidate bytes it deflates (raw DEFLATE, level 9, no header) the last"
  echo "$CTX bytes of prompt + drawn bytes + the candidate, and draws with weight 2^-(8 × compressed bytes)."
  echo "DEFLATE's lengths are whole bytes, so the candidates fall into a few length classes, nearly all"
  echo "the probability goes to the shortest one and its bytes tie: gzip draws uniformly from a set of"
  echo "\"cheap\" bytes, which gives letter soup and noise, as in the paper's Figure 3."
  echo
  echo "Generated by \`bash scripts/paper/samples.sh\` (\`--reuse\` keeps the samples and redraws the figures);"
  echo "do not edit by hand. Every sample continues the same real prompt and is drawn with seed $SEED;"
  echo "the raw prompts and samples are in [samples/](samples/), each draw's command, seconds and"
  echo "versions in [samples/commands.tsv](samples/commands.tsv). Data from"
  echo "\`$SRCREL\`. Time is wall-clock seconds of the draw on the machine that ran the script."
  echo
  echo "### Text"
  echo
  echo "Prompt: the first $TEXT_PROMPT_BYTES bytes of \`text/wikitext2/valid.txt\`; each sampler draws $TEXT_N bytes."
  echo
  echo "| sampler | prompt | bytes drawn | seconds | versions | command |"
  echo "|---|---|---:|---:|---|---|"
  for m in "${TEXT_MODELS[@]}"; do row "text-$m.bin" "$m" "$TEXT_PROMPT_BYTES bytes of text" $TEXT_N; done
  row text-gzip.bin gzip "$TEXT_PROMPT_BYTES bytes of text" $TEXT_N
  echo
  # shellcheck disable=SC2016  # the backticks are markdown
  printf '%s\n' 'Bytes that are not printable UTF-8 (or a newline) are shown as `\xNN`, a backslash as `\\`.'
  echo
  cat "$WORK/text.md"
  echo
  echo "### Image"
  echo
  echo "A ${IMG_W}x${IMG_H} tile of \`image/waterloo/camera.png\` (8-bit gray) at x = $IMG_X, y = $IMG_Y. Prompt: its"
  echo "top $IMG_PROMPT_ROWS rows ($IMG_PROMPT_BYTES bytes, row-major); each sampler draws the bottom"
  echo "$(( IMG_H - IMG_PROMPT_ROWS )) rows ($IMG_N bytes), shown below its prompt. Red ticks mark where the drawn rows start."
  echo
  echo "![real tile, $IMG_MODEL's and gzip's continuations](samples/image.svg)"
  echo
  echo "| sampler | prompt | bytes drawn | seconds | versions | command |"
  echo "|---|---|---:|---:|---|---|"
  row "image-$IMG_MODEL.raw" "$IMG_MODEL" "$IMG_PROMPT_ROWS rows of $IMG_W pixels" $IMG_N
  row image-gzip.raw gzip "$IMG_PROMPT_ROWS rows of $IMG_W pixels" $IMG_N
  echo
  echo "### Audio"
  echo
  echo "\`audio/vosk_librivox/cats.wav\` ($AUD_RATE Hz, 16-bit mono) from $AUD_START_MS ms. Prompt: $AUD_PROMPT_SAMPLES samples"
  echo "($AUD_PROMPT_BYTES bytes, int16 little-endian); each sampler draws $AUD_N_SAMPLES samples ($AUD_N bytes),"
  echo "shown after its prompt; the red line marks where the drawn samples start. $AUD_MODEL, like"
  echo "$IMG_MODEL, draws within one $CHUNK-byte chunk (its training geometry), so prompt and sample"
  echo "fit in $CHUNK bytes. gzip draws byte by byte (low byte, then high byte). All rows share one"
  echo "scale (±32768). lmzip-audio16 codes second-order prediction residuals (its filter, poly2,"
  echo "predicts a sample as 2·x[n−1] − x[n−2]; docs/MODELS.md): drawn residuals are never pulled back"
  echo "by the real signal, so a drawn run is a double sum of random residuals that drifts to full scale"
  echo "and wraps around at ±32768. The model predicts the next sample well given real ones (its rate on"
  echo "dev speech, docs/models/media.md) and generates poorly: coding and sampling ask different things."
  echo
  echo "![real recording, $AUD_MODEL's and gzip's continuations](samples/audio.svg)"
  echo
  echo "| sampler | prompt | bytes drawn | seconds | versions | command |"
  echo "|---|---|---:|---:|---|---|"
  row "audio-$AUD_MODEL.raw" "$AUD_MODEL" "$AUD_PROMPT_SAMPLES samples" $AUD_N
  row audio-gzip.raw gzip "$AUD_PROMPT_SAMPLES samples" $AUD_N
} > "$WORK/samples.md"
cp "$WORK/samples.md" "$MD"
echo "samples.sh: wrote $(rel "$MD") and $(rel "$S")/" >&2
