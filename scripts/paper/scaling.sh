#!/usr/bin/env bash
# The paper's Figure 2 (scale against data): trains a grid of model sizes x
# training-data sizes at one fixed budget (the same steps, batch and context
# for every run, so every run sees the same number of bytes), measures each
# model on held-out text, on enwik6 and on its own training data, and writes
# docs/paper/scaling/results.tsv, then the report (scripts/paper/scaling_report.py:
# docs/paper/scaling.md and the figures docs/paper/scaling/{raw,adjusted}.svg).
#   scripts/paper/scaling.sh [--reuse]
#   mkdir -p /tmp/lmzip-paper && nohup scripts/paper/scaling.sh >> /tmp/lmzip-paper/scaling.out 2>&1 &
# --reuse: no training or measuring, only the report from results.tsv.
#
# Models: d 32/2 heads, 64/4, 128/4, 192/6; 4 layers, window 256, ffn 4d.
# Training data: the first 128 KiB, 1 MiB and 8 MiB of books/dickens.txt.
# Held-out: bytes 9,000,000 .. 9,262,143 (256 KiB) of dickens.txt (in no
# training prefix), the first 256 KiB of enwik6; the memorisation gap: the
# first 256 KiB of the run's own training data (all of it if smaller).
#
# Each run keeps a checkpoint in the work directory and resumes from it; a
# run stopped early (trainer exit status 75: SIGINT/SIGTERM to this script or
# to the trainer) stops the script with status 75, and the same command
# resumes. Runs already in results.tsv are skipped, so the grid can be
# completed across sessions.
#
# Environment:
#   STEPS        optimizer steps per run (1000; a step is 8 x 256 bytes)
#   SIZES        model sizes to run, a subset of "d32 d64 d128 d192"
#   DATA_SIZES   training sizes to run, a subset of "128K 1M 8M"
#   THREADS      trainer threads (2)
#   RESULTS      results file (docs/paper/scaling/results.tsv); the figures go
#                to its directory DIR, the markdown to DIR.md (so a scratch
#                RESULTS=/tmp/x/scaling/results.tsv never touches docs/)
#   PAPER_WORK   work directory root (/tmp/lmzip-paper): data cuts, checkpoints, logs in PAPER_WORK/scaling
#   LMZIP_DATA   shared data (../shared/data)
#   LMZIP_TRAIN_BUILD  build directory holding lmzip-train (build)
#   EVAL_CHUNKS  tests only: score this many evenly spaced 2048-byte chunks
#                of each file instead of all (0 = all; recorded in results.tsv)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DATA=${LMZIP_DATA:-$ROOT/../shared/data}
BUILD=${LMZIP_TRAIN_BUILD:-$ROOT/build}
WORK=${PAPER_WORK:-/tmp/lmzip-paper}/scaling
RESULTS=${RESULTS:-docs/paper/scaling/results.tsv}
OUT_DIR=$(dirname "$RESULTS")
OUT_MD=$OUT_DIR.md
STEPS=${STEPS:-1000}
THREADS=${THREADS:-2}
EVAL_CHUNKS=${EVAL_CHUNKS:-0}
SIZES=${SIZES:-d32 d64 d128 d192}
DATA_SIZES=${DATA_SIZES:-128K 1M 8M}
# The fixed budget (the same for every run).
BATCH=8 CTX=256 WINDOW=256 LAYERS=4 LR=2e-3 WARMUP=50 SEED=1 CHUNK=2048

reuse=0
case "${1:-}" in
  --reuse) reuse=1 ;;
  "") ;;
  *) echo "usage: scripts/paper/scaling.sh [--reuse]" >&2; exit 2 ;;
esac

COLUMNS_TSV="size_name	d	params	train_bytes	steps	seen_bytes	heldout_bpb	enwik6_bpb	train_bpb	train_minutes	layers	heads	batch	ctx	lr	warmup	seed	threads	eval_max_chunks"

report() {
  [ -s "$RESULTS" ] || { echo "scaling.sh: no results in $RESULTS" >&2; exit 1; }
  python3 scripts/paper/scaling_report.py "$RESULTS" "$OUT_DIR" "$OUT_MD"
  echo "scaling.sh: wrote $OUT_MD, $OUT_DIR/raw.svg, $OUT_DIR/adjusted.svg"
}

if [ "$reuse" = 1 ]; then
  report
  exit 0
fi

heads_of() {
  case "$1" in
    d32) echo 2 ;; d64) echo 4 ;; d128) echo 4 ;; d192) echo 6 ;;
    *) echo "scaling.sh: unknown size '$1' (d32 d64 d128 d192)" >&2; exit 2 ;;
  esac
}
bytes_of() {
  case "$1" in
    128K) echo 131072 ;; 1M) echo 1048576 ;; 8M) echo 8388608 ;;
    *) echo "scaling.sh: unknown training size '$1' (128K 1M 8M)" >&2; exit 2 ;;
  esac
}
for s in $SIZES; do heads_of "$s" > /dev/null; done
for t in $DATA_SIZES; do bytes_of "$t" > /dev/null; done
[[ "$STEPS" =~ ^[1-9][0-9]*$ ]] || { echo "scaling.sh: STEPS must be a positive integer" >&2; exit 2; }
[[ "$EVAL_CHUNKS" =~ ^[0-9]+$ ]] || { echo "scaling.sh: EVAL_CHUNKS must be a count" >&2; exit 2; }

DICKENS=$DATA/text/books/dickens.txt
ENWIK6=$DATA/text/enwik/enwik6
for f in "$DICKENS" "$ENWIK6"; do [ -r "$f" ] || { echo "scaling.sh: missing $f" >&2; exit 1; }; done
[ "$(stat -c %s "$DICKENS")" -ge 10000000 ] || { echo "scaling.sh: $DICKENS is shorter than 10,000,000 bytes" >&2; exit 1; }
[ -x "$BUILD/lmzip-train" ] || { echo "scaling.sh: no $BUILD/lmzip-train (build it first)" >&2; exit 1; }

# Results of another budget in the same file would make a mixed grid.
mkdir -p "$OUT_DIR"
if [ -s "$RESULTS" ]; then
  [ "$(head -1 "$RESULTS")" = "$COLUMNS_TSV" ] || { echo "scaling.sh: $RESULTS has other columns" >&2; exit 1; }
  other=$(awk -F'\t' -v s="$STEPS" -v t="$THREADS" -v e="$EVAL_CHUNKS" \
    'NR > 1 && ($5 != s || $18 != t || $19 != e) { n++ } END { print n + 0 }' "$RESULTS")
  [ "$other" = 0 ] || { echo "scaling.sh: $RESULTS holds $other run(s) of another STEPS/THREADS/EVAL_CHUNKS; use another RESULTS" >&2; exit 1; }
else
  printf '%s\n' "$COLUMNS_TSV" > "$RESULTS"
fi

# Data cuts (rebuilt when missing or of the wrong size).
mkdir -p "$WORK"
cut_file() {  # cut_file OUT BYTES COMMAND...
  local out=$1 n=$2
  shift 2
  if [ ! -f "$out" ] || [ "$(stat -c %s "$out")" -ne "$n" ]; then
    "$@" > "$out.tmp"
    [ "$(stat -c %s "$out.tmp")" -eq "$n" ] || { echo "scaling.sh: cutting $out gave the wrong size" >&2; exit 1; }
    mv "$out.tmp" "$out"
  fi
}
HELDOUT=$WORK/dickens-heldout-9000000-9262143.txt
ENWIK_EVAL=$WORK/enwik6-head-256K.txt
TRAIN_HEAD=$WORK/dickens-head-256K.txt  # the first 256 KiB of every training prefix of 256 KiB or more
cut_file "$HELDOUT" 262144 sh -c 'tail -c +9000001 "$1" | head -c 262144' sh "$DICKENS"
cut_file "$ENWIK_EVAL" 262144 head -c 262144 "$ENWIK6"
cut_file "$TRAIN_HEAD" 262144 head -c 262144 "$DICKENS"
for t in $DATA_SIZES; do
  cut_file "$WORK/dickens-head-$t.txt" "$(bytes_of "$t")" head -c "$(bytes_of "$t")" "$DICKENS"
done

# A private copy of the trainer, so that a rebuild never touches a running job.
BIN=$WORK/lmzip-train.$$
cp "$BUILD/lmzip-train" "$BIN"
child=
cleanup() { rm -f "$BIN"; }
trap cleanup EXIT
# SIGINT/SIGTERM to this script go to the trainer, which checkpoints and exits 75.
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; interrupted=1' INT TERM
interrupted=0

run_bg() {  # run_bg LOG COMMAND...: runs in the background, waits; sets rc
  local log=$1
  shift
  "$@" >> "$log" 2>&1 &
  child=$!
  set +e
  wait "$child"
  rc=$?
  while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
  set -e
  child=
}

bpb_of() {  # bpb_of EVAL_OUTPUT FILE
  awk -v f="$2: " 'index($0, f) == 1 { print $2; found = 1 } END { exit !found }' "$1"
}

# `od` reads the checkpoint header (docs/CHECKPOINT_FORMAT.md, version 2).
ckpt_field() {  # ckpt_field CKPT OFFSET TYPE
  od -An -t "$3" -j "$2" -N 8 "$1" | tr -d ' '
}

seen=$((STEPS * BATCH * CTX))
echo "scaling.sh: budget $STEPS steps x batch $BATCH x ctx $CTX = $seen bytes seen per run;" \
  "lr $LR (warm-up $WARMUP, cosine to 10%), seed $SEED, $THREADS threads; sizes: $SIZES; data: $DATA_SIZES"
echo "scaling.sh: work directory $WORK, results $RESULTS"

for t in $DATA_SIZES; do
  tbytes=$(bytes_of "$t")
  train_file=$WORK/dickens-head-$t.txt
  if [ "$tbytes" -le 262144 ]; then own=$train_file; else own=$TRAIN_HEAD; fi
  for s in $SIZES; do
    [ "$interrupted" = 0 ] || exit 75
    d=${s#d}
    heads=$(heads_of "$s")
    if awk -F'\t' -v s="$s" -v b="$tbytes" -v n="$STEPS" \
         'NR > 1 && $1 == s && $4 == b && $5 == n { f = 1 } END { exit !f }' "$RESULTS"; then
      echo "scaling.sh: $s on $t: already in $RESULTS"
      continue
    fi
    name=$s-$t-s$STEPS
    ckpt=$WORK/$name.ckpt
    log=$WORK/$name.out
    echo "scaling.sh: $s on $t: training ($log)"
    run_bg "$log" "$BIN" --threads "$THREADS" train \
      --d "$d" --heads "$heads" --layers "$LAYERS" --window "$WINDOW" --ctx "$CTX" --batch "$BATCH" \
      --data "$train_file" --dev "heldout=$HELDOUT" --dev "enwik6=$ENWIK6" --dev-chunk "$CHUNK" \
      --steps "$STEPS" --warmup "$WARMUP" --lr "$LR" --min-lr-frac 0.1 --wd 0.1 --clip 1.0 --seed "$SEED" \
      --eval-every 0 --log-every 50 \
      --checkpoint "$ckpt" --ckpt-minutes 5 --log "$WORK/$name.csv" --resume
    if [ "$rc" = 75 ] || [ "$interrupted" = 1 ]; then
      echo "scaling.sh: $s on $t stopped early (checkpoint $ckpt); rerun the same command to resume" >&2
      exit 75
    fi
    [ "$rc" = 0 ] || { echo "scaling.sh: $s on $t: lmzip-train train failed (status $rc, see $log)" >&2; exit "$rc"; }
    params=$(grep -o 'params=[0-9]*' "$log" | tail -1 | cut -d= -f2)
    step=$(ckpt_field "$ckpt" 52 d8)
    seen_bytes=$(ckpt_field "$ckpt" 60 u8)
    seconds=$(ckpt_field "$ckpt" 68 f8)
    [ "$step" = "$STEPS" ] || { echo "scaling.sh: $ckpt is at step $step, not $STEPS" >&2; exit 1; }
    minutes=$(awk -v s="$seconds" 'BEGIN { printf "%.3f", s / 60 }')

    echo "scaling.sh: $s on $t: measuring"
    evalout=$WORK/$name.eval
    : > "$evalout"
    run_bg "$evalout" "$BIN" --threads "$THREADS" eval --checkpoint "$ckpt" \
      --chunk "$CHUNK" --max-chunks "$EVAL_CHUNKS" "$HELDOUT" "$ENWIK_EVAL" "$own"
    if [ "$interrupted" = 1 ]; then
      echo "scaling.sh: stopped while measuring $s on $t; rerun the same command to resume" >&2
      exit 75
    fi
    [ "$rc" = 0 ] || { echo "scaling.sh: $s on $t: lmzip-train eval failed (status $rc, see $evalout)" >&2; exit "$rc"; }
    cat "$evalout" >> "$log"
    h=$(bpb_of "$evalout" "$HELDOUT")
    e=$(bpb_of "$evalout" "$ENWIK_EVAL")
    o=$(bpb_of "$evalout" "$own")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
      "$s" "$d" "$params" "$tbytes" "$STEPS" "$seen_bytes" "$h" "$e" "$o" "$minutes" \
      "$LAYERS" "$heads" "$BATCH" "$CTX" "$LR" "$WARMUP" "$SEED" "$THREADS" "$EVAL_CHUNKS" >> "$RESULTS"
    echo "scaling.sh: $s ($params params) on $t: held-out $h, enwik6 $e, own data $o bits/byte; trained $minutes min"
  done
done

report
