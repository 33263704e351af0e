#!/usr/bin/env bash
# fuzz/run.sh [SECONDS [TARGET...]]: runs every fuzz target (`cargo fuzz list`, or the ones named)
# for SECONDS each (default 60; CI: fuzz/ci.sh, a short run). Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`). New inputs go to fuzz/work/<target> (ignored by git); the
# seeds in fuzz/corpus/<target> are only read. A crash or an input slower than 30 s fails its
# target, with the input in fuzz/artifacts/<target>/ (and in base64 in the output, for a CI log);
# the other targets still run, and the status is the first failing target's.
set -euo pipefail
cd "$(dirname "$0")"

secs=${1:-60}
shift || true
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: needs 'rustup toolchain install nightly' and 'cargo install cargo-fuzz'" >&2
    exit 2
fi

summary=()
failed=0
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
for target in "${targets[@]}"; do
    mkdir -p "work/$target" "corpus/$target"
    log="work/$target.log"
    echo "== $target: ${secs}s"
    # -timeout: one input slower than this is a failure (a hang, or worse than linear time).
    set +e
    cargo +nightly fuzz run "$target" "work/$target" "corpus/$target" -- \
        -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1
    status=$?
    set -e
    runs=$(grep -Eo '^Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' || echo "?")
    if [ "$status" != 0 ]; then
        tail -n 40 "$log"
        input=$(grep -Eo "artifacts/$target/[A-Za-z0-9_-]+" "$log" | tail -n 1 || true)
        if [ -n "$input" ] && [ -f "$input" ]; then
            echo "input ($input), base64: $(base64 -w0 "$input")"
            echo "reproduce: cargo +nightly fuzz run $target fuzz/$input"
        fi
        echo "fuzz/run.sh: $target failed (status $status); input in fuzz/artifacts/$target/" >&2
        summary+=("$target: FAILED (status $status)")
        [ "$failed" != 0 ] || failed=$status
        continue
    fi
    summary+=("$target: $runs executions in ${secs}s, no crash")
done
printf '%s\n' "${summary[@]}"
exit "$failed"
