//! The server as an editor feels it: start-up to the `initialize` reply, open-to-diagnostics and
//! edit-to-diagnostics on a large log, hover and code-action round trips. Each figure is given as
//! a ratio to a baseline measured in the same run: start-up against `freebusy-lsp --version`
//! (process start alone), document timings against the in-process analysis of the same text.
#[path = "common/mod.rs"]
mod common;
#[path = "../tests/support/mod.rs"]
mod support;

use common::best_of;
use serde_json::json;
use std::process::Command;
use std::time::Instant;
use support::{full_caps, Client};

const URI: &str = "file:///tmp/freebusy-bench/big.log";

fn main() {
    let mb: usize = std::env::var("FREEBUSY_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let line =
        "2024-05-03T07:02:19.220Z INFO  GetUserAvailability completed in 312 ms for 3 mailboxes\n";
    let error = "2024-05-03T07:02:19.001Z ERROR Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.\n";
    // An error every 500 lines.
    let mut text = String::new();
    let mut n = 0usize;
    while text.len() < mb << 20 {
        text.push_str(if n.is_multiple_of(500) { error } else { line });
        n += 1;
    }
    let lines = text.lines().count();

    let process = best_of(5, || {
        Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
            .arg("--version")
            .output()
            .unwrap();
    });
    let mut startup = std::time::Duration::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let mut c = Client::start();
        c.initialize(full_caps(&["utf-16"]));
        startup = startup.min(t.elapsed());
        c.stop();
    }
    freebusy_lsp::scan::scan("warm up");
    let analysis = best_of(3, || {
        freebusy_lsp::analysis::analyse_file("big.log", &text);
    });

    let mut c = Client::start();
    c.initialize(full_caps(&["utf-16"]));
    let t = Instant::now();
    c.open(URI, &text);
    let found = c.diagnostics(URI, Some(1)).len();
    let open = t.elapsed();
    let mut edit = std::time::Duration::MAX;
    for v in 2..7 {
        let t = Instant::now();
        c.notify("textDocument/didChange", json!({"textDocument": {"uri": URI, "version": v}, "contentChanges": [
            {"range": {"start": {"line": lines / 2, "character": 0}, "end": {"line": lines / 2, "character": 0}}, "text": "x"}]}));
        c.diagnostics(URI, Some(v));
        edit = edit.min(t.elapsed());
    }
    let hover = best_of(5, || {
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 40}}),
        );
    });
    let action = best_of(5, || {
        c.request("textDocument/codeAction", json!({"textDocument": {"uri": URI},
            "range": {"start": {"line": 0, "character": 40}, "end": {"line": 0, "character": 41}}, "context": {"diagnostics": []}}));
    });
    c.stop();

    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "document: {:.1} MiB, {lines} lines, {found} diagnostics",
        text.len() as f64 / (1 << 20) as f64
    );
    println!(
        "process start (--version, baseline):   {:>8.1} ms",
        ms(process)
    );
    println!(
        "start-up to initialize reply:          {:>8.1} ms  ratio {:.2}",
        ms(startup),
        ms(startup) / ms(process)
    );
    println!(
        "in-process analysis (baseline):        {:>8.1} ms",
        ms(analysis)
    );
    println!(
        "didOpen to publishDiagnostics:         {:>8.1} ms  ratio {:.2}",
        ms(open),
        ms(open) / ms(analysis)
    );
    println!(
        "one-character edit to diagnostics:     {:>8.1} ms  ratio {:.2}",
        ms(edit),
        ms(edit) / ms(analysis)
    );
    println!(
        "hover round trip:                      {:>8.2} ms",
        ms(hover)
    );
    println!(
        "code action round trip:                {:>8.2} ms",
        ms(action)
    );
}
