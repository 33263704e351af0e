//! The server's incremental path over stdio: random edits sent through `didChange` (bursts of
//! notifications, several changes in one, UTF-16 positions over multibyte text) end with the
//! same diagnostics as a fresh open of the final text.
mod support;
use serde_json::{json, Value};
use support::edits::*;
use support::{bare_caps, Client};

/// An LSP position (UTF-16 units) of byte offset `at`.
fn position(text: &str, at: usize) -> Value {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    let character: usize = text[line_start..at].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// A random edit, moved off the middle of a `\r\n` (a position there is the line's end).
fn edit(rng: &mut Rng, text: &str, pieces: &[String]) -> (std::ops::Range<usize>, String) {
    let (mut range, insert) = random_edit(rng, text, pieces);
    let inside_crlf = |at: usize| at > 0 && text[..at].ends_with('\r');
    while inside_crlf(range.start) {
        range.start -= 1;
    }
    while inside_crlf(range.end) {
        range.end -= 1;
    }
    range.end = range.end.max(range.start);
    (range, insert)
}

fn change_event(text: &str, range: &std::ops::Range<usize>, insert: &str) -> Value {
    json!({"range": {"start": position(text, range.start), "end": position(text, range.end)},
           "text": insert})
}

/// Sends `rounds` versions (each one notification of 1 to 3 changes); `wait`: waits for each
/// version's diagnostics, else only for the last one's. Returns the final text and diagnostics.
fn edit_over_stdio(seed: u64, start: &str, rounds: i64, wait: bool) -> (String, Vec<Value>) {
    let errors = error_texts();
    let pieces = pieces(&errors);
    let mut rng = Rng(seed);
    let mut client = Client::start();
    client.initialize(bare_caps());
    let uri = "file:///tmp/incremental/edited.log";
    client.open(uri, start);
    let mut last = client.diagnostics(uri, Some(1));
    let mut text = start.to_string();
    for version in 2..2 + rounds {
        let mut changes = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let (range, insert) = edit(&mut rng, &text, &pieces);
            changes.push(change_event(&text, &range, &insert));
            text.replace_range(range, &insert);
        }
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
        if wait || version == 1 + rounds {
            last = client.diagnostics(uri, Some(version));
        }
    }
    client.stop();
    (text, last)
}

fn fresh(text: &str) -> Vec<Value> {
    let mut client = Client::start();
    client.initialize(bare_caps());
    let uri = "file:///tmp/incremental/edited.log";
    client.open(uri, text);
    let d = client.diagnostics(uri, Some(1));
    client.stop();
    d
}

#[test]
fn edits_one_by_one_end_as_a_fresh_open() {
    let errors = error_texts();
    for seed in [3, 4] {
        let start = generated(&mut Rng(seed), 70_000, &errors);
        let (text, edited) = edit_over_stdio(seed, &start, 25, true);
        assert!(!edited.is_empty());
        assert_eq!(edited, fresh(&text), "seed {seed}");
    }
}

#[test]
fn bursts_of_edits_end_as_a_fresh_open() {
    let errors = error_texts();
    let start = generated(&mut Rng(5), 90_000, &errors) + &fixtures("output");
    let (text, edited) = edit_over_stdio(5, &start, 60, false);
    assert_eq!(edited, fresh(&text));
}
