//! Hover on a finding: its card, with commands filled from what the text captured.
use super::position::{to_range, Encoding};
use super::types::{Hover, HoverContents, MarkupContent, MarkupKind, Range};
use crate::finding::Finding;
use crate::knowledge::catalog;
use crate::render;
use ropey::Rope;

pub fn hover(
    rope: &Rope,
    findings: &[Finding],
    offset: usize,
    enc: Encoding,
    locale: &str,
    markdown: bool,
) -> Option<Hover> {
    let here: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.range.start <= offset && offset <= f.range.end)
        .collect();
    let first = here.first()?;
    let cards: Vec<String> = here
        .iter()
        .filter_map(|f| Some(render::card(catalog().get(f.code)?, locale, &f.captures)))
        .collect();
    Some(markup(
        cards.join("\n---\n\n"),
        markdown,
        to_range(rope, first.range.clone(), enc),
    ))
}

/// Markdown when the client takes it (the cards read fine as plain text too).
fn markup(value: String, markdown: bool, range: Range) -> Hover {
    let kind = if markdown {
        MarkupKind::Markdown
    } else {
        MarkupKind::PlainText
    };
    Hover {
        contents: HoverContents::Markup(MarkupContent { kind, value }),
        range: Some(range),
    }
}

/// Hover on a cmdlet or parameter name in a script.
pub fn cmdlet(
    rope: &Rope,
    offset: usize,
    enc: Encoding,
    locale: &str,
    markdown: bool,
) -> Option<Hover> {
    // The line is enough context, and keeps a huge document cheap.
    let line = rope.byte_to_line(offset.min(rope.len_bytes()));
    let start = rope.line_to_byte(line);
    let text = rope.line(line).to_string();
    let (card, range) = crate::complete::hover(&text, offset - start, locale)?;
    let range = to_range(rope, start + range.start..start + range.end, enc);
    Some(markup(card, markdown, range))
}
