//! Lines that carry state far beyond themselves, kept by position between analyses: log headers
//! (a log runs from its header to the next), prompt lines (cmdlet output records take the
//! command of the last one above) and suppression comments (`disable` covers the whole text).
use super::rope;
use crate::{logs, suppress};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    /// Starts of log header lines.
    pub heads: Vec<usize>,
    /// Starts of prompt lines, with the command each one names.
    pub prompts: Vec<(usize, String)>,
    /// Where a suppression comment's mark stands.
    pub suppress: Vec<usize>,
    /// Starts of lines of dashes and spaces (what may be a table's rule: a table runs on to the
    /// next blank line).
    pub dashes: Vec<usize>,
}

impl Marks {
    /// The marks of `text`, whole lines starting at `base`.
    pub fn find(text: &str, base: usize) -> Marks {
        let mut m = Marks::default();
        for (start, line) in rope::lines(text, base) {
            // A header starts `#` or `DateTime,`, a prompt `PS` or `[PS]`, a rule `-` or ` `
            // (after spaces or a byte-order mark): most lines start otherwise.
            let first = line.as_bytes().first().copied().unwrap_or(b' ');
            if first.is_ascii_alphanumeric() && !matches!(first, b'd' | b'D' | b'P') {
                continue;
            }
            if logs::is_header(line.trim_start_matches('\u{feff}')) {
                m.heads.push(start);
            }
            if let Some(c) = crate::output::prompt(line) {
                m.prompts.push((start, c));
            }
            let bare = line.trim_end_matches('\r');
            if bare.contains('-') && bare.chars().all(|c| c == '-' || c == ' ') {
                m.dashes.push(start);
            }
        }
        let found = memchr::memmem::find_iter(text.as_bytes(), suppress::MARK.as_bytes());
        m.suppress.extend(found.map(|i| base + i));
        m
    }

    /// These marks after lines `at..old_end` became `fresh` (the marks of `at..new_end`).
    pub fn replace(&self, at: usize, old_end: usize, new_end: usize, fresh: Marks) -> Marks {
        let shift = |p: usize| p - old_end + new_end;
        Marks {
            heads: splice(&self.heads, |p| *p, at, old_end, fresh.heads, |p| shift(*p)),
            prompts: splice(
                &self.prompts,
                |p| p.0,
                at,
                old_end,
                fresh.prompts,
                |p| (shift(p.0), p.1.clone()),
            ),
            suppress: splice(
                &self.suppress,
                |p| *p,
                at,
                old_end,
                fresh.suppress,
                |p| shift(*p),
            ),
            dashes: splice(
                &self.dashes,
                |p| *p,
                at,
                old_end,
                fresh.dashes,
                |p| shift(*p),
            ),
        }
    }

    /// Whether a table may run on at line `at`: a line of dashes above it with no prompt line
    /// between (a blank line between would end it too, but is not kept here).
    pub fn table_open(&self, at: usize) -> bool {
        let i = self.dashes.partition_point(|&d| d < at);
        let Some(&rule) = i.checked_sub(1).map(|i| &self.dashes[i]) else {
            return false;
        };
        self.command_before(at).is_none_or(|p| p.0 < rule)
    }

    /// The command of the last prompt line starting before `at`.
    pub fn command_before(&self, at: usize) -> Option<&(usize, String)> {
        let i = self.prompts.partition_point(|p| p.0 < at);
        i.checked_sub(1).map(|i| &self.prompts[i])
    }
}

/// `old` (sorted by `pos`) with its items in `at..old_end` replaced by `fresh` and those after
/// moved by `shift`.
pub fn splice<T: Clone>(
    old: &[T],
    pos: impl Fn(&T) -> usize,
    at: usize,
    old_end: usize,
    fresh: Vec<T>,
    shift: impl Fn(&T) -> T,
) -> Vec<T> {
    let i = old.partition_point(|x| pos(x) < at);
    let j = i + old[i..].partition_point(|x| pos(x) < old_end);
    let mut out = Vec::with_capacity(i + fresh.len() + old.len() - j);
    out.extend_from_slice(&old[..i]);
    out.extend(fresh);
    out.extend(old[j..].iter().map(shift));
    out
}
