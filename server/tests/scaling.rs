//! The core stays linear (ARCHITECTURE.md, invariant 3): for each path that was once quadratic,
//! 4x the input must take well under 16x the time (quadratic), measured through the public
//! surface: the core API, the CLI binary, the server over stdio. Never an absolute time.
//!
//! In a debug build our code is many times slower than the optimized dependencies and `std` that
//! did the quadratic work (`memmove`, character counting), which hides it at any affordable size;
//! so these run in release builds only, as tests/run-all.sh does:
//! `cargo test --release --test scaling`.
mod support;

use serde_json::{json, Value};
use std::process::Command;
use std::time::{Duration, Instant};
use support::{full_caps, Client};

/// Linear work gives ~4; quadratic ~16. Generous, for a loaded machine.
const MAX_RATIO: f64 = 8.0;

/// Measurements of one test never overlap another's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Measures the input for `n` and for `4n` (best of three each, interleaved so that a burst of
/// load elsewhere hits both) and fails when the ratio says the work grows faster than n log n.
fn assert_linear<T>(
    what: &str,
    n: usize,
    build: impl Fn(usize) -> T,
    mut measure: impl FnMut(&T) -> Duration,
) {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (small, big) = (build(n), build(4 * n));
    let (mut t1, mut t4) = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        t1 = t1.min(measure(&small));
        t4 = t4.min(measure(&big));
    }
    let ratio = t4.as_secs_f64() / t1.as_secs_f64().max(1e-6);
    eprintln!("{what}: n={n} {t1:?}, 4n {t4:?}, ratio {ratio:.1}");
    assert!(
        ratio < MAX_RATIO,
        "{what}: 4x the input took {ratio:.1}x the time ({t1:?} -> {t4:?}); linear is ~4, quadratic ~16"
    );
}

/// The CPU time `f` costs, as `/proc` counts it for `whose` (a machine shared with other work
/// slows the wall clock, not this); the wall clock where there is no `/proc`.
fn timed(whose: Cpu, f: impl FnOnce()) -> Duration {
    let before = whose.ticks();
    let t = Instant::now();
    f();
    let wall = t.elapsed();
    match (before, whose.ticks()) {
        // USER_HZ is 100 on Linux.
        (Some(a), Some(b)) => Duration::from_millis((b - a) * 10),
        _ => wall,
    }
}

#[derive(Clone, Copy)]
enum Cpu {
    /// This thread (the core API).
    Thread,
    /// Child processes this one has waited for (the CLI).
    WaitedChildren,
    /// A running process (the server).
    Process(u32),
}

impl Cpu {
    /// User + system clock ticks from a `/proc/.../stat` line.
    fn ticks(self) -> Option<u64> {
        let (path, first) = match self {
            Cpu::Thread => ("/proc/thread-self/stat".to_string(), 11),
            Cpu::WaitedChildren => ("/proc/self/stat".to_string(), 13),
            Cpu::Process(pid) => (format!("/proc/{pid}/stat"), 11),
        };
        let stat = std::fs::read_to_string(path).ok()?;
        // Fields after the command name (which may hold spaces): state is the first.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let user: u64 = fields.get(first)?.parse().ok()?;
        let system: u64 = fields.get(first + 1)?.parse().ok()?;
        Some(user + system)
    }
}

/// `n` pairs of a generic proxy line and the 401 line that absorbs it (FB090 absorbs FB091).
fn absorbed_pairs(n: usize) -> String {
    "2024-05-03 ERROR Proxy web request failed.\n\
     2024-05-03 ERROR The request failed with HTTP status 401: Unauthorized.\n"
        .repeat(n)
}

/// `n` generic proxy lines in a row, then the 401 line that absorbs them all: each merge brings
/// the owner within reach of three more lines.
fn absorbed_chain(n: usize) -> String {
    "2024-05-03 ERROR Proxy web request failed.\n".repeat(n)
        + "2024-05-03 ERROR The request failed with HTTP status 401: Unauthorized.\n"
}

fn scan_count(text: &str) -> usize {
    freebusy_lsp::scan::scan(text).len()
}

/// The resolver merges every absorbed match into its owner in O(n log n).
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "timing: cargo test --release --test scaling"
)]
fn resolving_absorbed_matches_is_linear() {
    let text = absorbed_pairs(3);
    let findings = freebusy_lsp::scan::scan(&text);
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["FB090"; 3], "each FB091 line joins its FB090 line");
    assert!(text[findings[0].range.clone()].starts_with("Proxy web request failed"));
    let text = absorbed_chain(50);
    let findings = freebusy_lsp::scan::scan(&text);
    assert_eq!(findings.len(), 1, "the 401 line absorbs the whole run");
    assert_eq!(findings[0].range.start, text.find("Proxy").unwrap());
    assert_linear("scan, absorbed pairs", 8_000, absorbed_pairs, |text| {
        timed(Cpu::Thread, || {
            assert_eq!(scan_count(text), text.lines().count() / 2)
        })
    });
    assert_linear("scan, one absorbed run", 16_000, absorbed_chain, |text| {
        timed(Cpu::Thread, || assert_eq!(scan_count(text), 1))
    });
}

/// `n` findings on one line, with multi-byte characters (columns count characters) and filler
/// between them: counting from the line start cost O(position) per finding.
fn one_long_line(n: usize) -> String {
    format!(
        "Failed to get ASURL. Error 8004010F. ÄÖ {} ",
        "x".repeat(2_000)
    )
    .repeat(n)
}

fn check(path: &std::path::Path, format: &str) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
        .args(["check", "--format", format])
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Line and column of every finding on one long line: an index, not a count from the line start.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "timing: cargo test --release --test scaling"
)]
fn cli_columns_on_one_long_line_are_linear() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let file = |n: usize| {
        let path = dir.join(format!("one-line-{n}.log"));
        std::fs::write(&path, one_long_line(n)).unwrap();
        path
    };
    let json: Vec<Value> = serde_json::from_slice(&check(&file(3), "json")).unwrap();
    let columns: Vec<u64> = json.iter().map(|f| f["column"].as_u64().unwrap()).collect();
    let stride = one_long_line(1).chars().count() as u64;
    assert_eq!(columns, [1, 1 + stride, 1 + 2 * stride]);
    assert_linear("check --format json, one line", 2_000, file, |path| {
        timed(Cpu::WaitedChildren, || drop(check(path, "json")))
    });
    assert_linear("check --format text, one line", 2_000, file, |path| {
        timed(Cpu::WaitedChildren, || drop(check(path, "text")))
    });
}

/// `n` lines, each its own finding with a quick fix.
fn error_lines(n: usize) -> String {
    "2024-05-03 ERROR Failed to get ASURL. Error 8004010F.\n".repeat(n)
}

/// A code action for the whole document with every diagnostic in its context, as a client asking
/// about everything sends: the answer's cost grows with the document, not with its square.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "timing: cargo test --release --test scaling"
)]
fn code_actions_on_many_findings_are_linear() {
    let mut client = Client::start();
    let caps = full_caps(&["utf-16"]);
    client.request(
        "initialize",
        json!({"processId": null, "capabilities": caps,
               "initializationOptions": {"freebusyLsp": {"maxDiagnostics": 1_000_000}}}),
    );
    client.notify("initialized", json!({}));
    let client = std::cell::RefCell::new(client);
    let open = |n: usize| {
        let uri = format!("file:///tmp/freebusy-scaling/many-{n}.log");
        let mut c = client.borrow_mut();
        c.open(&uri, &error_lines(n));
        let diags = c.diagnostics(&uri, Some(1));
        assert_eq!(diags.len(), n);
        (uri, n, diags)
    };
    assert_linear(
        "code action over the whole document",
        4_000,
        open,
        |(uri, n, diags)| {
            let range =
                json!({"start": {"line": 0, "character": 0}, "end": {"line": n, "character": 0}});
            let params = json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": diags}});
            let mut c = client.borrow_mut();
            let server = Cpu::Process(c.pid());
            // Three requests a measurement: the clock ticks in hundredths of a second.
            timed(server, || {
                for _ in 0..3 {
                    let r = c.request("textDocument/codeAction", params.clone());
                    assert!(r["result"].is_array(), "{r}");
                }
            })
        },
    );
    assert!(client.into_inner().stop().success());
}
