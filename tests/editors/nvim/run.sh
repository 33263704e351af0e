#!/usr/bin/env bash
# End-to-end test of the Neovim plugin (editors/nvim) against the real server, in headless Neovim.
#
# Needs:
#   - nvim 0.7 or newer on PATH (Debian 12: `apt-get install -y neovim`, which is 0.7.2), or NVIM=/path;
#   - cargo, to build the server (`cargo build --release -p freebusy-lsp`; cargo skips the work when
#     the binary is up to date), unless FREEBUSY_LSP=/path/to/freebusy-lsp names a built one;
#   - coreutils `timeout`. Nothing is downloaded; no user config is read (-u NONE -i NONE).
# Exit status: 0 pass; non-zero on any failure. Without nvim: a failure under CI=true, else a
# skip message and 0.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
nvim=${NVIM:-nvim}

if ! command -v "$nvim" >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then
        echo "FAIL: nvim not found (install it: apt-get install -y neovim)" >&2
        exit 1
    fi
    echo "SKIP: nvim not found (apt-get install -y neovim); not a failure outside CI"
    exit 0
fi

if [ -n "${FREEBUSY_LSP:-}" ]; then
    server=$FREEBUSY_LSP
else
    (cd "$repo" && cargo build --release -p freebusy-lsp)
    server=${CARGO_TARGET_DIR:-$repo/target}/release/freebusy-lsp
fi
if [ ! -x "$server" ]; then
    echo "FAIL: no server binary at $server" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/cache" "$work/state" "$work/data"
ln -s "$server" "$work/bin/freebusy-lsp"

status=0
(
    cd "$work"
    # Isolated caches: lsp.log lands in $work/cache/nvim (0.7) or $work/state/nvim (0.8+).
    PATH="$work/bin:$PATH" HOME="$work" XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" \
        XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" \
        timeout 120 "$nvim" --headless -u NONE -i NONE -c "luafile ${here// /\\ }/test.lua" </dev/null
) || status=$?

if [ "$status" -ne 0 ]; then
    [ "$status" -eq 124 ] && echo "FAIL: timed out after 120 s" >&2
    for log in "$work"/cache/nvim/lsp.log "$work"/state/nvim/lsp.log; do
        if [ -s "$log" ]; then
            echo "--- tail of $log" >&2
            tail -n 40 "$log" >&2
        fi
    done
    echo "FAIL: Neovim end-to-end test (exit $status)" >&2
    exit "$status"
fi
