//! A log with thousands of errors: the diagnostics stop at `freebusyLsp.maxDiagnostics` with one
//! note saying how many were left out, the outline still counts all, and a code action answers
//! for the range it was asked about (capped), not for the whole document.
mod support;

use serde_json::{json, Value};
use support::{full_caps, Client};

const LOG: &str = "file:///tmp/freebusy-caps/many.log";

/// `n` lines, each its own FB026 finding.
fn error_lines(n: usize) -> String {
    "2024-05-03 ERROR Failed to get ASURL. Error 8004010F.\n".repeat(n)
}

fn start(settings: Value, caps: Value) -> Client {
    let mut client = Client::start();
    let r = client.request(
        "initialize",
        json!({"processId": null, "capabilities": caps, "initializationOptions": settings}),
    );
    assert!(r.get("error").is_none(), "{r}");
    client.notify("initialized", json!({}));
    client
}

fn check_note(note: &Value, shown: usize, total: usize) {
    assert_eq!(note["severity"], 3, "information: {note}");
    assert_eq!(note["source"], "freebusy-lsp");
    assert!(
        note.get("code").is_none(),
        "no code, so no code action: {note}"
    );
    let msg = note["message"].as_str().unwrap();
    for part in [
        format!("{shown} of {total} findings"),
        format!("{} more", total - shown),
        "freebusyLsp.maxDiagnostics".into(),
        "outline".into(),
        "freebusy-lsp plan".into(),
    ] {
        assert!(msg.contains(&part), "{part:?} in {msg:?}");
    }
    // It sits where the first finding left out starts.
    assert_eq!(note["range"]["start"]["line"], shown);
}

#[test]
fn diagnostics_stop_at_the_setting_with_one_note() {
    let mut caps = full_caps(&["utf-16"]);
    caps["textDocument"]["documentSymbol"] = json!({"hierarchicalDocumentSymbolSupport": true});
    let mut client = start(json!({"freebusyLsp": {"maxDiagnostics": 100}}), caps);
    client.open(LOG, &error_lines(250));
    let diags = client.diagnostics(LOG, Some(1));
    assert_eq!(diags.len(), 101);
    assert!(diags[..100].iter().all(|d| d["code"] == "FB026"));
    assert_eq!(diags[99]["range"]["start"]["line"], 99);
    check_note(&diags[100], 100, 250);
    // The outline counts every finding.
    let r = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": LOG}}),
    );
    let groups = r["result"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert!(groups[0]["name"].as_str().unwrap().ends_with("(250)"));
    assert_eq!(groups[0]["children"].as_array().unwrap().len(), 250);
    // Under the cap: no note.
    let small = "file:///tmp/freebusy-caps/small.log";
    client.open(small, &error_lines(100));
    let diags = client.diagnostics(small, Some(1));
    assert_eq!(diags.len(), 100);
    assert!(diags.iter().all(|d| d["code"] == "FB026"));
    assert!(client.stop().success());
}

#[test]
fn the_default_cap_is_two_thousand_also_when_pulled() {
    let mut caps = full_caps(&["utf-16"]);
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    let mut client = start(Value::Null, caps);
    client.open(LOG, &error_lines(2_100));
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": LOG}}),
    );
    let items = report["result"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2_001);
    check_note(&items[2_000], 2_000, 2_100);
    assert!(client.stop().success());
}

fn code_actions(client: &mut Client, range: Value, diagnostics: &[Value]) -> Vec<Value> {
    let r = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": LOG}, "range": range, "context": {"diagnostics": diagnostics}}),
    );
    r["result"].as_array().cloned().unwrap_or_default()
}

/// The lines the "Suppress on this line" actions would edit.
fn suppressed_lines(actions: &[Value]) -> Vec<u64> {
    actions
        .iter()
        .filter(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .ends_with("Suppress on this line")
        })
        .map(|a| {
            let edits = a["edit"]["changes"][LOG].as_array().unwrap();
            edits[0]["range"]["start"]["line"].as_u64().unwrap()
        })
        .collect()
}

/// Whole-document actions that write the remediation script (redaction is another source action).
fn source_actions(actions: &[Value]) -> usize {
    actions
        .iter()
        .filter(|a| a["kind"] == "source")
        .filter(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.contains("emediation"))
        })
        .count()
}

#[test]
fn code_actions_answer_for_the_range_asked() {
    let mut client = start(
        json!({"freebusyLsp": {"maxDiagnostics": 5_000}}),
        full_caps(&["utf-16"]),
    );
    client.open(LOG, &error_lines(1_000));
    let diags = client.diagnostics(LOG, Some(1));
    assert_eq!(diags.len(), 1_000);
    // One line, with its diagnostic as the client sends it: that line's actions only.
    let line = json!({"start": {"line": 7, "character": 0}, "end": {"line": 7, "character": 60}});
    let actions = code_actions(&mut client, line.clone(), &diags[7..8]);
    assert_eq!(suppressed_lines(&actions), [7]);
    assert_eq!(source_actions(&actions), 1);
    let fixes: Vec<&Value> = actions.iter().filter(|a| a["kind"] == "quickfix").collect();
    assert!(fixes.len() >= 2, "a fix and the suppression: {actions:#?}");
    for a in &fixes {
        assert_eq!(a["diagnostics"][0]["range"]["start"]["line"], 7, "{a}");
    }
    // The same line without the diagnostic: found from the range alone.
    let bare = code_actions(&mut client, line, &[]);
    assert_eq!(suppressed_lines(&bare), [7]);
    // The whole document, every diagnostic sent back: the first findings up to the cap, and
    // still one source action for the whole document.
    let all = json!({"start": {"line": 0, "character": 0}, "end": {"line": 1_000, "character": 0}});
    let actions = code_actions(&mut client, all, &diags);
    let lines = suppressed_lines(&actions);
    assert_eq!(lines.len(), 100);
    assert_eq!(lines, (0..100).collect::<Vec<u64>>());
    assert_eq!(source_actions(&actions), 1);
    assert!(client.stop().success());
}
