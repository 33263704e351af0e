//! Byte offsets <-> LSP positions, in the negotiated encoding. Every incoming position is
//! clamped: past the end of a line means its end, past the last line means the end of the text.
use super::types::{Position, Range};
use ropey::Rope;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// The byte offset where `line` ends, before its line break.
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let start = rope.line_to_byte(line);
    let slice = rope.line(line);
    let mut len = slice.len_bytes();
    // Strip the line break (LF, CRLF or CR: the three LSP knows).
    for _ in 0..2 {
        if len > 0 {
            let b = slice.byte(len - 1);
            if b == b'\n' || b == b'\r' {
                len -= 1;
                continue;
            }
        }
        break;
    }
    start + len
}

pub fn to_position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    let character = match enc {
        Encoding::Utf8 => offset - line_start,
        Encoding::Utf16 => {
            let ch = rope.byte_to_char(offset);
            rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(rope.line_to_char(line))
        }
    };
    Position::new(line as u32, character as u32)
}

/// A text that byte offsets are turned into positions of: a rope, or `Located` offsets of a
/// text that has no rope yet.
pub trait Lines {
    fn len_bytes(&self) -> usize;
    fn position(&self, offset: usize, enc: Encoding) -> Position;

    fn range(&self, range: std::ops::Range<usize>, enc: Encoding) -> Range {
        Range::new(
            self.position(range.start, enc),
            self.position(range.end, enc),
        )
    }
}

impl Lines for Rope {
    fn len_bytes(&self) -> usize {
        Rope::len_bytes(self)
    }

    fn position(&self, offset: usize, enc: Encoding) -> Position {
        to_position(self, offset, enc)
    }
}

/// The positions of chosen offsets of a flat text, all found in one pass over it: what a
/// just-opened document's diagnostics need, without waiting for its rope. Lines end as in the
/// rope (`\n`, `\r\n`, `\r`); an offset not given is found by a pass of its own.
pub struct Located<'t> {
    text: &'t str,
    enc: Encoding,
    /// Sorted by offset, one per offset.
    at: Vec<(usize, Position)>,
}

impl<'t> Located<'t> {
    pub fn new(text: &'t str, offsets: impl IntoIterator<Item = usize>, enc: Encoding) -> Self {
        let mut wanted: Vec<usize> = offsets.into_iter().map(|o| o.min(text.len())).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let b = text.as_bytes();
        let (mut line, mut start) = (0usize, 0usize);
        // The last offset placed, and its column in UTF-16 code units (on `start`'s line).
        let (mut prev, mut units) = (0usize, 0usize);
        let mut at = Vec::with_capacity(wanted.len());
        for o in wanted {
            let breaks = line_breaks(b, prev, o);
            if breaks > 0 {
                line += breaks;
                start = last_line_start(b, prev, o);
                units = 0;
                prev = start;
            }
            let end = floor_char(text, o);
            let character = match enc {
                Encoding::Utf8 => o - start,
                Encoding::Utf16 => {
                    units += utf16_len(&text[prev.min(end)..end]);
                    units
                }
            };
            at.push((o, Position::new(line as u32, character as u32)));
            prev = end.max(prev);
        }
        Located { text, enc, at }
    }
}

impl Lines for Located<'_> {
    fn len_bytes(&self) -> usize {
        self.text.len()
    }

    fn position(&self, offset: usize, enc: Encoding) -> Position {
        let offset = offset.min(self.text.len());
        match self.at.binary_search_by_key(&offset, |a| a.0) {
            Ok(i) if enc == self.enc => self.at[i].1,
            _ => Located::new(self.text, [offset], enc).at[0].1,
        }
    }
}

/// Line breaks ending in `from..to` (`\n`, and `\r` not followed by `\n`).
fn line_breaks(b: &[u8], from: usize, to: usize) -> usize {
    let part = &b[from..to];
    let lf = memchr::memchr_iter(b'\n', part).count();
    let lone_cr = memchr::memchr_iter(b'\r', part)
        .filter(|&i| b.get(from + i + 1) != Some(&b'\n'))
        .count();
    lf + lone_cr
}

/// Just after the last line break that ends in `from..to` (one does).
fn last_line_start(b: &[u8], from: usize, to: usize) -> usize {
    let mut end = to;
    while let Some(i) = memchr::memrchr2(b'\n', b'\r', &b[from..end]) {
        let at = from + i;
        // A `\r` whose `\n` comes at `to` or later ends no line before `to`.
        if b[at] == b'\n' || b.get(at + 1) != Some(&b'\n') {
            return at + 1;
        }
        end = at;
    }
    from
}

/// `at`, or the start of the character it falls inside.
fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn utf16_len(s: &str) -> usize {
    // Four-byte characters (lead bytes from 0xF0) take two code units.
    let b = s.as_bytes();
    let continuation = b.iter().filter(|&&c| (c & 0xC0) == 0x80).count();
    let four = b.iter().filter(|&&c| c >= 0xF0).count();
    b.len() - continuation + four
}

pub fn to_range(rope: &Rope, range: std::ops::Range<usize>, enc: Encoding) -> Range {
    Range::new(
        to_position(rope, range.start, enc),
        to_position(rope, range.end, enc),
    )
}

/// The byte offset of `pos`, clamped into the text and onto a character boundary.
pub fn to_offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_byte(line);
    let end = line_content_end(rope, line);
    let col = pos.character as usize;
    match enc {
        Encoding::Utf8 => {
            let b = (start + col).min(end);
            // Back onto a char boundary.
            rope.char_to_byte(rope.byte_to_char(b))
        }
        Encoding::Utf16 => {
            let first = rope.char_to_utf16_cu(rope.byte_to_char(start));
            let last = rope.char_to_utf16_cu(rope.byte_to_char(end));
            let cu = (first + col).min(last);
            rope.char_to_byte(rope.utf16_cu_to_char(cu))
        }
    }
}

pub fn to_offsets(rope: &Rope, range: Range, enc: Encoding) -> std::ops::Range<usize> {
    let a = to_offset(rope, range.start, enc);
    let b = to_offset(rope, range.end, enc);
    a.min(b)..a.max(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_and_crlf_lines() {
        let text = "a😀b\r\nx😀y\rz";
        let rope = Rope::from_str(text);
        let y = text.find('y').unwrap();
        assert_eq!(to_position(&rope, y, Encoding::Utf16), Position::new(1, 3));
        assert_eq!(to_position(&rope, y, Encoding::Utf8), Position::new(1, 5));
        assert_eq!(to_offset(&rope, Position::new(1, 3), Encoding::Utf16), y);
        assert_eq!(to_offset(&rope, Position::new(1, 5), Encoding::Utf8), y);
        let z = text.find('z').unwrap();
        assert_eq!(to_position(&rope, z, Encoding::Utf16), Position::new(2, 0));
    }

    #[test]
    fn located_offsets_have_the_ropes_positions() {
        const PARTS: [&str; 9] = [
            "a",
            "\n",
            "\r\n",
            "\r",
            "\u{e9}",
            "\u{1f600}",
            "\u{2028}",
            "xyz",
            "\n\n",
        ];
        let mut next = crate::testing::xorshift(0x5eed);
        for _ in 0..300 {
            let text: String = (0..next(40)).map(|_| PARTS[next(PARTS.len())]).collect();
            let rope = Rope::from_str(&text);
            // Every offset (inside characters and line breaks too), a few past the end.
            let offsets: Vec<usize> = (0..text.len() + 3).filter(|_| next(3) > 0).collect();
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                let located = Located::new(&text, offsets.iter().copied(), enc);
                for &o in &offsets {
                    let want = to_position(&rope, o, enc);
                    assert_eq!(located.position(o, enc), want, "{text:?} at {o} ({enc:?})");
                }
                // Not located beforehand, or in the other encoding: still the rope's.
                let o = next(text.len() + 1);
                assert_eq!(
                    located.position(o, Encoding::Utf16),
                    to_position(&rope, o, Encoding::Utf16)
                );
            }
        }
    }

    #[test]
    fn clamps_out_of_range_positions() {
        let text = "ab\r\ncd";
        let rope = Rope::from_str(text);
        assert_eq!(to_offset(&rope, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(
            to_offset(&rope, Position::new(99, 0), Encoding::Utf16),
            text.len()
        );
        // Inside a surrogate pair or a multi-byte char: back to its start.
        let rope = Rope::from_str("😀");
        assert_eq!(to_offset(&rope, Position::new(0, 1), Encoding::Utf16), 0);
        assert_eq!(to_offset(&rope, Position::new(0, 2), Encoding::Utf8), 0);
    }
}
