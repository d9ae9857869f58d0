#!/usr/bin/env bash
# Installs every Debian 12 package lmzip needs to build, test, fuzz and train.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  libxxhash-dev libcli11-dev nlohmann-json3-dev libssl-dev
  libopenblas-dev
  zlib1g-dev liblzma-dev libzstd-dev libbz2-dev libbrotli-dev
  libpng-dev libflac-dev libjxl-dev libwebp-dev
  gnuplot-nox flac
  clang libclang-rt-14-dev
  gzip xz-utils bzip2 zstd bc
)
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
