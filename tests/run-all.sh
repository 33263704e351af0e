#!/usr/bin/env bash
# The whole test suite, on a fresh machine: the Rust tests (core, CLI, LSP over stdio), then the
# real clients against the release binary: headless Neovim, Emacs with eglot, pytest-lsp's recorded
# client profiles, and the VS Code extension's build, unit tests, packaging and settings smoke test.
#
# Run as root on Debian, it installs what is missing (apt: neovim, emacs-nox, elpa-eglot,
# python3-venv; npm and PyPI packages are installed by the suites themselves, into their own
# folders). Without root or apt, the editor suites print SKIP for a missing editor, except under
# CI=true where a missing editor fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n===== %s =====\n' "$*"; }

section "Rust: unit, fixtures, CLI, LSP over stdio"
cargo test --workspace --locked

section "release build for the editor suites"
cargo build --release --locked -p freebusy-lsp

section "Rust: scaling (release build: 4x the input in under 8x the time)"
cargo test --release --locked --test scaling
export FREEBUSY_LSP="$PWD/target/release/freebusy-lsp"

missing=()
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
command -v emacs >/dev/null 2>&1 || missing+=(emacs-nox)
dpkg -s elpa-eglot >/dev/null 2>&1 || missing+=(elpa-eglot)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    section "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

results=()
run() {
    local name=$1
    shift
    section "$name"
    if "$@"; then results+=("PASS  $name"); else results+=("FAIL  $name"); fi
}
run "Neovim (headless, real editor)" bash tests/editors/nvim/run.sh
run "Emacs + eglot (batch, real editor)" bash tests/editors/emacs/run.sh
run "pytest-lsp client profiles" bash tests/pytest_lsp/run.sh -q
run "VS Code extension" env FREEBUSY_LSP_SERVER="$FREEBUSY_LSP" bash editors/vscode/ci.sh

section "summary"
printf '%s\n' "${results[@]}"
passed=$(printf '%s\n' "${results[@]}" | grep -c '^PASS' || true)
failed=$(printf '%s\n' "${results[@]}" | grep -c '^FAIL' || true)
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
