//! `check`'s text for people: one block per finding, fitted to the terminal's width when stdout
//! is one (plain and unwrapped when piped), and a summary line at the end.
pub mod markdown;

use crate::capture::Captures;
use crate::finding::{Confidence, Finding};
use crate::knowledge::{catalog, Entry, Severity};
use crate::lines::LineIndex;
use crate::locale::{fmt, text as ui};
use crate::render::{self, message};
use regex::Regex;
use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

/// How wide the output may be: `None` when piped (no wrapping, excerpts capped at 160).
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub width: Option<usize>,
}

impl Layout {
    /// Stdout's: the terminal's width (`COLUMNS`, else the terminal's own), or none when piped.
    pub fn of_stdout() -> Layout {
        if !std::io::stdout().is_terminal() {
            return Layout { width: None };
        }
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse().ok());
        let width = columns.or_else(tty_width).unwrap_or(80);
        Layout {
            width: Some(width.clamp(40, 400)),
        }
    }
}

#[cfg(unix)]
fn tty_width() -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills a winsize we own; a failure leaves it zeroed.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(usize::from(size.ws_col))
}

#[cfg(not(unix))]
fn tty_width() -> Option<usize> {
    None
}

/// The level of finding that makes `check` exit with 1 (`--fail-on`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    /// Information with high confidence and above.
    Info,
    /// Any finding, a low-confidence one included.
    Any,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        Some(match s {
            "error" => FailOn::Error,
            "warning" => FailOn::Warning,
            "info" => FailOn::Info,
            "any" => FailOn::Any,
            _ => return None,
        })
    }

    /// Whether `f` is at or above this level.
    pub fn fails(self, f: &Finding) -> bool {
        match (self, f.effective_severity()) {
            (FailOn::Any, _) | (_, Severity::Error) => true,
            (FailOn::Error, _) => false,
            (_, Severity::Warning) => true,
            (FailOn::Info, Severity::Information) => f.confidence == Confidence::High,
            (FailOn::Warning, Severity::Information) => false,
        }
    }
}

pub fn severity_word(f: &Finding) -> &'static str {
    match f.effective_severity() {
        Severity::Information => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// A command of a card to run next, and whether it only looks (a check) or changes something.
pub struct NextStep {
    pub check: bool,
    pub shell: String,
    pub run: String,
}

/// The first command of the fix route that fits the finding; none when that route has none
/// (another route's command would fit another situation).
pub fn next_step(entry: &Entry, captures: &Captures, locale: &str) -> Option<NextStep> {
    let route = entry.fixes.get(entry.fix_for(captures))?;
    let step = route.steps.iter().find(|s| s.run.is_some())?;
    let run = render::fill(step.run.as_deref()?, captures).text;
    Some(NextStep {
        check: only_looks(&run),
        shell: step.shell.label_in(locale),
        run: run.trim().to_string(),
    })
}

/// A command that only reads (`Get-*`, `Test-*`, `Invoke-WebRequest`, ...) and changes nothing.
pub fn only_looks(run: &str) -> bool {
    static VERB: OnceLock<Regex> = OnceLock::new();
    let re = VERB.get_or_init(|| Regex::new(r"\b([A-Z][a-z]+)-[A-Z][A-Za-z]+").expect("regex"));
    const READS: &[&str] = &[
        "Get", "Test", "Resolve", "Invoke", "Select", "Where", "Format", "Measure", "Sort",
        "ForEach", "Out", "Write", "Find", "Compare",
    ];
    let mut verbs = re
        .captures_iter(run)
        .map(|c| c.get(1).map_or("", |m| m.as_str()));
    let mut any = false;
    let all_read = verbs.all(|v| {
        any = true;
        READS.contains(&v)
    });
    any && all_read
}

/// Prints one finding: the header, the excerpt with its carets, then the notes.
pub fn print_finding(
    out: &mut dyn Write,
    layout: Layout,
    path: &str,
    text: &str,
    lines: &LineIndex,
    f: &Finding,
    locale: &str,
) {
    let Some(entry) = catalog().get(f.code) else {
        return;
    };
    let (line, col) = lines.line_col(text, f.range.start);
    let header = format!(
        "{path}:{line}:{col}: {} {}: {}",
        severity_word(f),
        f.code,
        message(entry, f, locale)
    );
    let _ = writeln!(out, "{}", wrap(&header, layout.width, 4));
    let gutter = line.to_string().len();
    excerpt(out, layout, text, lines, f, line, col, gutter);
    let note = |out: &mut dyn Write, s: &str| {
        let pad = " ".repeat(gutter);
        let body = wrap(s, layout.width.map(|w| w.saturating_sub(gutter + 3)), 4);
        let mut first = true;
        for l in body.lines() {
            let mark = if first { "=" } else { " " };
            first = false;
            let _ = writeln!(out, "{pad} {mark} {}", l.trim_end());
        }
    };
    if !entry.candidates.is_empty() {
        let mut codes = entry.candidates.clone();
        codes.sort();
        let mut list = fmt(locale, "cli.could-be", &[("codes", "")])
            .trim_end()
            .to_string();
        for c in codes {
            let title = catalog()
                .get(c)
                .and_then(|e| e.title.get(locale))
                .map_or("", String::as_str);
            list.push_str(&format!("\n  {c}  {title}"));
        }
        note(out, &list);
    }
    if let Some(s) = f.suggestions.first() {
        note(out, &fmt(locale, "cli.quick-fix", &[("title", &s.title)]));
    } else if let Some(step) = next_step(entry, &f.captures, locale) {
        let key = if step.check {
            "cli.check-in"
        } else {
            "cli.fix-in"
        };
        let one_line = fmt(locale, key, &[("shell", &step.shell), ("run", &step.run)]);
        let fits = layout
            .width
            .is_none_or(|w| one_line.chars().count() + gutter + 3 <= w);
        if !step.run.contains('\n') && fits {
            note(out, &one_line);
        } else {
            // A command is never wrapped (a line break would change it): on lines of its own.
            let label = fmt(locale, key, &[("shell", &step.shell), ("run", "")]);
            note(out, label.trim_end());
            for l in step.run.lines() {
                let _ = writeln!(out, "{:gutter$}       {}", "", l.trim_end());
            }
        }
    }
    let command = format!("freebusy-lsp explain {}", f.code);
    note(out, &fmt(locale, "cli.explain", &[("command", &command)]));
    let _ = writeln!(out);
}

#[allow(clippy::too_many_arguments)]
fn excerpt(
    out: &mut dyn Write,
    layout: Layout,
    text: &str,
    lines: &LineIndex,
    f: &Finding,
    line: usize,
    col: usize,
    gutter: usize,
) {
    // Work here is bounded by the window shown, not by the line: a log of one long line with
    // thousands of findings must not cost the line's length for each of them.
    let line_start = lines.line_start(f.range.start);
    let line_end = lines.line_end(text, f.range.start);
    let line_end = if text[..line_end].ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    // Room for the text after `NN | `; when piped, the historical 160.
    let room = layout
        .width
        .map_or(160, |w| w.saturating_sub(gutter + 5).max(20));
    let span = text[f.range.start..f.range.end.min(line_end).max(f.range.start)]
        .chars()
        .take(room)
        .count()
        .max(1);
    // Scroll right when the finding starts beyond the room, keeping some context before it.
    let at = f.range.start.clamp(line_start, line_end);
    let (from, lead) = if col - 1 + span.min(room / 2) > room {
        let mut from = at;
        for _ in 0..room / 4 {
            match text[line_start..from].chars().next_back() {
                Some(c) => from -= c.len_utf8(),
                None => break,
            }
        }
        (from, "…")
    } else {
        (line_start, "")
    };
    let take = room - lead.chars().count();
    let shown: String = text[from..line_end].chars().take(take).collect();
    let tail = if from + shown.len() < line_end {
        " …"
    } else {
        ""
    };
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{line} | {lead}{shown}{tail}");
    let offset = if lead.is_empty() {
        col - 1
    } else {
        text[from..at].chars().count() + lead.chars().count()
    };
    let visible = span.min(room.saturating_sub(offset)).max(1);
    let _ = writeln!(
        out,
        "{:gutter$} | {}{}",
        "",
        " ".repeat(offset),
        "^".repeat(visible)
    );
}

/// `s` wrapped at word boundaries to `width` (continuation lines indented by `hang`); as is
/// without a width. Lines already in `s` are kept.
pub fn wrap(s: &str, width: Option<usize>, hang: usize) -> String {
    let Some(width) = width else {
        return s.to_string();
    };
    let mut out = String::new();
    for (n, src) in s.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let lead = src.len() - src.trim_start().len();
        let mut line = src[..lead].to_string();
        let mut len = lead;
        let mut fresh = true;
        for word in src.split_whitespace() {
            let wl = word.chars().count();
            if !fresh && len + 1 + wl > width {
                out.push_str(&line);
                out.push('\n');
                line = " ".repeat(lead + hang);
                len = lead + hang;
                fresh = true;
            }
            if !fresh {
                line.push(' ');
                len += 1;
            }
            line.push_str(word);
            len += wl;
            fresh = false;
        }
        out.push_str(&line);
    }
    out
}

/// `7 findings: 4 errors, 3 information` (or `no findings`), in `locale`.
pub fn summary(findings: &[&Finding], locale: &str) -> String {
    if findings.is_empty() {
        return ui(locale, "cli.summary-none");
    }
    let count = |s: Severity| {
        findings
            .iter()
            .filter(|f| f.effective_severity() == s)
            .count()
    };
    let word = |key: &str, n: usize| {
        let forms = ui(locale, key);
        let (one, many) = forms.split_once('|').unwrap_or((&forms, &forms));
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let parts: Vec<String> = [
        (Severity::Error, "cli.summary-error"),
        (Severity::Warning, "cli.summary-warning"),
        (Severity::Information, "cli.summary-info"),
    ]
    .iter()
    .map(|(s, key)| (count(*s), key))
    .filter(|(n, _)| *n > 0)
    .map(|(n, key)| word(key, n))
    .collect();
    format!(
        "{}: {}",
        word("cli.summary-finding", findings.len()),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_that_only_read_are_checks() {
        assert!(only_looks("Test-FederationTrust -UserIdentity x -Verbose"));
        assert!(only_looks(
            "Get-AuthConfig | FL CurrentCertificateThumbprint"
        ));
        assert!(!only_looks(
            "Set-AuthServer -Identity x -RefreshAuthMetadata"
        ));
        assert!(!only_looks(
            "Get-AuthConfig\nSet-AuthConfig -PublishCertificate"
        ));
        assert!(!only_looks("iisreset /noforce"));
    }

    #[test]
    fn wrapping_keeps_words_and_hangs_continuations() {
        let s = wrap("aaa bbb ccc ddd", Some(8), 2);
        assert_eq!(s, "aaa bbb\n  ccc\n  ddd");
        assert_eq!(wrap("aaa bbb ccc", None, 2), "aaa bbb ccc");
        // A word longer than the width stands alone rather than being cut.
        assert_eq!(wrap("x abcdefghijk y", Some(5), 0), "x\nabcdefghijk\ny");
    }
}
