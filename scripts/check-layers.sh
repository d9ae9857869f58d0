#!/usr/bin/env bash
# The library's layers and what each may include: dependencies run one way,
# from the codec down to common (docs/DESIGN.md). Run by ctest ("layers");
# CMakeLists.txt declares the same graph as link dependencies, and a build with
# -DLMZIP_LAYER_CHECK=ON links each layer as a shared library with only the
# layers below it. Exits 1 and names every include that breaks the rule.
set -euo pipefail
cd "$(dirname "$0")/.."

# folder under src/ -> the folders it may include besides itself
declare -A allowed=(
  [common]=""
  [coder]="common"
  [kernels]="common"
  [gguf]="common"
  [tokenizer]="gguf common"
  [model]="kernels common"
  [transformer]="model kernels gguf common"
  [llm]="tokenizer model kernels gguf common"
  [registry]="transformer llm model gguf common"
  [adaptive]="model common"
  [layout]="model common"
  [format]="layout model common"
  [codec]="format layout adaptive registry model coder common"
)
# public header -> the layer it belongs to
declare -A public_layer=(
  [error.h]=common [io.h]=common [sha256.h]=common [predictor.h]=common [format_limits.h]=common [printable.h]=common
  [model.h]=model [engine.h]=model [llm.h]=llm [model_random.h]=transformer [codec.h]=codec [eval.h]=codec [lmzip.h]=codec
)

status=0
complain() { echo "check-layers: $1" >&2; status=1; }

for f in include/lmzip/*.h; do
  [[ -n "${public_layer[$(basename "$f")]:-}" ]] || complain "$f: public header without a layer in scripts/check-layers.sh"
done

for dir in src/*/; do
  layer=$(basename "$dir")
  if [[ -z "${allowed[$layer]+set}" ]]; then complain "src/$layer: folder without a layer in scripts/check-layers.sh"; continue; fi
  ok=" $layer ${allowed[$layer]} "
  while IFS=: read -r file _ inc; do
    target=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$inc")
    case "$target" in
      lmzip/*)
        owner=${public_layer[${target#lmzip/}]:-}
        [[ -n "$owner" && "$ok" == *" $owner "* ]] || complain "$file includes $target (layer ${owner:-unknown}), above src/$layer" ;;
      */*)
        [[ "$ok" == *" ${target%%/*} "* ]] || complain "$file includes $target: src/$layer may include only: ${allowed[$layer]:-nothing}" ;;
      *) ;;  # a header beside the file
    esac
  done < <(grep -rn '#include "' "$dir" || true)
done

# The programs use only the public API (and their own headers).
while IFS=: read -r file _ inc; do
  target=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$inc")
  [[ "$target" == lmzip/* || "$target" != */* ]] || complain "$file includes $target: tools/lmzip uses only the public API"
done < <(grep -rn '#include "' tools/lmzip tools/environment.h || true)

exit $status
