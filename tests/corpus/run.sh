#!/usr/bin/env bash
# Findings of `freebusy-lsp check` over a corpus of real scripts: per code and per 20 scripts,
# so that the precision figure of tests/corpus/SOURCES.md can be measured again.
#
#   tests/corpus/run.sh CORPUS_DIR [BINARY]          summary
#   LIST=1 tests/corpus/run.sh CORPUS_DIR [BINARY]   also every finding, one a line, for review
#
# BINARY defaults to target/debug/freebusy-lsp (build it first: cargo build).
# Needs jq. Scripts are every *.ps1 / *.psm1 file under CORPUS_DIR (case-insensitive).
set -euo pipefail
corpus=${1:?usage: run.sh CORPUS_DIR [BINARY]}
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${2:-$here/target/debug/freebusy-lsp}
[ -x "$bin" ] || { echo "run.sh: no binary at $bin (cargo build)" >&2; exit 2; }

out=$(mktemp)
trap 'rm -f "$out" "$out".*' EXIT
find "$corpus" -type f \( -iname '*.ps1' -o -iname '*.psm1' \) -print0 | sort -z >"$out.list"
scripts=$(tr -cd '\0' <"$out.list" | wc -c)
# One JSON array per batch; check exits 1 when it finds something, which is not a failure here.
# Its messages (encodings guessed, files it could not read) are shown after the figures.
ERR="$out.err" xargs -0 -n 50 sh -c '"$0" check --format json "$@" 2>>"$ERR"; [ $? -le 1 ]' "$bin" \
  <"$out.list" | jq -c '.[]' >"$out"
total=$(wc -l <"$out")

echo "scripts: $scripts"
echo "findings: $total"
awk -v t="$total" -v s="$scripts" 'BEGIN { printf "findings per 20 scripts: %.2f\n", s ? t * 20 / s : 0 }'
echo
echo "per code (count, severity, confidence):"
jq -r '"\(.code) \(.severity) \(.confidence)"' "$out" | sort | uniq -c | sort -k2,2 -k1,1nr
echo
echo "per severity:"
jq -r '.severity' "$out" | sort | uniq -c | sort -nr
if [ -s "$out.err" ]; then
  echo
  echo "messages of check:"
  sed 's/^freebusy-lsp: [^:]*: //' "$out.err" | sort | uniq -c | sort -nr
fi
if [ "${LIST:-}" = 1 ]; then
  echo
  echo "every finding:"
  jq -r '[.path, .line, .column, .code, .severity, .confidence] | @tsv' "$out" |
    while IFS=$'\t' read -r path line column code sev conf; do
      text=$(sed -n "${line}p" "$path" | tr -d '\r' | cut -c1-160)
      echo "$path:$line:$column $code $sev $conf | $text"
    done
fi
