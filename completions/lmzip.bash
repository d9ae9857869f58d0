# bash completion for lmzip (installed as share/bash-completion/completions/lmzip)
_lmzip() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  case $prev in
    -m|--model) COMPREPLY=($(compgen -f -X '!*.gguf' -- "$cur") $(compgen -W "order2 lmzip-text-200k lmzip-text-800k lmzip-text-3m" -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -T|--threads|--chunk-size) return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "-h --help -d --decompress -z --compress -c --stdout -k --keep --rm -r --recursive
      -f --force -o --output -t --test -l --list -T --threads -0 -1 -2 -3 --fast --best -m --model --chunk-size
      --adaptive --no-adaptive --no-layout --pixels -v --verbose -q --quiet -V --version" -- "$cur"))
    return
  fi
  # Decompressing, testing or listing: .lmz files.
  local w decompress=
  for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case $w in
      --decompress | --test | --list) decompress=1 ;;
      --*) ;;
      -*[dtl]*) decompress=1 ;;
    esac
  done
  if [ -n "$decompress" ]; then
    COMPREPLY=($(compgen -f -X '!*.lmz' -- "$cur") $(compgen -d -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _lmzip lmzip
