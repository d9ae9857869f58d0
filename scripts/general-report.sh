#!/usr/bin/env bash
# Issue 17's measurements: the text models of the general corpus against the
# ones they replace, on every file of ../shared/data/mixed and on enwik6.
#  1. model alone, the paper's protocol: one `lmzip-bench --mode chunked` run
#     per text file with gzip -9 (also in 2048-byte chunks) and both models;
#     every result decoded and compared before it counts
#     (docs/models/general/FILE.md, .json);
#  2. through the codec, whole files with the adaptive stage: `lmzip -m MODEL`
#     for the old and the new model of each level, decoded and compared.
# Then writes docs/models/general.md from those results alone.
#   scripts/general-report.sh OLD.gguf:NEW.gguf [OLD:NEW ...]
# The first pair is the default level's (the chunked targets are its).
# Environment: OUT (docs/models/general) and SUMMARY (docs/models/general.md)
# for another level's report; ENWIK6_TARGET, a rate in percent, for a level
# whose enwik6 target is absolute (-3: 20.5).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
DATA=${LMZIP_DATA:-../shared/data}
OUT=${OUT:-docs/models/general}
SUMMARY=${SUMMARY:-docs/models/general.md}
[ $# -ge 1 ] || { echo "usage: scripts/general-report.sh OLD.gguf:NEW.gguf [OLD:NEW ...]" >&2; exit 2; }
mkdir -p "$OUT"
TEXT_FILES=(text/enwik/enwik6 mixed/gtest.cc mixed/typing.py mixed/nodejs_fs.html
            mixed/nodejs_CHANGELOG_V20.head500k.md mixed/bash.1 mixed/iso_3166-2.json
            mixed/iso_639-3.head600k.xml mixed/iso_639-3.csv mixed/dpkg.head300k.log)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

default_old=${1%%:*} default_new=${1##*:}
for f in "${TEXT_FILES[@]}"; do
  name=$(basename "$f")
  "$BUILD_DIR/lmzip-bench" -q --no-order2 --codecs gzip --mode chunked -T 2 --as text \
    --model "$default_old" --model "$default_new" \
    --command "bash scripts/general-report.sh   # $name" --report "$OUT/$name.md" "$DATA/$f" >/dev/null
  echo "chunked: $name" >&2
done

printf 'file\tbytes\told\tnew\told_bytes\tnew_bytes\n' > "$OUT/codec.tsv"
for pair in "$@"; do
  old=${pair%%:*} new=${pair##*:}
  for f in "$DATA"/mixed/* "$DATA/text/enwik/enwik6"; do
    case "$f" in *.md5|*/README.md|*/SHA256SUMS) continue ;; esac
    sizes=()
    for m in "$old" "$new"; do
      "$BUILD_DIR/lmzip" -q -T2 -m "$m" -c "$f" > "$tmp/x.lmz"
      "$BUILD_DIR/lmzip" -q -T2 -d -m "$m" -c "$tmp/x.lmz" | cmp -s - "$f" ||
        { echo "general-report: $f does not round-trip with $m" >&2; exit 1; }
      sizes+=("$(stat -c %s "$tmp/x.lmz")")
    done
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(basename "$old" .gguf)" \
      "$(basename "$new" .gguf)" "${sizes[0]}" "${sizes[1]}" >> "$OUT/codec.tsv"
    echo "codec: $(basename "$f") ${sizes[*]}" >&2
  done
done
python3 scripts/general-summary.py "$OUT" "$(basename "$default_old" .gguf)" "$(basename "$default_new" .gguf)" \
  ${ENWIK6_TARGET:-} > "$SUMMARY"
