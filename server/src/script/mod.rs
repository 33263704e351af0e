//! PowerShell analysis: parse with tree-sitter, build the command model, run the rules.
//!
//! Which commands a rule looks at is declared in `queries/powershell/<family>.scm` (a capture
//! named after the rule's code, `@FB113`); what it concludes from their parameters, values and
//! order is a small Rust function in `rules/<family>.rs`.

pub mod edits;
pub mod model;
mod parse;
pub mod rules;
pub mod signature;

pub use model::{Command, Param, Script, Value, ValueKind};
pub use parse::{language, parse};

use crate::finding::Finding;
use tree_sitter::Tree;

/// Findings of every script rule in `text`, and the tree (for the next incremental parse).
pub fn analyse(text: &str, old: Option<&Tree>) -> (Vec<Finding>, Option<Tree>) {
    let Some(tree) = parse(text, old) else {
        return (Vec::new(), None);
    };
    let script = Script::new(text, &tree);
    let findings = rules::run(&script, &tree);
    (findings, Some(tree))
}
