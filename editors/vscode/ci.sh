#!/usr/bin/env bash
# Builds and checks the VS Code extension on a fresh machine (Node.js 20+ and npm):
# npm ci, typecheck, unit tests, esbuild bundle, vsce package -> editors/vscode/freebusy-lsp.vsix.
# Exits non-zero on any failure. No VS Code is downloaded: the pure modules are unit-tested
# under node, the bundle is loaded against a stub `vscode` module.
#
# FREEBUSY_LSP_BUNDLE_SERVER=/path/to/freebusy-lsp[.exe] copies that binary into server/ so the
# .vsix carries it (otherwise the extension uses freebusyLsp.server.path or PATH).
# FREEBUSY_LSP_SERVER=/path/to/freebusy-lsp (or the bundled binary) also runs scripts/server-smoke.js:
# LSP over stdio with the settings as the extension sends them, and the palette's server commands.
set -euo pipefail

# Paths given relative to where the script was called from, before changing folder.
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
[ -z "${FREEBUSY_LSP_BUNDLE_SERVER:-}" ] || FREEBUSY_LSP_BUNDLE_SERVER=$(absolute "$FREEBUSY_LSP_BUNDLE_SERVER")
[ -z "${FREEBUSY_LSP_SERVER:-}" ] || FREEBUSY_LSP_SERVER=$(absolute "$FREEBUSY_LSP_SERVER")
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "ci.sh: FAILED: $*" >&2; exit 1; }

command -v node >/dev/null || fail "node is not installed"
command -v npm >/dev/null || fail "npm is not installed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js 20 or newer needed, found $(node --version)"

step "npm ci"
# --ignore-scripts: no install script is needed (esbuild finds its platform package without one),
# and vsce's optional keytar/vsce-sign install scripts would download binaries from outside npm.
timeout 900 npm ci --ignore-scripts --no-audit --no-fund

# server/ is a build artifact: only what FREEBUSY_LSP_BUNDLE_SERVER names goes in.
rm -rf dist out server freebusy-lsp.vsix
if [ -n "${FREEBUSY_LSP_BUNDLE_SERVER:-}" ]; then
  step "bundling server binary $FREEBUSY_LSP_BUNDLE_SERVER"
  [ -f "$FREEBUSY_LSP_BUNDLE_SERVER" ] || fail "$FREEBUSY_LSP_BUNDLE_SERVER does not exist"
  mkdir -p server
  case "$FREEBUSY_LSP_BUNDLE_SERVER" in
    *.exe) cp "$FREEBUSY_LSP_BUNDLE_SERVER" server/freebusy-lsp.exe ;;
    *) cp "$FREEBUSY_LSP_BUNDLE_SERVER" server/freebusy-lsp && chmod 755 server/freebusy-lsp ;;
  esac
fi

step "typecheck (tsc --noEmit)"
timeout 300 npx --no-install tsc --noEmit -p .

step "unit tests (node --test)"
timeout 300 npm test

smoke_server="${FREEBUSY_LSP_SERVER:-${FREEBUSY_LSP_BUNDLE_SERVER:-}}"
if [ -n "$smoke_server" ]; then
  step "server smoke test against $smoke_server"
  [ -x "$smoke_server" ] || fail "$smoke_server is not an executable"
  timeout 120 node scripts/server-smoke.js "$smoke_server"
else
  step "server smoke test: NOT RUN (set FREEBUSY_LSP_SERVER=/path/to/freebusy-lsp to run it)"
fi

step "esbuild bundle -> dist/extension.js"
timeout 300 npm run bundle
[ -s dist/extension.js ] || fail "dist/extension.js was not produced"

step "load the bundle against a stub vscode module"
timeout 60 node scripts/load-bundle.js dist/extension.js

step "vsce package -> freebusy-lsp.vsix"
timeout 600 npx --no-install vsce package --no-dependencies --allow-missing-repository --out freebusy-lsp.vsix </dev/null

step "verify freebusy-lsp.vsix"
[ -s freebusy-lsp.vsix ] || fail "freebusy-lsp.vsix was not produced"
timeout 60 node scripts/verify-vsix.js freebusy-lsp.vsix ${FREEBUSY_LSP_BUNDLE_SERVER:+--with-server}

size=$(wc -c < freebusy-lsp.vsix)
echo
echo "ci.sh: OK: $(pwd)/freebusy-lsp.vsix ($size bytes)"
