//! Parsing PowerShell with tree-sitter; incremental when given the previous (edited) tree.
use std::cell::RefCell;
use std::ops::ControlFlow;
use tree_sitter::{Language, ParseOptions, ParseState, Parser, Tree};

pub fn language() -> Language {
    tree_sitter_powershell::LANGUAGE.into()
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parses `text`; `old` is the previous tree with the edits since applied (`Tree::edit`).
/// `None` only if tree-sitter gives up (it does not on any input, but we do not trust that).
pub fn parse(text: &str, old: Option<&Tree>) -> Option<Tree> {
    parse_until(text, old, &|| false)
}

/// `parse`, giving up (`None`) once `stop()` says the tree is no longer wanted.
pub fn parse_until(text: &str, old: Option<&Tree>, stop: &dyn Fn() -> bool) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&language()).ok()?;
            *slot = Some(p);
        }
        let parser = slot.as_mut()?;
        let bytes = text.as_bytes();
        let mut progress = |_: &ParseState| match stop() {
            true => ControlFlow::Break(()),
            false => ControlFlow::Continue(()),
        };
        let options = ParseOptions::new().progress_callback(&mut progress);
        let tree = parser.parse_with_options(
            &mut |i, _| bytes.get(i..).unwrap_or_default(),
            old,
            Some(options),
        );
        if tree.is_none() {
            // A stopped parse would resume on the next call: start that one afresh.
            parser.reset();
        }
        tree
    })
}
