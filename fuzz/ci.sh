#!/usr/bin/env bash
# fuzz/ci.sh [SECONDS]: CI's short fuzz run (.ci/run, after the test suite): installs what it needs
# on a machine with stable Rust only, builds every target, then fuzz/run.sh SECONDS (default 30)
# on every target (`cargo fuzz list`).
#
# Exit status: 0 no crash; 3 infrastructure (the nightly toolchain or cargo-fuzz could not be
# installed, or the crates not fetched), said on one line starting `fuzz/ci.sh: INFRASTRUCTURE`;
# 4 the fuzz crate does not build; otherwise a target failed (a crash, a timeout, out of memory),
# with the input in base64 and the command that reproduces it. Each of them fails CI: a fuzz step
# that did not run is not a pass.
set -euo pipefail
cd "$(dirname "$0")"

secs=${1:-30}
infra() {
    echo "fuzz/ci.sh: INFRASTRUCTURE: $* (no fuzzing done)" >&2
    exit 3
}
step() { echo "== fuzz/ci.sh: $* ($(date +%T))"; }

command -v rustup >/dev/null || infra "rustup not found"
# A no-op where they are installed: neither updates nor reinstalls.
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    step "installing the nightly toolchain"
    rustup toolchain install nightly --profile minimal || infra "cannot install the nightly toolchain"
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    step "installing cargo-fuzz"
    cargo install cargo-fuzz --locked || infra "cannot install cargo-fuzz"
fi
step "$(rustc +nightly --version), $(cargo +nightly fuzz --version)"
cargo +nightly fetch --manifest-path Cargo.toml || infra "cannot fetch the fuzz crate's dependencies"

# The first build (every target, with the address sanitizer) takes minutes: timed on its own.
start=$(date +%s)
step "building every target"
cargo +nightly fuzz build || {
    echo "fuzz/ci.sh: the fuzz crate does not build" >&2
    exit 4
}
step "built in $(($(date +%s) - start)) s"

start=$(date +%s)
status=0
bash run.sh "$secs" || status=$?
step "fuzzed for $(($(date +%s) - start)) s"
exit "$status"
