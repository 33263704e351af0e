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
