#!/usr/bin/env bash
# lmzip against xz, bzip2 and zstd, file by file, as a user would run them:
# whole files, each compressor's strongest setting, every lmzip output decoded
# and compared before it counts. Prints a Markdown table (bytes, and lmzip's
# size over xz's) with the sums, and lmzip's speed.
#   scripts/files-report.sh [-b BUILD] [-T THREADS] [-L "LEVEL ..."] [-x "LMZIP OPTIONS"] FILE...
# Default: build/, 2 threads, level 2 (the default); the files of the issue:
#   scripts/files-report.sh -L "0 2" ../shared/data/mixed/* ../shared/data/text/enwik/enwik6
set -euo pipefail
build=build threads=2 levels=2 extra=""
while getopts "b:T:L:x:" opt; do
  case $opt in
    x) extra=$OPTARG ;;
    b) build=$OPTARG ;;
    T) threads=$OPTARG ;;
    L) levels=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
lmzip=$(cd "$(dirname "$0")/.." && pwd)/$build/lmzip
[[ -x $lmzip ]] || { echo "files-report: no $lmzip (build first)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

header="| file | bytes | xz -9e | bzip2 -9 | zstd -19 |"
rule="|---|---:|---:|---:|---:|"
for l in $levels; do header+=" lmzip -$l $extra | ÷ xz |"; rule+="---:|---:|"; done
echo "$header"
echo "$rule"
declare -A sum
now() { date +%s.%N; }
for f in "$@"; do
  [[ -f $f ]] || continue
  raw=$(stat -c %s "$f")
  xz=$(xz -9e -c "$f" | wc -c)
  bz=$(bzip2 -9 -c "$f" | wc -c)
  zs=$(zstd -19 -q -c "$f" | wc -c)
  row="| $(basename "$f") | $raw | $xz | $bz | $zs |"
  sum[raw]=$(( ${sum[raw]:-0} + raw )); sum[xz]=$(( ${sum[xz]:-0} + xz ))
  sum[bz]=$(( ${sum[bz]:-0} + bz )); sum[zs]=$(( ${sum[zs]:-0} + zs ))
  for l in $levels; do
    t0=$(now)
    # shellcheck disable=SC2086
    "$lmzip" -q -"$l" $extra -T"$threads" -c "$f" > "$tmp/out.lmz"
    t1=$(now)
    "$lmzip" -q -d -T"$threads" -c "$tmp/out.lmz" > "$tmp/back"
    t2=$(now)
    cmp -s "$f" "$tmp/back" || { echo "files-report: $f does not round-trip at -$l" >&2; exit 1; }
    n=$(stat -c %s "$tmp/out.lmz")
    sum[l$l]=$(( ${sum[l$l]:-0} + n ))
    sum[c$l]=$(echo "${sum[c$l]:-0} + $t1 - $t0" | bc -l)
    sum[d$l]=$(echo "${sum[d$l]:-0} + $t2 - $t1" | bc -l)
    row+=" $n | $(echo "scale=3; $n / $xz" | bc -l) |"
  done
  echo "$row"
done
row="| **sum** | ${sum[raw]} | ${sum[xz]} | ${sum[bz]} | ${sum[zs]} |"
for l in $levels; do row+=" ${sum[l$l]} | $(echo "scale=3; ${sum[l$l]} / ${sum[xz]}" | bc -l) |"; done
echo "$row"
echo
for l in $levels; do
  printf 'lmzip -%s %s -T%s: compress %.1f kB/s, decompress %.1f kB/s (all files, wall clock)\n' "$l" "$extra" "$threads" \
    "$(echo "${sum[raw]} / ${sum[c$l]} / 1000" | bc -l)" "$(echo "${sum[raw]} / ${sum[d$l]} / 1000" | bc -l)"
done
