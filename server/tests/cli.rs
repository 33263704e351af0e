//! `freebusy-lsp check` and `explain`, run as a user runs them.
mod support;

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use support::fixture::{self, compare, parse, render, Mark};

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or_default()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("freebusy-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `check --format json` reports exactly what each fixture marks (1-based lines and columns).
#[test]
fn json_output_matches_every_fixture() {
    let mut failures = Vec::new();
    for path in fixture::analysis_files() {
        let fx = parse(&std::fs::read_to_string(&path).unwrap());
        let ext = path.extension().unwrap().to_string_lossy();
        let input = temp_file(&format!("fixture.{ext}"), fx.text.as_bytes());
        let out = run(
            &[
                "check",
                "--format",
                "json",
                "--fail-on",
                "any",
                input.to_str().unwrap(),
            ],
            None,
        );
        let want_status = if fx.marks.is_empty() { 0 } else { 1 };
        assert_eq!(out.status.code(), Some(want_status), "{}", path.display());
        let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        let got: Vec<(Mark, String)> = found
            .iter()
            .map(|f| {
                let line = f["line"].as_u64().unwrap() as usize - 1;
                let start = f["column"].as_u64().unwrap() as usize - 1;
                let end = if f["end_line"] == f["line"] {
                    f["end_column"].as_u64().unwrap() as usize - 1
                } else {
                    fx.lines[line].chars().count()
                };
                let mark = Mark {
                    line,
                    start,
                    end: end.max(start + 1),
                    code: f["code"].as_str().unwrap().into(),
                    low: f["confidence"] == "low",
                    message: None,
                };
                (mark, f["message"].as_str().unwrap_or("").to_string())
            })
            .collect();
        if let Err(got) = compare(&fx, got) {
            failures.push(format!("{}:\n{}", path.display(), render(&fx, &got)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn text_output_reads_like_a_compiler() {
    let log = fixture::root().join("../../examples/hybrid-freebusy.log");
    let out = run(&["check", log.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.ends_with("hybrid-freebusy.log:6:32: error FB003: Autodiscover failed for email address: HTTP status 404"), "{first}");
    // The source line, a caret under the finding, and the first fix step, prefilled.
    assert!(
        text.contains("6 | 2024-05-03T07:02:19.001Z ERROR Autodiscover failed"),
        "{text}"
    );
    assert!(text.contains("^^^^"), "{text}");
    assert!(text.contains("= fix in "), "{text}");
}

#[test]
fn clean_input_exits_zero_and_stdin_works() {
    let out = run(
        &["check", "-"],
        Some(b"2024-05-03 INFO GetUserAvailability completed in 80 ms\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "no findings\n");
    let out = run(
        &["check", "-"],
        Some(b"Failed to get ASURL. Error 8004010F.\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("<stdin>:1:1: error FB026")
            || String::from_utf8_lossy(&out.stdout).contains("-:1:1: ")
    );
}

#[test]
fn utf16_files_from_windows_powershell_are_read() {
    let text = "Failed to get ASURL. Error 8004010F.\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = temp_file("utf16.txt", &bytes);
    let out = run(&["check", "--format=json", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found[0]["code"], "FB026");
}

#[test]
fn usage_and_read_errors_exit_two_with_a_message() {
    for args in [
        vec!["check"],
        vec!["check", "--format", "xml", "x"],
        vec!["check", "/nonexistent/trace.log"],
        vec!["bogus"],
    ] {
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("freebusy-lsp: "), "{args:?}: {err}");
    }
}

#[test]
fn binary_input_is_checked_not_fatal() {
    let bytes: Vec<u8> = (0u8..=255).cycle().take(100_000).collect();
    let path = temp_file("blob.bin", &bytes);
    let out = run(&["check", path.to_str().unwrap()], None);
    assert!(matches!(out.status.code(), Some(0 | 1)));
}

#[test]
fn explain_prints_the_card_and_lists_entries() {
    let out = run(&["explain", "--format", "markdown", "FB012"], None);
    assert_eq!(out.status.code(), Some(0));
    let card = String::from_utf8(out.stdout).unwrap();
    for part in [
        "### FB012",
        "**Why it happens**",
        "**How to confirm**",
        "**Fix: ",
        "Set-AuthConfig -PublishCertificate",
        "[Article section](https://",
    ] {
        assert!(card.contains(part), "missing {part:?} in\n{card}");
    }
    let by_id = run(
        &["explain", "--format=markdown", "oauth-missing-signing-cert"],
        None,
    );
    assert_eq!(by_id.stdout, card.as_bytes());
    let list = String::from_utf8(run(&["explain"], None).stdout).unwrap();
    assert!(list.lines().count() >= 34, "{list}");
    assert_eq!(run(&["explain", "FB999"], None).status.code(), Some(2));
}

#[test]
fn plan_takes_the_route_that_fits_each_failure() {
    let log = fixture::root().join("logs/httpproxy-autodiscover.log");
    let fx = parse(&std::fs::read_to_string(&log).unwrap());
    let input = temp_file("plan.log", fx.text.as_bytes());
    let out = run(&["plan", input.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    let plan = String::from_utf8(out.stdout).unwrap();
    assert!(
        plan.starts_with("# Remediation script for plan.log"),
        "{plan}"
    );
    // A 503 gets the application-pool route, a 401 the pre-authentication one.
    assert!(plan.contains("(503)"), "{plan}");
    assert!(plan.contains("(401)"), "{plan}");
    assert!(
        !plan.contains("FB200"),
        "the log summary is not a step: {plan}"
    );
    assert_eq!(run(&["plan"], None).status.code(), Some(2));
}

#[test]
fn plan_fills_values_from_anywhere_in_the_document() {
    let log = fixture::root().join("../../examples/hybrid-freebusy.log");
    let plan = String::from_utf8(run(&["plan", log.to_str().unwrap()], None).stdout).unwrap();
    // The FB009 lines (an EWS response) name no mailbox; the FB003 line at the top does.
    assert!(
        plan.contains("Get-MailboxFolderPermission -Identity \"jon.doe@contoso.com:\\Calendar\""),
        "{plan}"
    );
}

#[test]
fn plan_leaves_out_generic_text_with_no_free_busy_context() {
    let alone =
        "Invoke-WebRequest : The request was aborted: Could not create SSL/TLS secure channel.\n";
    let input = temp_file("alone.txt", alone.as_bytes());
    let plan = String::from_utf8(run(&["plan", input.to_str().unwrap()], None).stdout).unwrap();
    assert!(!plan.contains("FB028"), "{plan}");
    let placed = format!(
        "GetUserAvailability failed for https://mail.contoso.com/EWS/Exchange.asmx\n{alone}"
    );
    let input = temp_file("placed.txt", placed.as_bytes());
    let plan = String::from_utf8(run(&["plan", input.to_str().unwrap()], None).stdout).unwrap();
    assert!(plan.contains("FB028"), "{plan}");
}
