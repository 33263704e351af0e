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
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
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
    let parts = read(text, opts, stop, true)?;
    a.findings = Arc::new(combine(&parts, || Cow::Borrowed(text)));
    a.parts = Some(parts);
    Some(a)
}

/// A text document's findings as `full` reads them, before suppression and in no order,
/// keeping nothing for an update (`analysis` for the CLI).
pub(crate) fn findings(
    text: &str,
    opts: &Options,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<Finding>> {
    let p = read(text, opts, stop, false)?;
    let mut all = p.scan;
    all.extend(p.logs.findings);
    all.extend(p.output);
    Some(all)
}

/// From this size on the scanner runs beside the rest (logs, output records, marks); small in
/// debug builds, so that tests and fuzzing read both ways.
const PARALLEL: usize = if cfg!(debug_assertions) {
    4096
} else {
    1 << 20
};

/// Every analysis of a text document, and its marks when `marks` (for the next update). The
/// scanner runs on this thread while the logs, the records of cmdlet output and the marks are
/// read on rayon's: the two sides cost about the same.
fn read(text: &str, opts: &Options, stop: &dyn Fn() -> bool, marks: bool) -> Option<Parts> {
    let parallel = text.len() >= PARALLEL;
    // What this thread's `stop` said, for the other threads (`stop` itself stays here).
    let stopped = AtomicBool::new(false);
    let halted = || stopped.load(Ordering::Relaxed);
    let (mut logs, mut records, mut found) = (None, None, None);
    let scanned = rayon::in_place_scope(|s| {
        if parallel {
            s.spawn(|_| logs = logs::Logs::full(text, opts, &halted));
            s.spawn(|_| records = crate::output::records_until(text, &halted));
            if marks {
                s.spawn(|_| found = Some(Marks::find(text, 0)));
            }
        }
        crate::scan::scanner().scan_until(text, &|| {
            let now = stop();
            if now {
                stopped.store(true, Ordering::Relaxed);
            }
            now
        })
    });
    let scan = scanned?;
    let records = match records {
        Some(r) => r,
        None if parallel => return None,
        None => crate::output::records_until(text, stop)?,
    };
    // Output checks read the scanner's findings.
    let output = crate::output::check(&records, &scan);
    drop(records);
    let logs = match logs {
        Some(l) => l,
        None if parallel => return None,
        None => logs::Logs::full(text, opts, &|| false)?,
    };
    if stop() {
        return None;
    }
    let marks = match found {
        Some(m) => m,
        None if marks && !parallel => Marks::find(text, 0),
        None => Marks::default(),
    };
    Some(Parts {
        scan,
        logs,
        output,
        marks,
    })
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
        findings: Arc::new(combine(&parts, || Cow::Owned(text.to_string()))),
        parts: Some(parts),
        tree: None,
    })
}

/// The document's findings as `analysis` orders them: the scanner's, the logs', the output's,
/// less what suppression comments cover, sorted by place and code.
fn combine<'t>(p: &Parts, whole: impl FnOnce() -> Cow<'t, str>) -> Vec<Finding> {
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
