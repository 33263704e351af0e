//! One entry point for every analysis of a document: error text everywhere, script rules in
//! PowerShell, then suppression comments. The CLI and the LSP both call this.
use crate::document::DocKind;
use crate::finding::{Confidence, Finding};
use crate::{logs, output, scan, script, suppress};
use std::ops::Range;
use tree_sitter::Tree;

/// What the user can tune.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// A free/busy request slower than this is a finding (FB203).
    pub slow_request_seconds: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            slow_request_seconds: 30.0,
        }
    }
}

/// Findings in position order, and the script's tree (for the next incremental parse).
pub fn analyse(
    kind: DocKind,
    text: &str,
    old: Option<&Tree>,
    opts: &Options,
) -> (Vec<Finding>, Option<Tree>) {
    let mut findings = scan::scan(text);
    let mut tree = None;
    match kind {
        DocKind::PowerShell => {
            let (rules, t, quoted) = script::analyse_with_text(text, old);
            quoted_text(&mut findings, &quoted);
            findings.extend(rules);
            tree = t;
        }
        DocKind::Text => {
            // Output checks read the scanner's findings, before the other kinds join them.
            let output = output::analyse(text, &findings);
            findings.extend(logs::analyse(text, opts));
            findings.extend(output);
        }
    }
    suppress::apply(text, &mut findings);
    findings.sort_by_key(|f| (f.range.start, f.code));
    (findings, tree)
}

/// Error text in a script's strings or comments is text the script holds (a message it prints,
/// an error it looks for), not an error that happened: information at most.
fn quoted_text(scanned: &mut [Finding], quoted: &[Range<usize>]) {
    for f in scanned {
        if script::model::holding(quoted, f.range.start).is_none() {
            continue;
        }
        f.confidence = Confidence::Low;
        let said = "This is text the script contains (in a string or comment), not an error that happened.";
        f.note = Some(match f.note.take() {
            Some(n) => format!("{n} {said}"),
            None => said.to_string(),
        });
    }
}

/// `analyse` for a file path, without incremental state, default options.
pub fn analyse_file(path: &str, text: &str) -> Vec<Finding> {
    analyse(
        crate::document::kind(path, text),
        text,
        None,
        &Options::default(),
    )
    .0
}
