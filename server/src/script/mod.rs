//! PowerShell analysis: parse with tree-sitter, build the command model, run the rules.
//!
//! Which commands a rule looks at is declared in `queries/powershell/<family>.scm` (a capture
//! named after the rule's code, `@FB113`); what it concludes from their parameters, values and
//! order is a small Rust function, one per rule, in `rules/<id>.rs`.

pub mod edits;
pub mod model;
mod parse;
pub mod rules;
pub mod signature;

pub use model::{Command, Param, Script, Value, ValueKind};
pub use parse::{language, parse, parse_until};

use crate::finding::Finding;
use crate::knowledge::Catalog;
use std::ops::Range;
use tree_sitter::Tree;

/// Findings of every script rule in `text`, and the tree (for the next incremental parse).
pub fn analyse(text: &str, old: Option<&Tree>) -> (Vec<Finding>, Option<Tree>) {
    analyse_until(crate::knowledge::catalog(), text, old, &|| false)
        .map(|(findings, tree, _)| (findings, tree))
        .unwrap_or_default()
}

/// What a script analysis gives: the rules' findings, the tree (for the next incremental
/// parse), and where the script holds text rather than code (its string literals and comments,
/// merged into sorted, disjoint spans).
pub type Analysed = (Vec<Finding>, Option<Tree>, Vec<Range<usize>>);

/// `analyse` against a given catalog (its cmdlet data and tables), giving up (`None`) once
/// `stop()` says the result is no longer wanted.
pub fn analyse_until(
    catalog: &Catalog,
    text: &str,
    old: Option<&Tree>,
    stop: &dyn Fn() -> bool,
) -> Option<Analysed> {
    let Some(tree) = parse_until(text, old, stop) else {
        return (!stop()).then(|| (Vec::new(), None, Vec::new()));
    };
    if stop() {
        return None;
    }
    let script = Script::new(text, &tree, catalog);
    let findings = rules::run(&script, &tree);
    let spans = model::merged(script.strings.iter().chain(&script.comments).cloned());
    Some((findings, Some(tree), spans))
}
