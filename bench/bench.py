"""Every figure of issue 11 in one run: freebusy-lsp (and optionally an earlier build of it)
beside typos-lsp, `rg -i -c -f phrases.txt` and the no-work server (`floor.py`: what the client
and the pipe cost, the least any server can take here), from a real stdio client. Prints a
Markdown table.

usage: bench.py --server BIN [--baseline BIN] [--typos BIN] [--rg BIN] [--dir DIR]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import gen  # noqa: E402
from client import Server, now  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FLOOR = "no-work server"
CAPS = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                     "publishDiagnostics": {"versionSupport": True}},
    "workspace": {"workspaceEdit": {"documentChanges": True}},
    "window": {"workDoneProgress": True},
}
SIZES = [1, 10, 50]
# Opens per size, one fresh server each: the median is reported (one run is at the mercy of
# the shared machine).
OPENS = 5
# Hovers and code actions timed: the p99 is the 10th slowest of each.
REQUESTS = 1000
TIMING = re.compile(r"analysed .* v(\d+) .*in ([0-9.]+) ms")


def ms(seconds):
    return seconds * 1e3


def whole_process(cmd, runs=15):
    times = []
    for _ in range(runs):
        t = now()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(now() - t)
    return ms(statistics.median(times))


def open_figures(name, cmd, files, texts):
    """open N MB -> diagnostics for each size; keystroke mid 10 MB; peak RSS at 50 MB; p99s."""
    out = {}
    for mb in SIZES:
        times = []
        for _ in range(OPENS):
            srv = Server(cmd, CAPS)
            uri = "file://" + files[mb]
            t = now()
            srv.open(uri, texts[mb])
            found = srv.diagnostics(uri, 1)
            times.append(ms(now() - t))
            out[f"found {mb} MB"] = len(found)
            if mb == 50:
                # After a request, which needs whatever the server keeps of the document (its
                # rope is built once the diagnostics are out): the peak of editing, not of opening.
                srv.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": 0, "character": 0}})
                out["peak RSS 50 MB"] = srv.peak_rss_mib()
            srv.stop()
        out[f"open {mb} MB"] = statistics.median(times)
    # The keystroke, with the server's own timing when it gives one.
    os.environ["FREEBUSY_LSP_TIMING"] = "1"
    srv = Server(cmd, CAPS)
    del os.environ["FREEBUSY_LSP_TIMING"]
    uri = "file://" + files[10]
    text = texts[10]
    srv.open(uri, text)
    srv.diagnostics(uri, 1)
    lines = text.split("\n")
    mid = len(lines) // 2
    seen, served = [], []
    for v in range(2, 12):
        lines[mid] = "x" + lines[mid]
        after = None if srv.incremental else "\n".join(lines)
        t = now()
        srv.insert(uri, v, mid, after)
        srv.diagnostics(uri, v)
        seen.append(ms(now() - t))
    time.sleep(0.2)
    for line in srv.server_lines():
        m = TIMING.search(line)
        if m and int(m.group(1)) >= 2:
            served.append(float(m.group(2)))
    out["keystroke seen"] = statistics.median(seen)
    out["keystroke server"] = statistics.median(served) if served else None
    srv.stop()
    if name != "typos-lsp":
        out.update(requests(cmd, files[1], texts[1]))
    return out


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


def requests(cmd, path, text):
    srv = Server(cmd, CAPS)
    uri = "file://" + path
    srv.open(uri, text)
    diags = srv.diagnostics(uri, 1)
    targets = diags[:50] or [{"range": {"start": {"line": 0, "character": 0},
                                        "end": {"line": 0, "character": 1}}}]
    hover, action = [], []
    for i in range(REQUESTS):
        d = targets[i % len(targets)]
        t = now()
        srv.request("textDocument/hover", {"textDocument": {"uri": uri},
                                           "position": d["range"]["start"]})
        hover.append(ms(now() - t))
        t = now()
        srv.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d["range"],
                                                "context": {"diagnostics": [d] if "code" in d else []}})
        action.append(ms(now() - t))
    srv.stop()
    return {"hover p99": p99(hover), "code action p99": p99(action)}


def rg_figures(rg, files, tiny):
    out = {"check 6 B": whole_process([rg, "-i", "-c", "-f", os.path.join(HERE, "phrases.txt"), tiny])}
    for mb in SIZES:
        out[f"open {mb} MB"] = whole_process(
            [rg, "-i", "-c", "-f", os.path.join(HERE, "phrases.txt"), files[mb]], runs=3)
    return out


ROWS = [
    ("check 6 B", "`check` on a 6-byte file (whole process), ms", 15),
    ("open 1 MB", "open 1 MB -> diagnostics, ms", 30),
    ("open 10 MB", "open 10 MB -> diagnostics, ms", 120),
    ("open 50 MB", "open 50 MB -> diagnostics, ms", 500),
    ("keystroke server", "one keystroke mid 10 MB -> diagnostics, server-side, ms", 5),
    ("keystroke seen", "one keystroke mid 10 MB -> diagnostics, client-seen, ms", 15),
    ("peak RSS 50 MB", "peak RSS with a 50 MB document, MiB", 155),
    ("hover p99", "hover p99, ms", 1),
    ("code action p99", "code action p99, ms", 1),
]


def fmt(v):
    if v is None:
        return "-"
    return f"{v:,.1f}" if v >= 10 else f"{v:.2f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return ""
    return f" ({a / b:.2f}x)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--baseline")
    ap.add_argument("--typos")
    ap.add_argument("--rg", default="rg")
    ap.add_argument("--dir", default="/tmp/freebusy-bench")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    files, texts = {}, {}
    for mb in SIZES:
        files[mb] = os.path.join(a.dir, f"mixed-{mb}mb.log")
        texts[mb] = gen.generate(mb << 20)
        with open(files[mb], "w") as f:
            f.write(texts[mb])
    tiny = os.path.join(a.dir, "tiny.log")
    with open(tiny, "w") as f:
        f.write("hello\n")

    columns = [("freebusy-lsp", [a.server])]
    if a.baseline:
        columns.append(("baseline build", [a.baseline]))
    if a.typos:
        columns.append(("typos-lsp", [a.typos]))
    columns.append((FLOOR, [sys.executable, os.path.join(HERE, "floor.py")]))
    results = {}
    for name, cmd in columns:
        print(f"measuring {name} ...", file=sys.stderr)
        r = open_figures(name, cmd, files, texts)
        if name not in ("typos-lsp", FLOOR):
            r["check 6 B"] = whole_process(cmd + ["check", tiny])
        results[name] = r
    print("measuring rg ...", file=sys.stderr)
    results["rg"] = rg_figures(a.rg, files, tiny)

    print("Cells: the figure, and in brackets freebusy-lsp's figure divided by it "
          "(below 1: freebusy-lsp is faster or smaller).\n")
    head = ["measure"] + [n for n, _ in columns] + ["rg", "target"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    ours = results["freebusy-lsp"]
    for key, label, target in ROWS:
        cells = [label, fmt(ours.get(key))]
        for name, _ in columns[1:] + [("rg", None)]:
            v = results[name].get(key)
            # The ratio is ours against theirs: below 1 we are faster (or smaller).
            cells.append(fmt(v) + (ratio(ours.get(key), v) if v else ""))
        cells.append(f"<= {target}")
        print("| " + " | ".join(cells) + " |")
    print()
    print("findings: " + ", ".join(f"{mb} MB: {ours.get(f'found {mb} MB')}" for mb in SIZES))
    print()
    floor = results[FLOOR]
    for key, label, target in ROWS:
        if key.startswith("open") and floor.get(key) is not None:
            share = ours[key] - floor[key]
            verdict = ("no server can meet the target here" if floor[key] > target
                       else f"a server has {fmt(target - floor[key])} ms of its own")
            print(f"- {key}: the no-work server {fmt(floor[key])} ms, freebusy-lsp's own share "
                  f"{fmt(share)} ms; target {target}: {verdict}.")


if __name__ == "__main__":
    main()
