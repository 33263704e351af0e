//! Where lines start, found once per text: line and column lookups then cost a binary search,
//! not a scan from the start (which made reporting thousands of findings in a big log quadratic).
//! Columns on a long line come from characters counted once per block of the text, so thousands
//! of findings on one line stay linear too.
use std::cell::OnceCell;

/// Bytes per block of the character count; a column costs at most this much counting.
const BLOCK: usize = 4096;

pub struct LineIndex {
    /// Byte offset where each line starts; the first is 0.
    starts: Vec<usize>,
    /// For each block: a char boundary at or before its first byte, and the characters before it.
    /// Counted on the first column asked on a line longer than a block.
    blocks: OnceCell<Vec<(usize, usize)>>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1);
        LineIndex {
            starts: std::iter::once(0).chain(breaks).collect(),
            blocks: OnceCell::new(),
        }
    }

    /// The 0-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        self.starts[self.line(offset)]
    }

    /// Where the line holding `offset` ends (its `\n`, or the end of `text`).
    pub fn line_end(&self, text: &str, offset: usize) -> usize {
        self.starts
            .get(self.line(offset) + 1)
            .map_or(text.len(), |next| next - 1)
    }

    /// 1-based line and 1-based column (in characters) of byte `offset` in `text` (clamped to
    /// the text; inside a character, the column of that character).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char(text, offset.min(text.len()));
        let start = self.line_start(offset);
        let col = if offset - start <= BLOCK {
            text[start..offset].chars().count()
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start)
        };
        (self.line(offset) + 1, col + 1)
    }

    /// Characters in `text[..offset]`, `offset` on a char boundary: at most a block counted.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let blocks = self.blocks.get_or_init(|| {
            let mut at = (0, 0);
            (0..=text.len() / BLOCK)
                .map(|b| {
                    let to = floor_char(text, b * BLOCK);
                    at = (to, at.1 + text[at.0..to].chars().count());
                    at
                })
                .collect()
        });
        let (from, before) = blocks[offset / BLOCK];
        before + text[from..offset].chars().count()
    }
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "ab\nçd\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, text.find('d').unwrap()), (2, 2));
        assert_eq!(idx.line_col(text, text.find('x').unwrap()), (4, 1));
        assert_eq!(idx.line_col(text, text.len()), (4, 2));
        assert_eq!(idx.line_start(text.find('d').unwrap()), 3);
        assert_eq!(idx.line_end(text, 0), 2);
        assert_eq!(idx.line_end(text, text.len()), text.len());
        assert_eq!(idx.line_col(text, 4), (2, 1), "inside ç: its column");
        assert_eq!(idx.line_col(text, 99), (4, 2), "past the end: clamped");
    }

    #[test]
    fn columns_on_a_line_longer_than_blocks() {
        let text = format!("x\n{}", "äb€".repeat(5_000));
        let idx = LineIndex::new(&text);
        for (col, (at, _)) in text[2..].char_indices().enumerate().step_by(997) {
            assert_eq!(idx.line_col(&text, 2 + at), (2, col + 1));
        }
    }
}
