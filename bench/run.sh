#!/bin/sh
# Every figure of bench/README.md in one run: the release server from a real stdio client beside
# typos-lsp and ripgrep, then the in-process scan throughput and script analysis per 1,000 lines.
#   bench/run.sh                         this tree
#   BASELINE=/path/to/freebusy-lsp bench/run.sh   an earlier build as one more column (ratios)
# Needs python3 and rg (apt-get install -y ripgrep); typos-lsp when installed
# (cargo install typos-lsp --locked), else its column is left out.
set -eu
cd "$(dirname "$0")/.."
cargo build --release -p freebusy-lsp --bin freebusy-lsp
command -v rg >/dev/null || { echo "bench: rg missing (apt-get install -y ripgrep)" >&2; exit 2; }
TYPOS=$(command -v typos-lsp || true)
[ -n "$TYPOS" ] || [ ! -x "$HOME/.cargo/bin/typos-lsp" ] || TYPOS=$HOME/.cargo/bin/typos-lsp
[ -n "$TYPOS" ] || echo "bench: typos-lsp not installed: its column is left out" >&2
python3 bench/bench.py --server target/release/freebusy-lsp \
    ${BASELINE:+--baseline "$BASELINE"} ${TYPOS:+--typos "$TYPOS"}
echo
FREEBUSY_BENCH_MB=${FREEBUSY_BENCH_MB:-10} cargo bench -p freebusy-lsp --bench scan
cargo bench -p freebusy-lsp --bench script
