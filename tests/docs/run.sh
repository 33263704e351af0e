#!/usr/bin/env bash
# The reference site: `freebusy-lsp docs -o DIR`, every page opened in headless Chromium (Debian's
# `chromium`, driven by playwright-core from npm, installed into this folder). Without chromium or
# node it prints SKIP and passes, except under CI=true where it fails.
set -euo pipefail
cd "$(dirname "$0")"
bin=${FREEBUSY_LSP:-../../target/release/freebusy-lsp}
for tool in chromium node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        if [ "${CI:-}" = true ]; then
            echo "FAIL: reference site check needs $tool (apt-get install chromium nodejs npm)"
            exit 1
        fi
        echo "SKIP: reference site check: $tool is not installed (apt-get install chromium nodejs npm)"
        exit 0
    fi
done
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error
out=../../target/docs-site
rm -rf "$out"
"$bin" docs -o "$out"
CHROMIUM=$(command -v chromium) node check.mjs "$out"
