#!/usr/bin/env bash
# End-to-end test: freebusy-lsp under pytest-lsp, impersonating the client capability profiles
# pytest-lsp recorded (VS Code 1.65.2, Neovim 0.7.0 and 0.11.0, Emacs 29.1): see test_profiles.py.
#
# Needs (Debian 12, as root):  apt-get update && apt-get install -y python3 python3-venv
#   PyPI access for `pip install -r requirements.txt` (into a venv, not the system), and the Rust
#   toolchain (cargo) to build the server, unless FREEBUSY_LSP names a binary.
#
# Usage:  tests/pytest_lsp/run.sh [pytest args...]
#   FREEBUSY_LSP=/path/to/freebusy-lsp   use that binary, do not build
#   FREEBUSY_PYTEST_VENV=/path           where the venv lives (default: $TMPDIR or /tmp,
#                                        freebusy-pytest-lsp-venv); reused while requirements.txt
#                                        is unchanged
#
# Exit status: pytest's (0 all passed; 1 failures; 5 no tests collected, a failure too);
# 124 if pytest ran past 600 s; 2 when the set-up (venv, pip, build) failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${FREEBUSY_PYTEST_VENV:-${TMPDIR:-/tmp}/freebusy-pytest-lsp-venv}"

setup_failed() { echo "pytest-lsp e2e: FAIL: $1" >&2; exit 2; }

command -v python3 >/dev/null 2>&1 || setup_failed "python3 not found (apt-get install -y python3 python3-venv)"

stamp="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements-sha256" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv" || setup_failed "python3 -m venv failed (apt-get install -y python3-venv)"
    timeout 600 "$venv/bin/pip" install --disable-pip-version-check -q -r "$here/requirements.txt" \
        || setup_failed "pip install -r requirements.txt failed"
    echo "$stamp" >"$venv/.requirements-sha256"
fi

if [ -z "${FREEBUSY_LSP:-}" ]; then
    if command -v cargo >/dev/null 2>&1; then
        (cd "$root" && cargo build --release -p freebusy-lsp) || setup_failed "cargo build failed"
    fi
    FREEBUSY_LSP="$root/target/release/freebusy-lsp"
fi
[ -x "$FREEBUSY_LSP" ] || setup_failed "no server binary at $FREEBUSY_LSP"
export FREEBUSY_LSP

echo "pytest-lsp e2e: server $FREEBUSY_LSP, venv $venv"
status=0
(
    cd "$here"
    export PYTHONDONTWRITEBYTECODE=1
    timeout 600 "$venv/bin/python" -m pytest -p no:cacheprovider -ra "$@" </dev/null
) || status=$?
case "$status" in
    0) echo "pytest-lsp e2e: passed" ;;
    5) echo "pytest-lsp e2e: FAIL: pytest collected no tests" >&2 ;;
    124) echo "pytest-lsp e2e: FAIL: timed out after 600 s" >&2 ;;
    *) echo "pytest-lsp e2e: FAIL: pytest exit status $status" >&2 ;;
esac
exit "$status"
