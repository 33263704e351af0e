//! The few reads of a rope the incremental analysis needs: line boundaries (`\n` only, as the
//! analyses split lines) and a range copied out.
use ropey::Rope;
use std::ops::Range;

/// The start of the line holding `at` (just after the last `\n` before it).
pub fn line_start(rope: &Rope, at: usize) -> usize {
    let mut end = at.min(rope.len_bytes());
    while end > 0 {
        let (chunk, cs, _, _) = rope.chunk_at_byte(end - 1);
        if let Some(i) = memchr::memrchr(b'\n', &chunk.as_bytes()[..end - cs]) {
            return cs + i + 1;
        }
        end = cs;
    }
    0
}

/// Just after the first `\n` at or after `at`, or the end of the text.
pub fn line_end(rope: &Rope, at: usize) -> usize {
    let len = rope.len_bytes();
    let mut pos = at;
    while pos < len {
        let (chunk, cs, _, _) = rope.chunk_at_byte(pos);
        if let Some(i) = memchr::memchr(b'\n', &chunk.as_bytes()[pos - cs..]) {
            return pos + i + 1;
        }
        pos = cs + chunk.len();
    }
    len
}

/// The text of `range` (line boundaries or the ends: always character boundaries).
pub fn text(rope: &Rope, range: Range<usize>) -> String {
    let mut out = String::with_capacity(range.len());
    for chunk in rope.byte_slice(range).chunks() {
        out.push_str(chunk);
    }
    out
}

/// The lines of `text` (which starts at `base`) with their starts, `\n` and `\r\n` ends removed.
pub fn lines(text: &str, base: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
        let line = &text[at..end];
        let start = base + at;
        at = end + 1;
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    })
}
