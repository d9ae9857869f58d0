#!/usr/bin/env bash
# The paper's Table 2 (tokenization): one model shape trained on bytes and on
# byte-level BPE tokens of several vocabulary sizes, at the same budget, then
# measured per byte on held-out text. Writes docs/paper/tokenization/results.tsv,
# then docs/paper/tokenization.md and its figure.
#   scripts/paper/tokenization.sh [--reuse]   (--reuse: only the report)
# Runs already in results.tsv are skipped; a run stopped early (exit 75)
# resumes from its checkpoint with the same command.
# Environment: VOCABS ("256 1024 2048 5120 10240 16384"; 256 = bytes),
# STEPS (1000), PAPER_WORK (/tmp/lmzip-paper), LMZIP_TRAIN_BUILD (build).
source "$(dirname "$0")/env.sh"
BUILD=${LMZIP_TRAIN_BUILD:-build}
WORK=${PAPER_WORK:-/tmp/lmzip-paper}/tokenization
OUT=docs/paper/tokenization
RESULTS=$OUT/results.tsv
VOCABS=${VOCABS:-256 1024 2048 5120 10240 16384}
STEPS=${STEPS:-1000}
# The scaling grid's d64 budget (scripts/paper/scaling.sh), so the byte row is its d64 on 8 MiB.
SHAPE=(--d 64 --heads 4 --layers 4 --window 256)
BUDGET=(--ctx 256 --batch 8 --steps "$STEPS" --warmup 50 --lr 2e-3 --min-lr-frac 0.1 --wd 0.1 --clip 1.0 --seed 1)
report() { python3 scripts/paper/tokenization_report.py "$RESULTS" "$OUT" docs/paper/tokenization.md; }
if [ "${1:-}" = --reuse ]; then report; exit 0; fi

mkdir -p "$WORK" "$OUT"
DICKENS=$DATA/text/books/dickens.txt
train_text=$WORK/dickens-head-8M.txt heldout=$WORK/dickens-heldout.txt enwik=$WORK/enwik6-head-256K.txt
head -c 8388608 "$DICKENS" > "$train_text"
dd if="$DICKENS" of="$heldout" bs=65536 iflag=skip_bytes,count_bytes skip=9000000 count=262144 status=none
head -c 262144 "$DATA/text/enwik/enwik6" > "$enwik"
[ -s "$RESULTS" ] || printf 'vocab\tbytes_per_token\tparams\tsteps\theldout_bpb\tenwik6_bpb\ttrain_minutes\n' > "$RESULTS"
BIN=$WORK/lmzip-train.$$  # a private copy: a rebuild never touches a running job
cp "$BUILD/lmzip-train" "$BIN"
trap 'rm -f "$BIN"' EXIT

bpb_of() { awk -v f="$2:" '$1 == f {print $2}' "$1"; }
for v in $VOCABS; do
  if awk -F'\t' -v v="$v" -v s="$STEPS" '$1 == v && $4 == s {found = 1} END {exit !found}' "$RESULTS"; then continue; fi
  tok=() name=bytes
  if [ "$v" != 256 ]; then
    name=bpe$v
    "$BIN" bpe --vocab "$v" --max-bytes 0 --out "$WORK/$name.bpe" "$train_text"
    tok=(--bpe "$WORK/$name.bpe")
  fi
  ckpt=$WORK/$name-s$STEPS.ckpt
  echo "tokenization: $name: training" >&2
  rc=0
  "$BIN" --threads 2 train "${SHAPE[@]}" "${BUDGET[@]}" "${tok[@]}" --data "$train_text" --eval-every 0 \
    --log-every 100 --checkpoint "$ckpt" --resume > "$WORK/$name.out" || rc=$?
  [ $rc = 75 ] && { echo "tokenization: stopped early; run again to resume" >&2; exit 75; }
  [ $rc = 0 ] || { echo "tokenization: $name failed (see $WORK/$name.out)" >&2; exit 1; }
  params=$(grep -o 'params=[0-9]*' "$WORK/$name.out" | head -1 | cut -d= -f2)
  [ "$v" != 256 ] && params=$(grep -o '[0-9]* parameters with the token' "$WORK/$name.out" | head -1 | cut -d' ' -f1)
  "$BIN" --threads 2 eval --checkpoint "$ckpt" "${tok[@]}" "$heldout" "$enwik" > "$WORK/$name.eval"
  # Bytes per token on the held-out text, from eval's count (bytes: 1).
  bpt=1
  if [ "$v" != 256 ]; then
    bpt=$(grep -F "$heldout:" "$WORK/$name.eval" | sed -E 's/.*\(([0-9]+) bytes, ([0-9]+) tokens.*/\1 \2/' |
          awk '{printf "%.4f", $1 / $2}')
  fi
  minutes=$(python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(76); print(f'{struct.unpack_from(\"<d\", d, 68)[0] / 60:.2f}')" "$ckpt")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$bpt" "$params" "$STEPS" "$(bpb_of "$WORK/$name.eval" "$heldout")" \
    "$(bpb_of "$WORK/$name.eval" "$enwik")" "$minutes" >> "$RESULTS"
  echo "tokenization: $name done" >&2
done
report
