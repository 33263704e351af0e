//! Parsing PowerShell with tree-sitter; incremental when given the previous (edited) tree.
use std::cell::RefCell;
use tree_sitter::{Language, Parser, Tree};

pub fn language() -> Language {
    tree_sitter_powershell::LANGUAGE.into()
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parses `text`; `old` is the previous tree with the edits since applied (`Tree::edit`).
/// `None` only if tree-sitter gives up (it does not on any input, but we do not trust that).
pub fn parse(text: &str, old: Option<&Tree>) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&language()).ok()?;
            *slot = Some(p);
        }
        slot.as_mut()?.parse(text, old)
    })
}
