//! Cmdlet output records over a window. A record never crosses a blank line, nor a line that
//! starts with a digit unless a table runs on; at such a line the parser's only state is the
//! command of the last prompt line above: the window runs from one such line before the changed
//! part to one after it, read after a copy of that prompt line.
//! The domains of every error in the text (what a relationship's domain list must hold) come
//! in as findings at the window's start, where no record is.
use super::marks::Marks;
use super::{rope, shifted, Change};
use crate::capture::Key;
use crate::finding::Finding;
use crate::output;
use ropey::Rope;
use std::ops::Range;

pub struct Before<'a> {
    pub output: &'a [Finding],
    pub errors: &'a [Finding],
    pub marks: &'a Marks,
}

/// Output findings of the new text, given the scanner's new findings (`errors`), the new marks
/// and `changed`, the range whose errors or lines changed. `None`: read the whole text.
pub fn update(
    old: Before,
    ch: Change,
    text: &Rope,
    errors: &[Finding],
    marks: &Marks,
    changed: Range<usize>,
) -> Option<Vec<Finding>> {
    if output::failing_domains(old.errors) != output::failing_domains(errors) {
        return None;
    }
    let len = text.len_bytes();
    let a = start_before(text, marks, ch, changed.start);
    let mut b = end_after(text, (marks, old.marks), ch, changed.end);
    let (new_cmd, old_cmd) = (
        marks.command_before(b).map(|p| &p.1),
        old.marks.command_before(ch.map_old(b)).map(|p| &p.1),
    );
    if new_cmd != old_cmd {
        // The records after take another command: up to the next prompt line.
        let i = marks.prompts.partition_point(|p| p.0 < b);
        b = marks.prompts.get(i).map_or(len, |p| p.0);
    }
    let mut window = match marks.command_before(a) {
        Some((at, _)) => rope::text(text, *at..rope::line_end(text, *at)),
        None => String::new(),
    };
    if !window.ends_with('\n') {
        window.push('\n'); // also: no record starts at 0, where the outside errors stand
    }
    let base = window.len();
    window.push_str(&rope::text(text, a..b));
    let i = errors.partition_point(|f| f.range.start < a);
    let j = errors.partition_point(|f| f.range.start < b);
    let mut inside: Vec<Finding> = outside_domains(&errors[..i], &errors[j..]);
    inside.extend(errors[i..j].iter().map(|f| shifted(f.clone(), a, base)));
    let found = output::analyse(&window, &inside)
        .into_iter()
        .map(|f| shifted(f, base, a));
    let old_out = old.output;
    let oi = old_out.partition_point(|f| f.range.start < a);
    let oj = old_out.partition_point(|f| f.range.start < ch.map_old(b));
    let mut out = old_out[..oi].to_vec();
    out.extend(found);
    out.extend(
        old_out[oj..]
            .iter()
            .map(|f| shifted(f.clone(), ch.old_end, ch.new_end)),
    );
    Some(out)
}

/// One finding at offset 0 per domain the errors outside the window capture.
fn outside_domains(before: &[Finding], after: &[Finding]) -> Vec<Finding> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for f in before.iter().chain(after) {
        let Some(d) = f.captures.get(&Key::Domain) else {
            continue;
        };
        if !seen.contains(&d.as_str()) {
            seen.push(d);
            let mut carrier = Finding::new(f.code, 0..0);
            carrier.captures.insert(Key::Domain, d.clone());
            out.push(carrier);
        }
    }
    out
}

/// A line the record parser reads at its top level whatever came before: one after a blank
/// line, or one that starts with a digit (no record line does) where no table may run on.
fn top_level(marks: &Marks, line: &str, at: usize, after_blank: bool) -> bool {
    after_blank
        || (line.as_bytes().first().is_some_and(u8::is_ascii_digit) && !marks.table_open(at))
}

/// The last line at or before `at`'s line that starts before the change and is read at the
/// top level (0 if none): where the window starts. The text before it did not change, so the
/// old text's parser was at its top level there too.
fn start_before(text: &Rope, marks: &Marks, ch: Change, at: usize) -> usize {
    let mut line = rope::line_start(text, at);
    while line > 0 {
        let prev = rope::line_start(text, line - 1);
        let this = rope::text(text, line..rope::line_end(text, line));
        let above = rope::text(text, prev..line);
        if line < ch.start && top_level(marks, &this, line, above.trim().is_empty()) {
            return line;
        }
        line = prev;
    }
    0
}

/// The first line from `at` on (after the changed lines), read at the top level in the new
/// text and, moved back, in the old one (the end of the text if none): where the window ends.
fn end_after(text: &Rope, (new, old): (&Marks, &Marks), ch: Change, at: usize) -> usize {
    let len = text.len_bytes();
    let mut line = rope::line_start(text, at);
    if line < at {
        line = rope::line_end(text, at);
    }
    let mut after_blank = false;
    while line < len {
        let end = rope::line_end(text, line);
        let this = rope::text(text, line..end);
        if top_level(new, &this, line, after_blank)
            && (after_blank || !old.table_open(ch.map_old(line)))
        {
            return line;
        }
        after_blank = this.trim().is_empty();
        line = end;
    }
    len
}
