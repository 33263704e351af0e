#!/usr/bin/env bash
# Runs editors/README.md's "Neovim 0.7 to 0.10" configuration VERBATIM (the Lua block between the
# nvim-0.7-config markers) as the user's init.lua, with Neovim's normal start-up (filetype
# detection on), then opens a log and a PowerShell script: each must attach to the server, both to
# the same single server, and the log must get its diagnostics. readme-config.lua does the checks.
# Needs nvim 0.7+ (else SKIP, or FAIL under CI=true) and FREEBUSY_LSP or cargo, as run.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
nvim=${NVIM:-nvim}
if ! command -v "$nvim" >/dev/null 2>&1; then
    [ "${CI:-}" = "true" ] && { echo "FAIL: nvim not found (apt-get install -y neovim)" >&2; exit 1; }
    echo "SKIP: nvim not found (apt-get install -y neovim); not a failure outside CI"
    exit 0
fi
if [ -n "${FREEBUSY_LSP:-}" ]; then
    server=$FREEBUSY_LSP
else
    (cd "$repo" && cargo build --release --locked -p freebusy-lsp)
    server=${CARGO_TARGET_DIR:-$repo/target}/release/freebusy-lsp
fi
[ -x "$server" ] || { echo "FAIL: no server binary at $server" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/config/nvim" "$work/cache" "$work/state" "$work/data"
ln -s "$(cd "$(dirname "$server")" && pwd)/$(basename "$server")" "$work/bin/freebusy-lsp"
# The block, fences dropped, nothing else changed.
sed -n '/<!-- nvim-0.7-config:begin/,/<!-- nvim-0.7-config:end/p' "$repo/editors/README.md" |
    sed '1d;$d' | sed '1{/^```/d};${/^```/d}' >"$work/config/nvim/init.lua"
grep -q 'start_client' "$work/config/nvim/init.lua" || { echo "FAIL: no configuration between the markers in editors/README.md" >&2; exit 1; }
cp "$repo/examples/hybrid-freebusy.log" "$work/hybrid.log"
printf 'Set-MailboxFolderPermission -Identity "room1@contoso.com:\\Calendar" -User Default -AccessRights None\n' >"$work/rooms.ps1"

status=0
(
    cd "$work"
    PATH="$work/bin:$PATH" HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" \
        XDG_STATE_HOME="$work/state" XDG_DATA_HOME="$work/data" \
        timeout 60 "$nvim" --headless -i NONE -c "luafile ${here// /\\ }/readme-config.lua" </dev/null
) || status=$?
if [ "$status" -ne 0 ]; then
    [ "$status" -eq 124 ] && echo "FAIL: timed out after 60 s" >&2
    echo "FAIL: editors/README.md's Neovim 0.7-0.10 configuration (exit $status)" >&2
    exit "$status"
fi
