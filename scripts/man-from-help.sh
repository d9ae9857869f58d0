#!/usr/bin/env bash
# Writes a man page made from a program's --version and --help (and each
# subcommand's --help): lmzip-bench(1) and lmzip-train(1) are generated at
# build time (cmake/install.cmake), so they cannot drift from the programs.
#   scripts/man-from-help.sh PROGRAM NAME "ONE-LINE SUMMARY" > NAME.1
set -euo pipefail
prog=$1 name=$2 summary=$3
roff() { sed -e 's|^Usage: [^ ]*/|Usage: |' -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
version=$("$prog" --version)
echo ".TH $(tr '[:lower:]' '[:upper:]' <<< "$name") 1 \"\" \"$version\" \"User Commands\""
echo ".SH NAME"
echo "$name \\- $summary"
echo ".SH DESCRIPTION"
echo ".nf"
"$prog" --help | roff
for sub in $("$prog" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && /^  [a-z]/ {print $1}'); do
  echo ".fi"
  echo ".SH \"$(tr '[:lower:]' '[:upper:]' <<< "$name $sub")\""
  echo ".nf"
  "$prog" "$sub" --help | roff
done
echo ".fi"
echo ".SH SEE ALSO"
echo ".BR lmzip (1)"
