//! One entry point for every analysis of a document: error text everywhere, script rules in
//! PowerShell, then suppression comments. The CLI and the LSP both call this.
use crate::document::DocKind;
use crate::finding::Finding;
use crate::{logs, output, scan, script, suppress};
use tree_sitter::Tree;

pub use crate::options::Options;

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
            let (rules, t) = script::analyse(text, old);
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
