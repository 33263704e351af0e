#!/usr/bin/env bash
# End-to-end test: freebusy-lsp driven by Emacs + eglot in batch mode (freebusy-eglot-test.el).
#
# Needs (Debian 12, as root):  apt-get update && apt-get install -y emacs-nox elpa-eglot
#   (Emacs 28.2 + eglot 1.9; on Emacs 29+ eglot is built in and elpa-eglot is not needed),
#   and the Rust toolchain (cargo) to build the server, unless FREEBUSY_LSP names a binary.
#
# Usage:  tests/editors/emacs/run.sh
#   FREEBUSY_LSP=/path/to/freebusy-lsp   use that binary, do not build
#   CI=true                              a missing emacs or eglot is a failure, not a skip
#
# Exit status: 0 passed (or skipped outside CI), 1 failed, 124 timed out (limit: 180 s).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

skip_or_fail() {
    if [ "${CI:-}" = "true" ]; then
        echo "emacs e2e: FAIL: $1 (CI=true: not skipping)" >&2
        exit 1
    fi
    echo "emacs e2e: SKIP: $1 (apt-get install -y emacs-nox elpa-eglot)"
    exit 0
}

command -v emacs >/dev/null 2>&1 || skip_or_fail "emacs not found"
timeout 60 emacs --batch --eval "(require 'eglot)" </dev/null >/dev/null 2>&1 \
    || skip_or_fail "emacs cannot load eglot"

if [ -z "${FREEBUSY_LSP:-}" ]; then
    if command -v cargo >/dev/null 2>&1; then
        (cd "$root" && cargo build --release -p freebusy-lsp)
    fi
    FREEBUSY_LSP="$root/target/release/freebusy-lsp"
fi
if [ ! -x "$FREEBUSY_LSP" ]; then
    echo "emacs e2e: FAIL: no server binary at $FREEBUSY_LSP" >&2
    exit 1
fi
export FREEBUSY_LSP

echo "emacs e2e: $(emacs --version | head -n1), server $FREEBUSY_LSP"
status=0
(cd "$here" && timeout 180 emacs --batch -l "$here/freebusy-eglot-test.el" </dev/null) || status=$?
if [ "$status" -eq 0 ]; then
    echo "emacs e2e: passed"
elif [ "$status" -eq 124 ]; then
    echo "emacs e2e: FAIL: timed out after 180 s" >&2
else
    echo "emacs e2e: FAIL: exit status $status" >&2
fi
exit "$status"
