#!/usr/bin/env bash
# The report page in headless Chromium (Debian's `chromium`): a generated folder of mixed logs
# (HttpProxy-style ISO timestamps, W3C date+time, a .gz and a .zip archive) becomes a report;
# the page must render with its script run, one chart series per code, no console error; a
# screenshot is written under target/report-test/ and its path printed.
# Without chromium: SKIP (exit 0), except under CI=true where it fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${FREEBUSY_LSP:-$root/target/release/freebusy-lsp}
[ -x "$bin" ] || bin=$root/target/debug/freebusy-lsp
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL: report page: chromium is not installed (apt-get install -y chromium)"
        exit 1
    fi
    echo "SKIP: report page: chromium is not installed (apt-get install -y chromium)"
    exit 0
fi
out=$root/target/report-test
rm -rf "$out" && mkdir -p "$out/logs/HttpProxy" "$out/logs/W3SVC1"
fail() { echo "FAIL: report page: $*"; exit 1; }

# Every error fixture, its annotation lines dropped, each line stamped with a time: one log per
# fixture, an hour apart, so that each code has its place on the timeline.
hour=0
for f in "$root"/tests/fixtures/scan/errors/*.txt; do
    hour=$(( (hour + 1) % 24 ))
    name=$(basename "$f" .txt)
    grep -Ev '^[[:space:]]*\^+[[:space:]]+FB[0-9]+' "$f" |
        awk -v h="$hour" '{ printf "2024-05-03T%02d:%02d:%02d.000Z %s\n", h, NR % 60, NR % 60, $0 }' \
        >"$out/logs/HttpProxy/$name.log"
done
cp "$root"/tests/fixtures/logs/iis-w3svc1.log "$out/logs/W3SVC1/u_ex240503.log"
gzip -9 "$out/logs/HttpProxy/$(ls "$out/logs/HttpProxy" | head -1)"
(cd "$out/logs" && python3 -c "
import zipfile, glob
with zipfile.ZipFile('archive.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    for p in sorted(glob.glob('HttpProxy/*.log'))[:3]:
        z.write(p, 'zipped/' + p)
")

"$bin" report "$out/logs" -o "$out/report.html" 2>"$out/report.stderr" ||
    fail "report exited $?: $(cat "$out/report.stderr")"

flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-extensions
       --user-data-dir="$out/profile" --enable-logging=stderr --v=0)
"$browser" "${flags[@]}" --virtual-time-budget=3000 --dump-dom "file://$out/report.html" \
    >"$out/dom.html" 2>"$out/console.txt" || fail "chromium failed: $(tail -5 "$out/console.txt")"

codes=$(grep -o '<tr data-code="FB[0-9]*"' "$out/dom.html" | sort -u | wc -l)
series=$(grep -o '<polyline class="series" data-code="FB[0-9]*"' "$out/dom.html" | sort -u | wc -l)
drawn=$(grep -o 'data-series="[0-9]*"' "$out/dom.html" | head -1 | tr -dc 0-9)
errors=$(grep -o 'data-errors="[0-9]*"' "$out/dom.html" | head -1 | tr -dc 0-9)
[ "$codes" -ge 5 ] || fail "only $codes codes in the summary"
[ "$series" = "$codes" ] || fail "$series chart series for $codes codes"
[ "$drawn" = "$series" ] || fail "the page's script saw ${drawn:-no} series (did it run?)"
[ "$errors" = 0 ] || fail "${errors:-unknown} script errors"
if grep -E 'CONSOLE|Uncaught' "$out/console.txt" | grep -qiE 'error|uncaught'; then
    fail "console errors: $(grep -E 'CONSOLE|Uncaught' "$out/console.txt" | head -5)"
fi
grep -q 'id="plan"' "$out/dom.html" || fail "no remediation plan"
if grep -Eq '<(script|link|img)[^>]+(src|href)="https?:' "$out/report.html"; then
    fail "the page loads something from the network"
fi

"$browser" "${flags[@]}" --hide-scrollbars --window-size=1280,2400 \
    --screenshot="$out/report.png" "file://$out/report.html" >/dev/null 2>&1 ||
    fail "no screenshot"
[ -s "$out/report.png" ] || fail "empty screenshot"
echo "report page: $codes codes, $series series, no script error; screenshot: $out/report.png"
echo "1 passed, 0 failed"
