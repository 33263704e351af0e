//! Free/busy context for generic signatures: is a context span (a marker of `context.toml` or a
//! specific signature's match) in the same paragraph, within a few lines and bytes?
//!
//! A bounded look at the neighbours of one position in a sorted list: a binary search and at
//! most `NEIGHBOURS` comparisons each side, whatever the text's size.
use super::normalize::{Normalized, BREAK};

/// Lines (line breaks removed by the normalizer, stack frames not counted) that may separate a
/// generic match from its context.
pub const LINES: usize = 10;
/// Bytes of normalized text that may separate them.
pub const BYTES: usize = 2048;
/// Spans looked at on each side (a long span may start before a shorter, nearer one).
const NEIGHBOURS: usize = 4;

/// A range of the normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// Whether a span of `context` (sorted by start) is near `at`.
pub fn near(norm: &Normalized, context: &[Span], at: Span) -> bool {
    let i = context.partition_point(|c| c.start < at.start);
    let before = context[i.saturating_sub(NEIGHBOURS)..i].iter().rev();
    let after = context[i..].iter().take(NEIGHBOURS);
    before.chain(after).any(|c| close(norm, *c, at))
}

fn close(norm: &Normalized, a: Span, b: Span) -> bool {
    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
    if second.start <= first.end {
        return true;
    }
    let gap = &norm.text.as_bytes()[first.end..second.start];
    gap.len() <= BYTES
        && memchr::memchr(BREAK as u8, gap).is_none()
        && norm.joins_between(first.end, second.start) <= LINES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, words: &[&str]) -> Vec<Span> {
        let mut out: Vec<Span> = words
            .iter()
            .map(|w| {
                let s = text.find(w).unwrap();
                Span::new(s, s + w.len())
            })
            .collect();
        out.sort_by_key(|s| s.start);
        out
    }

    #[test]
    fn same_paragraph_within_lines_is_near() {
        let norm = Normalized::new("GetUserAvailability failed\n  detail\nGENERIC text");
        let ctx = spans(&norm.text, &["GetUserAvailability"]);
        let at = spans(&norm.text, &["GENERIC"])[0];
        assert!(near(&norm, &ctx, at));
    }

    #[test]
    fn a_blank_line_or_many_lines_separate() {
        let norm = Normalized::new("GetUserAvailability failed\n\nGENERIC text");
        let ctx = spans(&norm.text, &["GetUserAvailability"]);
        let at = spans(&norm.text, &["GENERIC"])[0];
        assert!(!near(&norm, &ctx, at));
        let far = format!("GetUserAvailability\n{}GENERIC", "line\n".repeat(LINES + 1));
        let norm = Normalized::new(&far);
        let ctx = spans(&norm.text, &["GetUserAvailability"]);
        let at = spans(&norm.text, &["GENERIC"])[0];
        assert!(!near(&norm, &ctx, at));
    }

    #[test]
    fn context_after_or_around_counts() {
        let norm = Normalized::new("GENERIC text\nat https://x/EWS/Exchange.asmx");
        let ctx = spans(&norm.text, &["/EWS/Exchange.asmx"]);
        let at = spans(&norm.text, &["GENERIC"])[0];
        assert!(near(&norm, &ctx, at));
        assert!(!near(&norm, &[], at));
    }
}
