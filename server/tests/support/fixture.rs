//! Fixtures with the expectation written under the text it flags (shared by the test targets).
//!
//! A line made only of spaces, carets and a code marks a finding that starts on the content line
//! above: the carets cover its columns (in characters) on that line, to the end of the line when
//! it goes on. ` low` after the code marks a low-confidence finding. `: text` at the end says
//! what the finding must say: its message (the entry's title, then the finding's note) contains
//! `text`.
//! ```text
//! Proxy web request failed.
//! ^^^^^^^^^^^^^^^^^^^^^^^^ FB091 low
//! iisreset
//! ^^^^^^^^ FB113: without /noforce
//! ```
//! `FREEBUSY_BLESS=<part of a path>` rewrites the annotations of the fixtures whose path contains
//! it from what the analysis found (keeping the messages that still hold, writing the whole
//! message where one no longer does): a way to write a new fixture, reviewed line by line.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub code: String,
    pub low: bool,
    /// Text the finding's message must contain (`^^^ FB113: text`).
    pub message: Option<String>,
}

impl Mark {
    /// The same place, code and confidence (messages aside).
    fn same_place(&self, other: &Mark) -> bool {
        (self.line, self.start, self.end, &self.code, self.low)
            == (other.line, other.start, other.end, &other.code, other.low)
    }
}

pub struct Fixture {
    /// The text with annotation lines removed.
    pub text: String,
    /// Content lines, without their line ends.
    pub lines: Vec<String>,
    pub marks: Vec<Mark>,
}

type Parsed = (usize, usize, String, bool, Option<String>);

fn parse_mark(line: &str) -> Option<Parsed> {
    let trimmed = line.trim_end();
    let indent = trimmed.len() - trimmed.trim_start().len();
    let rest = &trimmed[indent..];
    let carets = rest.len() - rest.trim_start_matches('^').len();
    if carets == 0 {
        return None;
    }
    let (head, message) = match rest[carets..].split_once(':') {
        Some((head, text)) => (
            head,
            Some(text.trim().to_string()).filter(|t| !t.is_empty()),
        ),
        None => (&rest[carets..], None),
    };
    let mut words = head.split_whitespace();
    let code = words.next()?;
    let valid =
        code.len() == 5 && code.starts_with("FB") && code[2..].chars().all(|c| c.is_ascii_digit());
    let low = match words.next() {
        None => false,
        Some("low") => true,
        Some(_) => return None,
    };
    if !valid || words.next().is_some() {
        return None;
    }
    let start = trimmed[..indent].chars().count();
    Some((start, start + carets, code.to_string(), low, message))
}

pub fn parse(source: &str) -> Fixture {
    let mut text = String::new();
    let mut lines = Vec::new();
    let mut marks = Vec::new();
    for raw in source.split_inclusive('\n') {
        let body = raw.trim_end_matches(['\n', '\r']);
        match parse_mark(body) {
            Some((start, end, code, low, message)) if !lines.is_empty() => marks.push(Mark {
                line: lines.len() - 1,
                start,
                end,
                code,
                low,
                message,
            }),
            _ => {
                text.push_str(raw);
                lines.push(body.to_string());
            }
        }
    }
    marks.sort();
    Fixture { text, lines, marks }
}

/// Where a finding over `range` of `fixture.text` starts, as a mark.
pub fn mark_of(fixture: &Fixture, range: std::ops::Range<usize>, code: &str, low: bool) -> Mark {
    let before = &fixture.text[..range.start];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let start = fixture.text[line_start..range.start].chars().count();
    let line_len = fixture.lines[line].chars().count();
    let same_line = !fixture.text[range.clone()].contains('\n');
    let end = if same_line {
        fixture.text[line_start..range.end].chars().count()
    } else {
        line_len
    };
    Mark {
        line,
        start,
        end: end.max(start + 1),
        code: code.to_string(),
        low,
        message: None,
    }
}

/// Compares what a surface found, `(mark, message)` per finding, with the fixture's marks:
/// place, code and confidence exactly, and a marked message contained in the finding's. `Err`
/// holds the found marks to report (and bless): a mark keeps its expected message where that
/// still holds and shows the whole message found where it does not.
pub fn compare(fixture: &Fixture, mut found: Vec<(Mark, String)>) -> Result<(), Vec<Mark>> {
    found.sort();
    let mut used = vec![false; fixture.marks.len()];
    let mut ok = true;
    let mut marks = Vec::new();
    for (mut mark, message) in found {
        let fits = |want: &Mark| want.message.as_ref().is_none_or(|m| message.contains(m));
        let free = |i: &usize| !used[*i] && fixture.marks[*i].same_place(&mark);
        let pick = (0..fixture.marks.len())
            .filter(free)
            .find(|i| fits(&fixture.marks[*i]))
            .or_else(|| (0..fixture.marks.len()).find(free));
        match pick {
            Some(i) => {
                used[i] = true;
                let want = &fixture.marks[i];
                if fits(want) {
                    mark.message = want.message.clone();
                } else {
                    ok = false;
                    mark.message = Some(message);
                }
            }
            None => ok = false,
        }
        marks.push(mark);
    }
    marks.sort();
    if ok && used.iter().all(|u| *u) {
        Ok(())
    } else {
        Err(marks)
    }
}

/// The fixture text with `marks` written under their lines.
pub fn render(fixture: &Fixture, marks: &[Mark]) -> String {
    let mut out = String::new();
    for (i, line) in fixture.lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        for m in marks.iter().filter(|m| m.line == i) {
            out.push_str(&" ".repeat(m.start));
            out.push_str(&"^".repeat(m.end - m.start));
            out.push(' ');
            out.push_str(&m.code);
            if m.low {
                out.push_str(" low");
            }
            if let Some(message) = &m.message {
                out.push_str(": ");
                out.push_str(message);
            }
            out.push('\n');
        }
    }
    out
}

pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "txt" || x == "ps1" || x == "log")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The fixtures whose marks every analysis surface must reproduce.
pub fn analysis_files() -> Vec<PathBuf> {
    ["scan", "script", "logs", "output"]
        .iter()
        .flat_map(|dir| files(&root().join(dir)))
        .collect()
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

pub fn bless(path: &Path) -> bool {
    std::env::var("FREEBUSY_BLESS")
        .is_ok_and(|part| !part.is_empty() && path.to_string_lossy().contains(&part))
}
