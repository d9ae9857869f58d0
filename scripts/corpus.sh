#!/usr/bin/env bash
# Builds lmzip's training corpus from Debian 12 packages (issue 17).
#
#   scripts/corpus.sh            build: corpus files + data/corpus/{manifest,summary,packages}.tsv
#   scripts/corpus.sh --check    rebuild from the committed package versions and verify
#                                every file's sha256 against data/corpus/manifest.tsv
#
# The corpus goes to $LMZIP_CORPUS_DIR (default: ../corpus beside the repo,
# /work/corpus here), never into git: train/KIND.txt and dev/KIND.txt, each the
# files of that kind and split in manifest order, every file followed by one
# "\n". The .deb files are cached in $LMZIP_CORPUS_DIR/debs. Files are read out
# of the .debs (dpkg-deb), not from an installed system, so nothing is installed
# or upgraded and the bytes depend only on the .deb files. Rules, package list
# rationale and the measured mix: docs/TRAINING.md, "Training corpus (issue 17)".
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${LMZIP_CORPUS_DIR:-$(dirname "$repo")/corpus}
shared=${LMZIP_SHARED_DATA:-$repo/../shared/data}
tables=$repo/data/corpus
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: scripts/corpus.sh [--check]" >&2; exit 2 ;;
esac

# The fixed package list (Debian 12 "bookworm", main only). Never listed: the
# packages of ../shared/data/mixed (googletest, libpython3.11-minimal, nodejs,
# bash, iso-codes, libtasn1-doc and their sibling packages) and debian-reference
# (corpus.py refuses them and checks the result).
packages=(
  # C and C++ (glibc's source tarball is read member by member)
  gnulib glibc-source gcc-12-plugin-dev qtbase5-examples gtkmm-documentation
  # Python
  libpython3.11-stdlib libpython3.11-testsuite python3-django python3-sympy
  python3-botocore python3-statsmodels python3-pygments ansible-core ansible fail2ban
  # JavaScript and CSS
  libjs-mathjax libjs-jquery-ui libjs-d3 libjs-three libjs-bootstrap4 libjs-codemirror
  libjs-highlight.js libjs-dojo-core libjs-dojo-dijit libjs-dojo-dojox libjs-pdf
  libjs-openlayers libjs-leaflet libjs-chart.js
  # shell
  bash-completion zsh-common libtool git gettext
  # Perl
  perl-modules-5.36 libperl5.36 perl-doc lintian debhelper devscripts
  libmojolicious-perl autoconf automake
  # Rust
  rust-src librust-regex-dev librust-serde-json-dev librust-tokio-dev librust-clap-dev
  # Go
  golang-1.19-src golang-golang-x-tools-dev golang-github-spf13-cobra-dev
  golang-github-prometheus-client-golang-dev golang-github-gorilla-mux-dev
  # Java (src.zip read member by member)
  openjdk-17-source
  # Lisp and Scheme
  emacs-el sbcl-source maxima-src guile-3.0-libs
  # Tcl, Ruby, PHP, SQL
  libtcl8.6 libtk8.6 tcllib libruby3.1 ruby-faker rubocop ruby-rouge ruby-github-linguist
  php-laravel-framework php-phpseclib php-doctrine-dbal php-twig php-league-commonmark
  php-sabre-dav php-symfony-validator php-horde-imap-client postgresql-15
  # build files, editor scripts
  cmake-data autoconf-archive vim-runtime
  # HTML documentation
  python3.11-doc postgresql-doc-15 git-doc apache2-doc libglib2.0-doc debian-policy
  developers-reference python-django-doc sphinx-doc libboost1.74-doc
  # XML and SVG
  shared-mime-info osinfo-db unicode-cldr-core docbook-xsl wayland-protocols xcb-proto
  mobile-broadband-provider-info adwaita-icon-theme
  # man pages (roff)
  manpages manpages-dev git-man libssl-doc tcl8.6-doc tk8.6-doc
  # TeX and texinfo
  texlive-base texlive-latex-base texlive-latex-recommended texinfo
  # data: CSV / TSV, logs, listings
  ieee-data unicode-data tzdata gnuplot-data gcc-12-test-results pci.ids usb.ids
  distro-info-data publicsuffix
  # configuration
  systemd fontconfig-config xkb-data apparmor-profiles nginx-common
)

py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
if ! command -v "$py" >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-minimal
  py=/usr/bin/python3
fi

debs=$out/debs
mkdir -p "$debs"
list=$out/debs.tsv

candidates() {  # "package<TAB>version" that apt would download now, for all packages
  apt-cache show --no-all-versions "${packages[@]}" 2>/dev/null |
    awk '/^Package: /{p=$2} /^Version: /{print p "\t" $2}'
}
declare -A want now
updated=0
refresh() {  # the candidate versions, after an apt-get update when $1 is "update"
  local p v
  if [ "${1:-}" = update ] && ((!updated)); then apt-get update -qq; updated=1; fi
  while IFS=$'\t' read -r p v; do now[$p]=$v; done < <(candidates)
}
refresh
for p in "${packages[@]}"; do [ -n "${now[$p]:-}" ] || { refresh update; break; }; done
for p in "${packages[@]}"; do
  [ -n "${now[$p]:-}" ] || { echo "corpus: package $p not found in the apt lists" >&2; exit 1; }
  want[$p]=${now[$p]}
done
if ((check)); then  # the committed versions
  while IFS=$'\t' read -r p v _; do
    [ "$p" = package ] || [ -z "${want[$p]:-}" ] || want[$p]=$v
  done < "$tables/packages.tsv"
fi

deb_of() {  # the cached .deb of package $1, version $2 (apt-get download's file name)
  local f
  for f in "$debs/$1_${2//:/%3a}_"*.deb; do [ -e "$f" ] && { echo "$f"; return; }; done
  return 0
}
download() {
  (cd "$debs" && nice -n 19 apt-get download -qq -o APT::Sandbox::User=root "$1=$2")
}
: > "$list.tmp"
for p in "${packages[@]}"; do
  v=${want[$p]}
  f=$(deb_of "$p" "$v")
  if [ -z "$f" ]; then
    if ! download "$p" "$v"; then
      refresh update  # the lists may be older than the archive
      ((check)) || v=${now[$p]}
      if ! download "$p" "$v"; then
        ((check)) && [ "$v" != "${now[$p]}" ] || exit 1
        echo "corpus: $p $v (committed) is no longer downloadable; using ${now[$p]}" >&2
        v=${now[$p]}
        download "$p" "$v"
      fi
    fi
    f=$(deb_of "$p" "$v")
    [ -n "$f" ] || { echo "corpus: no .deb for $p $v in $debs" >&2; exit 1; }
  fi
  printf '%s\t%s\t%s\n' "$p" "$v" "$f" >> "$list.tmp"
done
mv "$list.tmp" "$list"

if ((check)); then
  fresh=$out/check-tables
  rm -rf "$fresh"
  nice -n 19 "$py" "$repo/scripts/corpus.py" build --debs "$list" --out "$out" \
    --tables "$fresh" --shared "$shared"
  exec "$py" "$repo/scripts/corpus.py" check --tables "$fresh" --committed "$tables"
fi
nice -n 19 "$py" "$repo/scripts/corpus.py" build --debs "$list" --out "$out" \
  --tables "$tables" --shared "$shared"
echo "corpus: built $out in ${SECONDS} s; tables in data/corpus/"
