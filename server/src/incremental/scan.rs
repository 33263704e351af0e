//! The scanner over a window around the change. A finding depends only on text near it (the
//! resolver's 4 KiB between parts of a message, the 2 KiB context window, wrapped lines), so
//! the window's findings far from its ends are the whole text's. Checked, not assumed: near
//! both cuts the window must find what the last analysis found there (a resync point), else
//! the window doubles, up to the whole text.
use super::{rope, shifted, Change};
use crate::finding::Finding;
use crate::scan;
use ropey::Rope;
use std::ops::Range;

/// Bytes of agreement wanted on each side of the changed part; the window holds twice as many.
const MARGIN: usize = 8 * 1024;

/// The scanner's findings of the new text, and the range whose findings may have changed.
pub fn update(
    old: &[Finding],
    ch: Change,
    text: &Rope,
    stop: &dyn Fn() -> bool,
) -> Option<(Vec<Finding>, Range<usize>)> {
    let len = text.len_bytes();
    let mut margin = MARGIN;
    loop {
        let a = match ch.start.checked_sub(2 * margin) {
            Some(at) if at > 0 => rope::line_start(text, at),
            _ => 0,
        };
        let b = match ch.new_end + 2 * margin {
            at if at < len => rope::line_end(text, at),
            _ => len,
        };
        let window = rope::text(text, a..b);
        let found: Vec<Finding> = scan::scanner()
            .scan_until(&window, stop)?
            .into_iter()
            .map(|f| shifted(f, 0, a))
            .collect();
        if a == 0 && b == len {
            return Some((found, 0..len));
        }
        let cut_left = if a == 0 { 0 } else { a + margin };
        let cut_right = if b == len { len } else { b - margin };
        let left = if a == 0 {
            0..0
        } else {
            a + margin / 2..cut_left
        };
        let right = if b == len {
            len..len
        } else {
            cut_right..b - margin / 2
        };
        // The last analysis's findings on either side, in the new text's offsets.
        let before = &old[..old.partition_point(|f| f.range.start < cut_left)];
        let from = old.partition_point(|f| f.range.start < ch.map_old(cut_right));
        let after = &old[from..];
        let untouched = before.iter().all(|f| f.range.end <= ch.start);
        let moved: Vec<Finding> = after
            .iter()
            .take_while(|f| f.range.start < ch.map_old(right.end))
            .map(|f| shifted(f.clone(), ch.old_end, ch.new_end))
            .collect();
        if untouched
            && same(in_band(before, &left), in_band(&found, &left))
            && same(&moved, in_band(&found, &right))
        {
            let mut out = before.to_vec();
            out.extend(
                found
                    .into_iter()
                    .filter(|f| f.range.start >= cut_left && f.range.start < cut_right),
            );
            out.extend(
                after
                    .iter()
                    .map(|f| shifted(f.clone(), ch.old_end, ch.new_end)),
            );
            return Some((out, cut_left..cut_right));
        }
        margin *= 2;
    }
}

/// The findings (sorted by start) starting in `band`.
fn in_band<'a>(found: &'a [Finding], band: &Range<usize>) -> &'a [Finding] {
    let i = found.partition_point(|f| f.range.start < band.start);
    let j = found.partition_point(|f| f.range.start < band.end);
    &found[i..j.max(i)]
}

fn same(a: &[Finding], b: &[Finding]) -> bool {
    a == b
}
