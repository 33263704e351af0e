//! Incremental re-analysis: after an edit, only a window of the text is read again and the
//! findings outside it are kept, moved by the edit. Equal to a full analysis of the new text
//! (`analysis::analyse`), finding for finding, in the same order: `tests/incremental.rs` and the
//! `incremental` fuzz target check it on random edits.
//!
//! A text document's analyses are kept apart, each updated over what it can depend on:
//! - the scanner over a window around the change, widened until it resyncs (`scan.rs`);
//! - the logs over the logs the change touches, from the header before it to the header after
//!   (a header resets the log reader), a W3C or CSV log in parts (`logs.rs`);
//! - cmdlet output over the records around the changed errors and lines (`output.rs`);
//! - suppression comments: with none in the text, nothing to do; with some, the whole text.
//!
//! PowerShell scripts are analysed whole (their tree is parsed incrementally, see `analysis`).
mod logs;
mod marks;
mod output;
mod rope;
mod scan;

use crate::analysis::{self, Options};
use crate::document::DocKind;
use crate::finding::Finding;
use crate::suppress;
use marks::Marks;
use ropey::Rope;
use std::sync::Arc;
use tree_sitter::Tree;

/// One edit, or several coalesced: `start..old_end` of the old text became `start..new_end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Change {
    /// `range` of the text replaced by `len` bytes.
    pub fn new(range: std::ops::Range<usize>, len: usize) -> Change {
        Change {
            start: range.start,
            old_end: range.end.max(range.start),
            new_end: range.start + len,
        }
    }

    /// This change, then `next` (in the offsets of the text after this one), as one change.
    pub fn then(self, next: Change) -> Change {
        let end = self.new_end.max(next.old_end);
        Change {
            start: self.start.min(next.start),
            old_end: self.old_end + next.old_end.saturating_sub(self.new_end),
            new_end: end - (next.old_end - next.start) + (next.new_end - next.start),
        }
    }

    /// An offset of the new text at or after `new_end`, in the old text.
    fn map_old(self, at: usize) -> usize {
        (at + self.old_end).saturating_sub(self.new_end)
    }
}

/// A finding moved from offsets at or after `from` to the same place after `to`.
fn shifted(mut f: Finding, from: usize, to: usize) -> Finding {
    let mv = |p: usize| (p + to).saturating_sub(from);
    f.range = mv(f.range.start)..mv(f.range.end);
    for s in &mut f.suggestions {
        for e in &mut s.edits {
            e.range = mv(e.range.start)..mv(e.range.end);
        }
    }
    f
}

/// An analysed text: its findings, and what the next update starts from.
pub struct Analysed {
    kind: DocKind,
    opts: Options,
    len: usize,
    findings: Arc<Vec<Finding>>,
    parts: Option<Parts>,
    tree: Option<Tree>,
}

/// A text document's findings by analysis, before suppression.
struct Parts {
    scan: Vec<Finding>,
    logs: logs::Logs,
    output: Vec<Finding>,
    marks: Marks,
}

impl Analysed {
    /// The findings, as `analysis::analyse` gives them.
    pub fn findings(&self) -> &Arc<Vec<Finding>> {
        &self.findings
    }

    /// A script's syntax tree (for the next incremental parse).
    pub fn take_tree(&mut self) -> Option<Tree> {
        self.tree.take()
    }
}

/// The whole of `text`; `old` a script's previous tree with the edits applied.
pub fn full(
    kind: DocKind,
    text: &str,
    old: Option<&Tree>,
    opts: &Options,
    stop: &dyn Fn() -> bool,
) -> Option<Analysed> {
    let mut a = Analysed {
        kind,
        opts: opts.clone(),
        len: text.len(),
        findings: Arc::default(),
        parts: None,
        tree: None,
    };
    if kind == DocKind::PowerShell {
        let (findings, tree) = analysis::analyse_until(kind, text, old, opts, stop)?;
        a.findings = Arc::new(findings);
        a.tree = tree;
        return Some(a);
    }
    let scan = crate::scan::scanner().scan_until(text, stop)?;
    let output = crate::output::analyse(text, &scan);
    if stop() {
        return None;
    }
    let parts = Parts {
        logs: logs::Logs::full(text, opts),
        output,
        scan,
        marks: Marks::find(text, 0),
    };
    if stop() {
        return None;
    }
    a.findings = Arc::new(combine(&parts, || text.to_string()));
    a.parts = Some(parts);
    Some(a)
}

/// `prev` after `change`, `text` the new text. Falls back to a full analysis when the change
/// does not fit `prev` (lengths disagree), the options changed, or for a script.
pub fn update(
    prev: &Analysed,
    change: Change,
    text: &Rope,
    opts: &Options,
    stop: &dyn Fn() -> bool,
) -> Option<Analysed> {
    let ch = change;
    let len = text.len_bytes();
    let fits = ch.start <= ch.old_end
        && ch.old_end <= prev.len
        && ch.start <= ch.new_end
        && prev.len - ch.old_end + ch.new_end == len
        && prev.opts == *opts;
    let Some(old) = prev.parts.as_ref().filter(|_| fits) else {
        return full(prev.kind, &text.to_string(), None, opts, stop);
    };
    let (scan, scanned) = scan::update(&old.scan, ch, text, stop)?;
    // The lines the change touched, and their marks.
    let lines = rope::line_start(text, ch.start)..rope::line_end(text, ch.new_end);
    let fresh = Marks::find(&rope::text(text, lines.clone()), lines.start);
    let marks = old
        .marks
        .replace(lines.start, ch.map_old(lines.end), lines.end, fresh);
    let logs = old
        .logs
        .update(ch, lines.clone(), text, &old.marks, &marks, opts);
    if stop() {
        return None;
    }
    let before = output::Before {
        output: &old.output,
        errors: &old.scan,
        marks: &old.marks,
    };
    let changed = scanned.start.min(lines.start)..scanned.end.max(lines.end);
    let output = match output::update(before, ch, text, &scan, &marks, changed) {
        Some(o) => o,
        None => crate::output::analyse(&text.to_string(), &scan),
    };
    let parts = Parts {
        scan,
        logs,
        output,
        marks,
    };
    Some(Analysed {
        kind: prev.kind,
        opts: opts.clone(),
        len,
        findings: Arc::new(combine(&parts, || text.to_string())),
        parts: Some(parts),
        tree: None,
    })
}

/// The document's findings as `analysis` orders them: the scanner's, the logs', the output's,
/// less what suppression comments cover, sorted by place and code.
fn combine(p: &Parts, whole: impl FnOnce() -> String) -> Vec<Finding> {
    let mut all = Vec::with_capacity(p.scan.len() + p.logs.findings.len() + p.output.len());
    all.extend_from_slice(&p.scan);
    all.extend_from_slice(&p.logs.findings);
    all.extend_from_slice(&p.output);
    if !p.marks.suppress.is_empty() {
        suppress::apply(&whole(), &mut all);
    }
    all.sort_by_key(|f| (f.range.start, f.code));
    all
}
