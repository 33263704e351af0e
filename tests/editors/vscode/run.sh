#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code: code-server 4.100.3 (from npm) with
# the packaged .vsix installed, driven through Debian's headless Chromium by playwright-core (e2e.js).
# code-server runs with a PATH that holds no freebusy-lsp and no freebusyLsp.server.path setting:
# the extension must start the server bundled in the .vsix.
#
# Needs: Node.js 20 and npm, chromium, ripgrep, a C/C++ compiler, make, python3 and libkrb5-dev
# (code-server's native modules are built from source once, then cached). As root with apt, missing
# Debian packages are installed. Without them: SKIP (exit 0), or FAIL under CI=true.
# Env: FREEBUSY_LSP (server binary; else cargo builds it), FREEBUSY_LSP_VSIX (a .vsix that bundles
# the server; else editors/vscode/ci.sh builds one), FREEBUSY_LSP_CACHE (default
# ~/.cache/freebusy-lsp: code-server's install, keyed by version and Node major version).
# Screenshots and logs: target/vscode-e2e/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache=${FREEBUSY_LSP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/freebusy-lsp}
out="${CARGO_TARGET_DIR:-$repo/target}/vscode-e2e"
say() { echo "vscode-e2e: $*"; }

missing_tools() {
    local pkgs=() major
    command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
    command -v npm >/dev/null 2>&1 || pkgs+=(npm)
    command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
    command -v rg >/dev/null 2>&1 || pkgs+=(ripgrep)
    command -v c++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || pkgs+=(build-essential)
    command -v python3 >/dev/null 2>&1 || pkgs+=(python3)
    [ -f /usr/include/gssapi/gssapi.h ] || pkgs+=(libkrb5-dev)
    command -v curl >/dev/null 2>&1 || pkgs+=(curl)
    echo "${pkgs[@]}"
}
unavailable() {
    if [ "${CI:-}" = "true" ]; then
        echo "FAIL: VS Code end-to-end suite: $*" >&2
        exit 1
    fi
    echo "SKIP: VS Code end-to-end suite: $* (not a failure outside CI)"
    exit 0
}

need=$(missing_tools)
if [ -n "$need" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing $need"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $need >/dev/null
    need=$(missing_tools)
fi
[ -z "$need" ] || unavailable "missing $need (as root: apt-get install -y $need)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || unavailable "code-server 4.100.3 needs Node.js 20, found $(node --version)"

if [ -n "${FREEBUSY_LSP:-}" ]; then
    server=$FREEBUSY_LSP
else
    say "cargo build --release -p freebusy-lsp"
    (cd "$repo" && cargo build --release --locked -p freebusy-lsp)
    server=${CARGO_TARGET_DIR:-$repo/target}/release/freebusy-lsp
fi
[ -x "$server" ] || { echo "FAIL: no server binary at $server" >&2; exit 1; }
server=$(cd "$(dirname "$server")" && pwd)/$(basename "$server")

vsix=${FREEBUSY_LSP_VSIX:-}
if [ -z "$vsix" ]; then
    say "building the .vsix with the server bundled (editors/vscode/ci.sh)"
    FREEBUSY_LSP_BUNDLE_SERVER="$server" bash "$repo/editors/vscode/ci.sh" >"$out.ci.log" 2>&1 ||
        { tail -n 30 "$out.ci.log" >&2; echo "FAIL: editors/vscode/ci.sh" >&2; exit 1; }
    vsix=$repo/editors/vscode/freebusy-lsp.vsix
fi
[ -s "$vsix" ] || { echo "FAIL: no .vsix at $vsix" >&2; exit 1; }

say "code-server (cached in $cache)"
code_server=$(bash "$here/install-code-server.sh" "$cache")
say "playwright-core (npm ci)"
(cd "$here" && timeout 300 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
cs_pid=
cleanup() {
    # code-server was started in its own session: end its whole process group (extension host,
    # language server). Chromium: the processes using this run's profile, by id.
    [ -z "$cs_pid" ] || kill -- "-$cs_pid" 2>/dev/null || true
    local pids
    pids=$(grep -l -s -F -- "$work/profile" /proc/[0-9]*/cmdline | cut -d/ -f3 || true)
    [ -z "$pids" ] || kill $pids 2>/dev/null || true
    sleep 0.5
    [ -z "$cs_pid" ] || kill -9 -- "-$cs_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ws=$work/workspace
mkdir -p "$ws" "$work/home" "$work/data/User" "$work/extensions" "$work/profile"
cp "$repo/examples/hybrid-freebusy.log" "$ws/hybrid.log"
cp "$repo/examples/hybrid-freebusy.log" "$ws/palette.log"
cp "$here/rooms.ps1" "$ws/rooms.ps1"
# Nothing leaves the machine: no extension gallery queries, updates or telemetry; no welcome page.
cat >"$work/data/User/settings.json" <<'JSON'
{
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "telemetry.telemetryLevel": "off",
  "workbench.startupEditor": "none",
  "workbench.enableExperiments": false
}
JSON
# What the CLI reports for each file: the oracle e2e.js compares the page with.
expect=
for f in hybrid.log palette.log rooms.ps1; do
    json=$(cd "$ws" && "$server" check --format json "$f") || [ $? = 1 ] ||
        { echo "FAIL: freebusy-lsp check --format json $f" >&2; exit 1; }
    expect="$expect\"$f\":$json,"
done
expect="{${expect%,}}"

# No freebusy-lsp on code-server's PATH, no server.path setting: only the bundled one can start.
clean_path=/usr/local/bin:/usr/bin:/bin
for d in ${clean_path//:/ }; do
    [ ! -e "$d/freebusy-lsp" ] || { echo "FAIL: $d/freebusy-lsp exists: cannot test the bundled server" >&2; exit 1; }
done
cs=(env -i "PATH=$clean_path" "HOME=$work/home" "LANG=C.UTF-8" node "$code_server"
    --user-data-dir "$work/data" --extensions-dir "$work/extensions")
say "installing $vsix"
timeout 120 "${cs[@]}" --install-extension "$vsix" >"$out/install-extension.log" 2>&1 ||
    { cat "$out/install-extension.log" >&2; echo "FAIL: --install-extension" >&2; exit 1; }
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
setsid "${cs[@]}" --bind-addr "127.0.0.1:$port" --auth none --disable-workspace-trust \
    --disable-telemetry --disable-update-check >"$out/code-server.log" 2>&1 </dev/null &
cs_pid=$!
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$cs_pid" 2>/dev/null || { cat "$out/code-server.log" >&2; echo "FAIL: code-server exited" >&2; exit 1; }
    sleep 0.5
done
say "code-server on 127.0.0.1:$port"

status=0
E2E_URL="http://127.0.0.1:$port" E2E_WORKSPACE="$ws" E2E_SETTINGS="$ws/.vscode/settings.json" \
    E2E_SHOTS="$out" E2E_EXPECT="$expect" E2E_PROFILE="$work/profile" E2E_EXTENSIONS="$work/extensions" \
    timeout 600 node "$here/e2e.js" || status=$?
if [ "$status" -ne 0 ]; then
    [ "$status" -eq 124 ] && echo "FAIL: timed out after 600 s" >&2
    echo "--- tail of $out/code-server.log" >&2
    tail -n 30 "$out/code-server.log" >&2
    find "$work/data/logs" -name '*freebusy*' -exec sh -c 'echo "--- $1"; tail -n 30 "$1"' _ {} \; >&2 2>/dev/null || true
    echo "FAIL: VS Code end-to-end suite (exit $status); screenshots in $out" >&2
    exit "$status"
fi
say "PASS; screenshots in $out"
