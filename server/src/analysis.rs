//! One entry point for every analysis of a document: error text everywhere, script rules in
//! PowerShell, then suppression comments. The CLI and the LSP both call this.
use crate::document::DocKind;
use crate::finding::{Confidence, Finding};
use crate::{scan, script, suppress};
use std::ops::Range;
use tree_sitter::Tree;

pub use crate::options::Options;

/// Findings in position order, and the script's tree (for the next incremental parse).
pub fn analyse(
    kind: DocKind,
    text: &str,
    old: Option<&Tree>,
    opts: &Options,
) -> (Vec<Finding>, Option<Tree>) {
    analyse_until(kind, text, old, opts, &|| false).unwrap_or_default()
}

/// `analyse`, giving up (`None`) as soon as `stop()` says the result is no longer wanted (a
/// newer text, a closed document): asked between phases and inside the long loops.
pub fn analyse_until(
    kind: DocKind,
    text: &str,
    old: Option<&Tree>,
    opts: &Options,
    stop: &dyn Fn() -> bool,
) -> Option<(Vec<Finding>, Option<Tree>)> {
    let mut tree = None;
    let mut findings = match kind {
        DocKind::PowerShell => {
            let mut findings = scan::scanner().scan_until(text, stop)?;
            let (rules, t, quoted) =
                script::analyse_until(crate::knowledge::catalog(), text, old, stop)?;
            quoted_text(&mut findings, &quoted);
            findings.extend(rules);
            tree = t;
            findings
        }
        // The scanner beside the logs and the output records: what the LSP's first analysis
        // reads too, less what an update needs.
        DocKind::Text => crate::incremental::findings(text, opts, stop)?,
    };
    if stop() {
        return None;
    }
    suppress::apply(text, &mut findings);
    findings.sort_by_key(|f| (f.range.start, f.code));
    Some((findings, tree))
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    const LINE: &str = "Proxy web request failed. , inner exception: System.Net.WebException: Unable to connect to the remote server\n";

    /// Stops once asked `after` times; counts the questions.
    fn stop_after(asked: &Cell<usize>, after: usize) -> impl Fn() -> bool + '_ {
        move || {
            asked.set(asked.get() + 1);
            asked.get() > after
        }
    }

    #[test]
    fn a_stopped_analysis_gives_up_promptly_and_an_unstopped_one_is_whole() {
        let opts = Options::default();
        for (kind, text) in [
            (DocKind::Text, LINE.repeat(10_000)), // over `PARALLEL`
            (
                DocKind::PowerShell,
                "Get-Mailbox -Identity a\n".repeat(20_000),
            ),
        ] {
            let full = analyse(kind, &text, None, &opts).0;
            let whole = analyse_until(kind, &text, None, &opts, &|| false).unwrap();
            assert_eq!(whole.0, full);
            for after in [0, 1, 2] {
                let asked = Cell::new(0);
                let out = analyse_until(kind, &text, None, &opts, &stop_after(&asked, after));
                assert!(out.is_none(), "{kind:?} went on after stop");
                // Asked at most once more (to tell a stop from tree-sitter giving up).
                assert!(asked.get() <= after + 2, "{kind:?} went on after stop");
            }
        }
    }
}
