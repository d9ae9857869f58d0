#!/usr/bin/env bash
# Installs the Debian 12 packages lmzip needs.
#   scripts/install-deps.sh            everything: build, test, fuzz, benchmark, train
#   scripts/install-deps.sh --runtime  only what the library and lmzip need
#                                      (cmake -DLMZIP_TOOLS_ONLY=ON)
set -euo pipefail
runtime=(
  build-essential cmake pkg-config
  libxxhash-dev libcli11-dev libssl-dev libpng-dev libpcre2-dev
)
packages=("${runtime[@]}"
  git
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev
  libopenblas-dev
  zlib1g-dev liblzma-dev libzstd-dev libbz2-dev libbrotli-dev
  libflac-dev libjxl-dev libwebp-dev
  gnuplot-nox flac
  clang libclang-rt-14-dev
  gzip xz-utils bzip2 zstd bc
)
case ${1:-} in
  --runtime) packages=("${runtime[@]}") ;;
  "") ;;
  *) echo "usage: $0 [--runtime]" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all ${#packages[@]} packages present"
