//! Logs and captures, recognized by content (never by file name): IIS W3C logs (and HTTPERR),
//! Exchange HttpProxy / EWS CSV logs, and HTTP captures (Fiddler, curl -v) with their SOAP bodies.
//! Findings FB201..FB204 and one FB200 summary per recognized log.
//!
//! One pass over the lines. A header line (`#Fields: ...`, `DateTime,RequestId,...`) opens a log
//! that takes the rows after it until the next header; lines that are not rows (notes, blank
//! lines) are skipped, so a log pasted in the middle of notes, several logs pasted one after
//! another, CRLF and byte-order marks all work. An HTTP request or status line opens a capture.
//! Each row costs a split of its own bytes (capped at the header's width): linear in the input.
mod csv;
mod http;
mod request;
mod summary;
mod w3c;

use crate::finding::Finding;
use crate::options::Options;
use std::ops::Range;

pub(crate) use summary::Stats;

/// Findings about free/busy requests in `text` (empty when it holds no log this module knows).
pub fn analyse(text: &str, opts: &Options) -> Vec<Finding> {
    analyse_until(text, opts, &|| false).unwrap_or_default()
}

/// `analyse`, giving up (`None`) once `stop()` says the result is no longer wanted (asked every
/// few thousand lines).
pub fn analyse_until(text: &str, opts: &Options, stop: &dyn Fn() -> bool) -> Option<Vec<Finding>> {
    let mut out = Vec::new();
    let mut log: Option<Log> = None;
    for (n, line) in lines(text).enumerate() {
        if n % 4096 == 4095 && stop() {
            return None;
        }
        let t = line.text.trim_start();
        if t.starts_with('#') || starts_with_ci(t, "DateTime,") {
            let opened = w3c::Log::open(line)
                .map(Log::W3c)
                .or_else(|| csv::Log::open(line).map(Log::Csv));
            if opened.is_some() || is_fields(t) {
                // A header of ours opens a log; one of a log we do not know ends ours.
                finish(log.take(), opts, &mut out);
                log = opened;
                continue;
            }
        }
        let taken = match &mut log {
            Some(Log::W3c(l)) => l.row(line, opts, &mut out),
            Some(Log::Csv(l)) => l.row(line, opts, &mut out),
            Some(Log::Http(l)) => {
                l.line(line, opts, &mut out);
                true
            }
            None => false,
        };
        if !taken && http::starts(line.text) {
            finish(log.take(), opts, &mut out);
            let mut capture = http::Log::new();
            capture.line(line, opts, &mut out);
            log = Some(Log::Http(capture));
        }
    }
    finish(log, opts, &mut out);
    Some(out)
}

/// The rows of `text` (whole lines starting at `base`) read alone as rows of the W3C or CSV log
/// that `header` (a line starting at `at`) opens: their findings and counts, for reading a log
/// in parts (`incremental`). `None`: `header` opens no such log, or a line would end it.
pub(crate) fn rows<'a>(
    header: Line<'a>,
    text: &'a str,
    base: usize,
    opts: &Options,
) -> Option<(Vec<Finding>, Stats<'a>)> {
    let mut log = open_table(header)?;
    let mut out = Vec::new();
    for mut line in lines(text) {
        line.start += base;
        let taken = match &mut log {
            Log::W3c(l) => l.row(line, opts, &mut out),
            Log::Csv(l) => l.row(line, opts, &mut out),
            Log::Http(_) => return None,
        };
        if !taken && http::starts(line.text) {
            return None;
        }
    }
    Some((out, std::mem::take(stats(&mut log)?)))
}

/// The FB200 summary of the log `header` opens, from the counts of all its rows.
pub(crate) fn summary(header: Line, rows: &Stats, opts: &Options) -> Option<Finding> {
    let mut log = open_table(header)?;
    stats(&mut log)?.merge(rows);
    let mut out = Vec::new();
    finish(Some(log), opts, &mut out);
    out.pop()
}

fn open_table(header: Line) -> Option<Log> {
    w3c::Log::open(header)
        .map(Log::W3c)
        .or_else(|| csv::Log::open(header).map(Log::Csv))
}

fn stats<'l, 'a>(log: &'l mut Log<'a>) -> Option<&'l mut Stats<'a>> {
    match log {
        Log::W3c(l) => Some(l.stats()),
        Log::Csv(l) => Some(l.stats()),
        Log::Http(_) => None,
    }
}

/// Whether `line` (no line end, no byte-order mark) is a header that ends any log before it:
/// what follows does not depend on what came before (`incremental` re-reads from here).
pub(crate) fn is_header(line: &str) -> bool {
    let t = line.trim_start();
    let l = Line {
        start: 0,
        text: line,
    };
    (t.starts_with('#') || starts_with_ci(t, "DateTime,"))
        && (is_fields(t) || w3c::Log::open(l).is_some() || csv::Log::open(l).is_some())
}

enum Log<'a> {
    W3c(w3c::Log<'a>),
    Csv(csv::Log<'a>),
    Http(http::Log<'a>),
}

fn finish(log: Option<Log>, opts: &Options, out: &mut Vec<Finding>) {
    match log {
        Some(Log::W3c(l)) => l.finish(opts, out),
        Some(Log::Csv(l)) => l.finish(opts, out),
        Some(Log::Http(l)) => l.finish(opts, out),
        None => {}
    }
}

/// One line of the analysed text: its content (no line end, no byte-order mark) and where it
/// starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub start: usize,
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// The byte range of `part`, a slice of this line's text.
    pub fn range_of(&self, part: &str) -> Range<usize> {
        let base = self.text.as_ptr() as usize;
        let at = (part.as_ptr() as usize)
            .saturating_sub(base)
            .min(self.text.len());
        let len = part.len().min(self.text.len() - at);
        self.start + at..self.start + at + len
    }

    /// The line without surrounding whitespace, as a range (where a row's finding goes).
    pub fn range(&self) -> Range<usize> {
        self.range_of(self.text.trim())
    }
}

/// The lines of `text`: `\n` or `\r\n` ends, a byte-order mark at a line start dropped (a file's
/// first line, or a file pasted after another).
pub(crate) fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let mut s = &text[pos..end];
        let mut start = pos;
        pos = end + 1;
        s = s.strip_suffix('\r').unwrap_or(s);
        while let Some(rest) = s.strip_prefix('\u{feff}') {
            s = rest;
            start += '\u{feff}'.len_utf8();
        }
        Some(Line { start, text: s })
    })
}

/// `#Fields:` (any case), the header directive of W3C and Exchange logs.
fn is_fields(t: &str) -> bool {
    starts_with_ci(t, "#Fields:")
}

pub(crate) fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Where `needle` (ASCII) occurs in `hay`, ignoring ASCII case. Linear: at most
/// `needle.len()` comparisons per candidate position.
pub(crate) fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    if h.len() < n.len() {
        return None;
    }
    let last_start = h.len() - n.len();
    let mut i = 0;
    while i <= last_start {
        let at = memchr::memchr2(
            first.to_ascii_lowercase(),
            first.to_ascii_uppercase(),
            &h[i..=last_start],
        )?;
        let p = i + at;
        if h[p..p + n.len()].eq_ignore_ascii_case(n) {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

pub(crate) fn contains_ci(hay: &str, needle: &str) -> bool {
    find_ci(hay, needle).is_some()
}

/// `dddd-dd-dd` at the start.
pub(crate) fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// `dd:dd` at the start.
pub(crate) fn looks_like_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b':'
        && b[3..5].iter().all(u8::is_ascii_digit)
}

/// The leading number of a field (`503`, `503.0` is not a status), if it has 3 digits.
pub(crate) fn parse_status(s: &str) -> Option<u16> {
    let s = s.trim().trim_matches('"');
    if s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Milliseconds in a time field (`31250`, `31250.5`); `-` or junk is none.
pub(crate) fn parse_millis(s: &str) -> Option<f64> {
    let s = s.trim().trim_matches('"');
    if s.is_empty() || s.len() > 24 || !s.bytes().next()?.is_ascii_digit() {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// At most `max` bytes of `s` (cut at a character boundary), `...` when cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

#[cfg(test)]
mod tests;
