//! `freebusy-lsp check` and `freebusy-lsp explain`: the core, for a terminal or a pipeline.
use crate::analysis::analyse_file;
use crate::decode::decode;
use crate::files::{self, ReadError};
use crate::finding::{Confidence, Finding};
use crate::knowledge::catalog;
use crate::lines::LineIndex;
use crate::render::{self, message};
use crate::terminal::{self, FailOn, Layout};
use std::collections::BTreeMap;
use std::io::Write;

mod inputs;
mod redact;
mod report;
mod sarif;
pub use redact::redact;
pub use report::report;

pub const USAGE: &str = "\
freebusy-lsp: Exchange hybrid free/busy errors, explained where you read them

Usage:
  freebusy-lsp [--stdio]                     serve the Language Server Protocol over stdio
  freebusy-lsp check [--format text|json|jsonl|sarif] [--fail-on error|warning|info|any]
                    [--lang sv|en] [--exclude GLOB]... PATH...
                                             report known free/busy errors in files and folders
                                             (recursive, .gitignore honoured, .gz/.zip read;
                                             '-' is stdin)
  freebusy-lsp explain [--format text|markdown] [--lang sv|en] [CODE|ID]
                                             print the card of an entry (no argument: list them)
  freebusy-lsp plan [--lang sv|en] PATH      print a remediation script for what PATH holds
  freebusy-lsp docs -o DIR                   write the reference site (static HTML) to DIR
  freebusy-lsp report PATH... -o OUT.html [--exclude GLOB]...
                                             one self-contained HTML page: findings by code,
                                             timeline, affected mailboxes, cards, remediation
  freebusy-lsp redact FILE|- [-o OUT]        replace identities (addresses, hosts, IPs, GUIDs, ...)
                                             with consistent pseudonyms
  freebusy-lsp --version | --help

check exits with 1 when it finds something at or above --fail-on (default: warning, so an
information alone, such as a log summary or a low-confidence match, gives 0), 0 when not, and 2
on a usage, read or write error. --fail-on info counts high-confidence information too, any
counts every finding. --format json prints one JSON array of finding objects; jsonl prints one
object per line (JSON Lines).
Without --lang, the language follows LC_ALL, LC_MESSAGES or LANG (sv_SE.UTF-8: Swedish).";

/// `--lang sv|en` (or `--lang=sv`) taken out of `args`; without it, the environment's locale.
fn take_lang(args: &[String], err: &mut dyn Write) -> Option<(&'static str, Vec<String>)> {
    let mut locale = None;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next().map(String::as_str),
            Some(v) if v.starts_with('=') => Some(&v[1..]),
            _ => {
                rest.push(a.clone());
                continue;
            }
        };
        match value.and_then(crate::locale::known) {
            Some(l) => locale = Some(l),
            None => {
                let _ = writeln!(
                    err,
                    "freebusy-lsp: --lang takes 'sv' or 'en', not {value:?}"
                );
                return None;
            }
        }
    }
    let env = || crate::locale::from_env(|name| std::env::var(name).ok());
    Some((locale.unwrap_or_else(env), rest))
}

/// Exit statuses of `check`.
pub const FOUND: i32 = 1;
pub const CLEAN: i32 = 0;
pub const TROUBLE: i32 = 2;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Json,
    JsonLines,
    Sarif,
}

/// Runs `check` with its arguments; returns the exit status.
pub fn check(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some((locale, args)) = take_lang(args, err) else {
        return TROUBLE;
    };
    let mut format = Format::Text;
    let mut fail_on = FailOn::Warning;
    let mut paths = Vec::new();
    let mut exclude = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        match flag {
            "--format" => match inline.or_else(|| it.next().cloned()).as_deref() {
                Some("json") => format = Format::Json,
                Some("jsonl") => format = Format::JsonLines,
                Some("sarif") => format = Format::Sarif,
                Some("text") => format = Format::Text,
                other => {
                    let _ = writeln!(
                        err,
                        "freebusy-lsp: --format takes 'text', 'json', 'jsonl' or 'sarif', not {other:?}"
                    );
                    return TROUBLE;
                }
            },
            "--fail-on" => match inline
                .or_else(|| it.next().cloned())
                .as_deref()
                .and_then(FailOn::parse)
            {
                Some(level) => fail_on = level,
                None => {
                    let _ = writeln!(
                        err,
                        "freebusy-lsp: --fail-on takes 'error', 'warning', 'info' or 'any'"
                    );
                    return TROUBLE;
                }
            },
            "--exclude" => match inline.or_else(|| it.next().cloned()) {
                Some(glob) => exclude.push(glob),
                None => {
                    let _ = writeln!(err, "freebusy-lsp: --exclude takes a glob");
                    return TROUBLE;
                }
            },
            s if s.starts_with("--") => {
                let _ = writeln!(err, "freebusy-lsp: unknown option {s}\n\n{USAGE}");
                return TROUBLE;
            }
            _ => paths.push(a.clone()),
        }
    }
    if paths.is_empty() {
        let _ = writeln!(
            err,
            "freebusy-lsp: check needs at least one file ('-' reads stdin)\n\n{USAGE}"
        );
        return TROUBLE;
    }
    let mut status = CLEAN;
    let mut json = Vec::new();
    let layout = Layout::of_stdout();
    let mut all: Vec<Finding> = Vec::new();
    let mut sarif = sarif::Log::default();
    inputs::each_input(&paths, &exclude, |checked| {
        // Once the output cannot be written (a full disk, a reader gone), stop working for it.
        if out.flush().is_err() {
            return;
        }
        let c = match checked {
            Ok(c) => c,
            Err(e) => {
                let _ = writeln!(err, "freebusy-lsp: {e}");
                status = TROUBLE;
                return;
            }
        };
        let (path, text, findings) = (&c.source.name, &c.source.text, &c.findings);
        if let Some(note) = c.source.encoding.note() {
            let _ = writeln!(err, "freebusy-lsp: {path}: {note}");
        }
        if findings.iter().any(|f| fail_on.fails(f)) && status == CLEAN {
            status = FOUND;
        }
        let lines = LineIndex::new(text);
        if format == Format::Sarif {
            sarif.add(path, text, &lines, findings);
        }
        for f in findings {
            match format {
                Format::Text => terminal::print_finding(out, layout, path, text, &lines, f, locale),
                Format::Json => json.push(json_finding(path, text, &lines, f)),
                Format::JsonLines => {
                    let object = json_finding(path, text, &lines, f);
                    let _ = writeln!(
                        out,
                        "{}",
                        serde_json::to_string(&object).unwrap_or_default()
                    );
                }
                Format::Sarif => {}
            }
        }
        all.extend(findings.iter().cloned());
    });
    match format {
        Format::Json => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Text => {
            let refs: Vec<&Finding> = all.iter().collect();
            let _ = writeln!(out, "{}", terminal::summary(&refs, locale));
        }
        Format::Sarif => {
            let _ = writeln!(out, "{}", sarif.to_json());
        }
        Format::JsonLines => {}
    }
    status
}

/// A regular file (or stdin) up to the CLI's limit; a FIFO, device or directory is an error.
pub(crate) fn read(path: &str) -> Result<Vec<u8>, ReadError> {
    if path == "-" {
        return files::read_limited(std::io::stdin().lock(), files::CLI_LIMIT);
    }
    files::read_regular(std::path::Path::new(path), files::CLI_LIMIT)
}

fn json_finding(path: &str, text: &str, lines: &LineIndex, f: &Finding) -> serde_json::Value {
    let entry = catalog().get(f.code);
    let (line, column) = lines.line_col(text, f.range.start);
    let (end_line, end_column) = lines.line_col(text, f.range.end);
    serde_json::json!({
        "path": path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "byte_start": f.range.start,
        "byte_end": f.range.end,
        "code": f.code,
        "id": entry.map(|e| e.id.as_str()),
        "severity": terminal::severity_word(f),
        "confidence": if f.confidence == Confidence::Low { "low" } else { "high" },
        "title": entry.and_then(|e| e.title.get("en")),
        "message": entry.map(|e| message(e, f, "en")),
        "suggestions": f.suggestions.iter().map(|s| serde_json::json!({
            "title": s.title,
            "edits": s.edits.iter().map(|e| serde_json::json!({"byte_start": e.range.start, "byte_end": e.range.end, "text": e.text})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "candidates": entry.map(|e| &e.candidates),
        "captures": f.captures,
        "doc": entry.map(|e| &e.doc),
        "fix": entry.and_then(|e| terminal::next_step(e, &f.captures, "en")).map(|s| serde_json::json!({"where": s.shell, "run": s.run, "kind": if s.check { "check" } else { "fix" }})),
    })
}

/// `explain CODE` prints the card; `explain` alone lists every entry.
pub fn explain(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some((locale, args)) = take_lang(args, err) else {
        return TROUBLE;
    };
    let (markdown, args) = match take_format(&args, err) {
        Some(f) => f,
        None => return TROUBLE,
    };
    match args.first() {
        None => {
            for e in catalog().entries() {
                let _ = writeln!(
                    out,
                    "{}  {:<34} {}",
                    e.code,
                    e.id,
                    e.title.get(locale).map_or("", String::as_str)
                );
            }
            CLEAN
        }
        Some(key) => match catalog().find(key) {
            Some(entry) => {
                let card = render::card(entry, locale, &BTreeMap::new());
                if markdown {
                    let _ = write!(out, "{card}");
                } else {
                    // A terminal gets the card rendered: headings, bold, blocks; plain when piped.
                    let layout = Layout::of_stdout();
                    let text =
                        terminal::markdown::render(&card, layout.width, layout.width.is_some());
                    let _ = write!(out, "{text}");
                }
                CLEAN
            }
            None => {
                let _ = writeln!(
                    err,
                    "freebusy-lsp: no entry {key:?}; 'freebusy-lsp explain' lists them"
                );
                TROUBLE
            }
        },
    }
}

/// `--format text|markdown` of `explain` taken out of `args`: whether Markdown was asked for.
fn take_format(args: &[String], err: &mut dyn Write) -> Option<(bool, Vec<String>)> {
    let mut markdown = false;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--format") {
            Some("") => it.next().map(String::as_str),
            Some(v) if v.starts_with('=') => Some(&v[1..]),
            _ => {
                rest.push(a.clone());
                continue;
            }
        };
        match value {
            Some("markdown") => markdown = true,
            Some("text") => markdown = false,
            other => {
                let _ = writeln!(
                    err,
                    "freebusy-lsp: explain's --format takes 'text' or 'markdown', not {other:?}"
                );
                return None;
            }
        }
    }
    Some((markdown, rest))
}

/// `plan PATH`: the remediation script for a file, on stdout.
pub fn plan(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some((locale, args)) = take_lang(args, err) else {
        return TROUBLE;
    };
    let [path] = &args[..] else {
        let _ = writeln!(
            err,
            "freebusy-lsp: plan takes one file ('-' reads stdin)\n\n{USAGE}"
        );
        return TROUBLE;
    };
    let bytes = match read(path) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(err, "freebusy-lsp: cannot read {path}: {e}");
            return TROUBLE;
        }
    };
    let (text, encoding) = decode(&bytes);
    if let Some(note) = encoding.note() {
        let _ = writeln!(err, "freebusy-lsp: {path}: {note}");
    }
    let findings = analyse_file(path, &text);
    let name = std::path::Path::new(path)
        .file_name()
        .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
    let _ = write!(
        out,
        "{}",
        render::remediation_plan(&name, &text, &findings, locale)
    );
    CLEAN
}
