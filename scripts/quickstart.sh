#!/usr/bin/env bash
# Installs dependencies, builds lmzip, and compresses then decompresses a sample
# file with the default model, printing the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target lmzip
sample=${1:-../shared/data/text/enwik/enwik6}
[ -f "$sample" ] || sample=README.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$sample" "$work/sample"
./build/lmzip -v -k "$work/sample"
./build/lmzip -l "$work/sample.lmz"
./build/lmzip -v -d -c "$work/sample.lmz" > "$work/sample.out"
cmp "$work/sample" "$work/sample.out"
echo "round trip OK: $(stat -c %s "$work/sample") bytes -> $(stat -c %s "$work/sample.lmz") bytes -> identical"
