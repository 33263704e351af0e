//! `freebusy-lsp check` and `freebusy-lsp explain`: the core, for a terminal or a pipeline.
use crate::analysis::analyse_file;
use crate::decode::{decode, Encoding};
use crate::finding::{Confidence, Finding};
use crate::knowledge::{catalog, Entry, Severity};
use crate::lines::LineIndex;
use crate::render::{self, message};
use std::collections::BTreeMap;
use std::io::{Read, Write};

pub const USAGE: &str = "\
freebusy-lsp: Exchange hybrid free/busy errors, explained where you read them

Usage:
  freebusy-lsp [--stdio]                     serve the Language Server Protocol over stdio
  freebusy-lsp check [--format text|json] PATH...
                                             report known free/busy errors in files ('-' is stdin)
  freebusy-lsp explain [CODE|ID]             print the card of an entry (no argument: list them)
  freebusy-lsp plan PATH                     print a remediation script for what PATH holds
  freebusy-lsp --version | --help

check exits with 1 when it finds something, 0 when not, 2 on a usage or read error.";

/// Exit statuses of `check`.
pub const FOUND: i32 = 1;
pub const CLEAN: i32 = 0;
pub const TROUBLE: i32 = 2;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Json,
}

/// Runs `check` with its arguments; returns the exit status.
pub fn check(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut format = Format::Text;
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => match it.next().map(String::as_str) {
                Some("json") => format = Format::Json,
                Some("text") => format = Format::Text,
                other => {
                    let _ = writeln!(
                        err,
                        "freebusy-lsp: --format takes 'text' or 'json', not {other:?}"
                    );
                    return TROUBLE;
                }
            },
            s if s.starts_with("--format=") => {
                return check(
                    &[
                        vec!["--format".into(), s[9..].into()],
                        it.cloned().collect(),
                    ]
                    .concat(),
                    out,
                    err,
                );
            }
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
    for path in &paths {
        let bytes = match read(path) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(err, "freebusy-lsp: cannot read {path}: {e}");
                status = TROUBLE;
                continue;
            }
        };
        let (text, encoding) = decode(&bytes);
        if encoding == Encoding::Lossy {
            let _ = writeln!(
                err,
                "freebusy-lsp: {path}: not valid UTF-8 or UTF-16; invalid bytes were replaced"
            );
        }
        let findings = analyse_file(path, &text);
        if !findings.is_empty() && status == CLEAN {
            status = FOUND;
        }
        let lines = LineIndex::new(&text);
        for f in &findings {
            match format {
                Format::Text => print_text(out, path, &text, &lines, f),
                Format::Json => json.push(json_finding(path, &text, &lines, f)),
            }
        }
    }
    if format == Format::Json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    }
    status
}

fn read(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        return Ok(buf);
    }
    std::fs::read(path)
}

fn severity_word(f: &Finding) -> &'static str {
    match f.effective_severity() {
        Severity::Information => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

fn first_fix(entry: &Entry, captures: &BTreeMap<String, String>) -> Option<(String, String)> {
    // The route that fits the finding first, then the others.
    let fit = entry.fixes.get(entry.fix_for(captures));
    let step = fit
        .into_iter()
        .chain(&entry.fixes)
        .flat_map(|f| &f.steps)
        .find(|s| s.run.is_some())?;
    let run = render::fill(step.run.as_deref()?, captures).text;
    Some((step.shell.label().to_string(), run))
}

fn print_text(out: &mut dyn Write, path: &str, text: &str, lines: &LineIndex, f: &Finding) {
    let Some(entry) = catalog().get(&f.code) else {
        return;
    };
    let (line, col) = lines.line_col(text, f.range.start);
    let _ = writeln!(
        out,
        "{path}:{line}:{col}: {} {}: {}",
        severity_word(f),
        f.code,
        message(entry, f, "en")
    );
    let line_start = lines.line_start(f.range.start);
    let line_end = lines.line_end(text, f.range.start);
    let source = text[line_start..line_end].trim_end_matches('\r');
    let shown: String = source.chars().take(160).collect();
    let width = line.to_string().len();
    let _ = writeln!(out, "{:width$} |", "");
    let _ = writeln!(
        out,
        "{line} | {shown}{}",
        if source.chars().nth(160).is_some() {
            " …"
        } else {
            ""
        }
    );
    let span = text[f.range.clone()]
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(160)
        .count()
        .max(1);
    let visible = span.min(160usize.saturating_sub(col - 1)).max(1);
    let _ = writeln!(
        out,
        "{:width$} | {}{}",
        "",
        " ".repeat((col - 1).min(160)),
        "^".repeat(visible)
    );
    if !entry.candidates.is_empty() {
        let _ = writeln!(
            out,
            "{:width$} = could be: {}",
            "",
            entry.candidates.join(", ")
        );
    }
    if let Some(s) = f.suggestions.first() {
        let _ = writeln!(out, "{:width$} = quick fix: {}", "", s.title);
    } else if let Some((shell, run)) = first_fix(entry, &f.captures) {
        let first = run.lines().next().unwrap_or("");
        let _ = writeln!(out, "{:width$} = fix in {shell}: {first}", "");
    }
    let _ = writeln!(
        out,
        "{:width$} = explain: freebusy-lsp explain {}\n",
        "", f.code
    );
}

fn json_finding(path: &str, text: &str, lines: &LineIndex, f: &Finding) -> serde_json::Value {
    let entry = catalog().get(&f.code);
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
        "severity": severity_word(f),
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
        "fix": entry.and_then(|e| first_fix(e, &f.captures)).map(|(shell, run)| serde_json::json!({"where": shell, "run": run})),
    })
}

/// `explain CODE` prints the card; `explain` alone lists every entry.
pub fn explain(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match args.first() {
        None => {
            for e in catalog().entries() {
                let _ = writeln!(
                    out,
                    "{}  {:<34} {}",
                    e.code,
                    e.id,
                    e.title.get("en").map_or("", String::as_str)
                );
            }
            CLEAN
        }
        Some(key) => match catalog().find(key) {
            Some(entry) => {
                let _ = write!(out, "{}", render::card(entry, "en", &BTreeMap::new()));
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

/// `plan PATH`: the remediation script for a file, on stdout.
pub fn plan(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let [path] = args else {
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
    let (text, _) = decode(&bytes);
    let findings = analyse_file(path, &text);
    let name = std::path::Path::new(path)
        .file_name()
        .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
    let _ = write!(
        out,
        "{}",
        render::remediation_plan(&name, &text, &findings, "en")
    );
    CLEAN
}
