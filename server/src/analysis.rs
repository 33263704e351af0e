//! One entry point for every analysis of a document: error text everywhere, script rules in
//! PowerShell, then suppression comments. The CLI and the LSP both call this.
use crate::document::DocKind;
use crate::finding::Finding;
use crate::{scan, script, suppress};
use tree_sitter::Tree;

/// Findings in position order, and the script's tree (for the next incremental parse).
pub fn analyse(kind: DocKind, text: &str, old: Option<&Tree>) -> (Vec<Finding>, Option<Tree>) {
    let mut findings = scan::scan(text);
    let mut tree = None;
    if kind == DocKind::PowerShell {
        let (rules, t) = script::analyse(text, old);
        findings.extend(rules);
        tree = t;
    }
    suppress::apply(text, &mut findings);
    findings.sort_by_key(|f| (f.range.start, f.code.clone()));
    (findings, tree)
}

/// `analyse` for a file path, without incremental state (the CLI).
pub fn analyse_file(path: &str, text: &str) -> Vec<Finding> {
    analyse(crate::document::kind(path, text), text, None).0
}
