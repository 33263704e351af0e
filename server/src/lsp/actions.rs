//! Code actions on findings: one quick fix per remediation route, and "Show documentation".
//!
//! In a PowerShell script the fix goes below the finding. Anywhere else (a log, pasted output) it
//! goes into `<name>.remediation.ps1` beside the document when the client can create files and
//! the URI names a local file (`paths.rs`), and nothing but a regular file is at that name; else
//! at the end of the document. Edits are plain text with captured values filled in; what was not
//! captured keeps the article's `<placeholder>`.
use super::diagnostics::SOURCE;
use super::paths;
use super::position::{to_offsets, to_position, to_range, Encoding};
use super::types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Command, CreateFile,
    CreateFileOptions, Diagnostic, DocumentChangeOperation, DocumentChanges, NumberOrString, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, Range as LspRange, ResourceOp,
    TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};
use crate::capture::Captures;
use crate::code::Code;
use crate::document::DocKind;
use crate::finding::{Finding, Suggestion};
use crate::knowledge::{catalog, Kind};
use crate::locale::text as ui;
use crate::{render, suppress};
use ropey::Rope;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

pub use super::commands::SHOW_DOCUMENTATION;

/// A finding to act on: from a diagnostic the client sent back, or from the cached analysis.
pub struct Target {
    pub code: Code,
    pub range: Range<usize>,
    pub captures: Captures,
    /// In-place fixes the analysis offered (script rules).
    pub suggestions: Vec<Suggestion>,
    pub diagnostic: Option<Diagnostic>,
}

/// Where an inserted fix goes, decided once per request.
pub enum Destination {
    /// Below the finding, in this document.
    Below,
    /// A new (or existing) script beside the document; `end` is where to append in it.
    Sibling {
        uri: Uri,
        exists_end: Option<Position>,
    },
    /// At the end of this document.
    End,
}

pub struct Context<'a> {
    pub uri: &'a Uri,
    pub rope: &'a Rope,
    pub enc: Encoding,
    pub locale: &'a str,
    pub destination: Destination,
    /// The built reference site (`freebusyLsp.docsPath`), if any.
    pub docs: Option<&'a std::path::Path>,
}

/// A log's fixes go to `trace.remediation.ps1` beside `trace.log`.
pub const SCRIPT_SUFFIX: &str = ".remediation.ps1";

/// The most of an existing remediation script read to find its end.
pub const PROBE_LIMIT: u64 = 16 * 1024 * 1024;

/// What is at the remediation script's name beside the document.
#[derive(Debug, Clone, PartialEq)]
pub enum AtSibling {
    Nothing,
    /// A regular file (or an open document) ending at this position.
    Script(Position),
    /// A link, FIFO, device, directory, an unreadable or huge file: never written to.
    Unusable,
}

/// Looks at `path` without following a link and without blocking: call off the async threads.
pub fn probe(path: &Path, enc: Encoding) -> AtSibling {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => AtSibling::Nothing,
        Ok(meta) if meta.file_type().is_file() => {
            match crate::files::read_regular(path, PROBE_LIMIT) {
                Ok(bytes) => {
                    let rope = Rope::from_str(&String::from_utf8_lossy(&bytes));
                    AtSibling::Script(to_position(&rope, rope.len_bytes(), enc))
                }
                Err(_) => AtSibling::Unusable,
            }
        }
        _ => AtSibling::Unusable,
    }
}

/// Below the finding in a script; else the sibling script when there can be one (`sibling` is
/// `None` when the client cannot create files or the URI has no place beside it); else the end.
pub fn destination(kind: DocKind, sibling: Option<(Uri, AtSibling)>) -> Destination {
    if kind == DocKind::PowerShell {
        return Destination::Below;
    }
    match sibling {
        Some((uri, AtSibling::Nothing)) => Destination::Sibling {
            uri,
            exists_end: None,
        },
        Some((uri, AtSibling::Script(end))) => Destination::Sibling {
            uri,
            exists_end: Some(end),
        },
        Some((_, AtSibling::Unusable)) | None => Destination::End,
    }
}

pub fn actions(ctx: &Context, targets: &[Target]) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    let mut documented = Vec::new();
    for t in targets {
        let Some(entry) = catalog().get(t.code) else {
            continue;
        };
        for (i, s) in t.suggestions.iter().enumerate() {
            let edits = s
                .edits
                .iter()
                .map(|e| TextEdit {
                    range: to_range(ctx.rope, e.range.clone(), ctx.enc),
                    new_text: e.text.clone(),
                })
                .collect();
            out.push(quick_fix(
                t,
                format!("{}: {}", t.code, s.title),
                in_place(ctx.uri, edits),
                i == 0,
            ));
        }
        // A script rule's card shows corrected code; the other kinds insert remediation steps.
        let fixes = if entry.kind == Kind::Script {
            &[][..]
        } else {
            &entry.fixes[..]
        };
        for (i, fix) in fixes.iter().enumerate() {
            let title = fix.title.get(ctx.locale).map_or("", String::as_str);
            let script = render::script_for_fix(entry, i, &t.captures, ctx.locale);
            let place = where_label(&ctx.destination, ctx.locale);
            let title = format!("{}: {} ({})", t.code, title, place);
            out.push(quick_fix(
                t,
                title,
                edit(ctx, &t.range, &script),
                i == entry.fix_for(&t.captures) && entry.kind != Kind::Triage,
            ));
        }
        out.push(quick_fix(
            t,
            format!("{}: {}", t.code, ui(ctx.locale, "action.suppress")),
            suppression(ctx, t),
            false,
        ));
        if !documented.contains(&t.code) {
            documented.push(t.code);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("{}: {}", t.code, ui(ctx.locale, "action.documentation")),
                kind: Some(CodeActionKind::EMPTY),
                diagnostics: t.diagnostic.clone().map(|d| vec![d]),
                command: Some(Command {
                    title: ui(ctx.locale, "action.documentation"),
                    command: SHOW_DOCUMENTATION.into(),
                    arguments: Some(vec![serde_json::Value::String(
                        ctx.docs
                            .and_then(|d| super::paths::local_page(d, ctx.locale, t.code.as_str()))
                            .unwrap_or_else(|| entry.doc.clone()),
                    )]),
                }),
                ..Default::default()
            }));
        }
    }
    out
}

/// Inserts `# freebusy-lsp: disable-next-line CODE` above the finding's first line.
fn suppression(ctx: &Context, t: &Target) -> WorkspaceEdit {
    let line = ctx
        .rope
        .byte_to_line(t.range.start.min(ctx.rope.len_bytes()));
    let text: String = ctx.rope.line(line).chars().take(200).collect();
    let at = Position::new(line as u32, 0);
    let comment = suppress::comment_line(&text, t.code);
    in_place(
        ctx.uri,
        vec![TextEdit {
            range: LspRange::new(at, at),
            new_text: comment,
        }],
    )
}

fn quick_fix(
    t: &Target,
    title: String,
    edit: WorkspaceEdit,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: t.diagnostic.clone().map(|d| vec![d]),
        edit: Some(edit),
        is_preferred: Some(preferred),
        ..Default::default()
    })
}

fn in_place(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

fn where_label(d: &Destination, locale: &str) -> String {
    ui(
        locale,
        match d {
            Destination::Below => "action.below",
            Destination::Sibling { .. } => "action.sibling",
            Destination::End => "action.end",
        },
    )
}

fn edit(ctx: &Context, range: &Range<usize>, script: &str) -> WorkspaceEdit {
    match &ctx.destination {
        Destination::Below => {
            let at = below(ctx.rope, range.end, ctx.enc);
            let text = if at.1 {
                format!("\n{script}")
            } else {
                script.to_string()
            };
            single(ctx.uri, at.0, text)
        }
        Destination::End => {
            let end = to_position(ctx.rope, ctx.rope.len_bytes(), ctx.enc);
            let lead = if ends_with_newline(ctx.rope) {
                "\n"
            } else {
                "\n\n"
            };
            single(ctx.uri, end, format!("{lead}{script}"))
        }
        Destination::Sibling { uri, exists_end } => {
            let (at, text, create) = match exists_end {
                Some(end) => (*end, format!("\n{script}"), false),
                None => (
                    Position::new(0, 0),
                    format!("# Remediation steps written by freebusy-lsp. Review each command before you run it.\n\n{script}"),
                    true,
                ),
            };
            new_file(uri, create, true, at, text)
        }
    }
}

/// The start of the line after `offset`'s line; `true` when that line is the last and has no
/// line break (the insert must then start with one).
fn below(rope: &Rope, offset: usize, enc: Encoding) -> (Position, bool) {
    let line = rope.byte_to_line(offset.min(rope.len_bytes()));
    if line + 1 < rope.len_lines() {
        (Position::new(line as u32 + 1, 0), false)
    } else {
        (
            to_position(rope, rope.len_bytes(), enc),
            !ends_with_newline(rope) || rope.len_bytes() == 0,
        )
    }
}

fn ends_with_newline(rope: &Rope) -> bool {
    let n = rope.len_bytes();
    n > 0 && rope.byte(n - 1) == b'\n'
}

fn single(uri: &Uri, at: Position, text: String) -> WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(
        uri.clone(),
        vec![TextEdit {
            range: LspRange::new(at, at),
            new_text: text,
        }],
    );
    WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

/// A whole plan as one edit: a new script beside the document (never over an existing file: the
/// name gets a number), or appended to the document when the client cannot create files.
pub fn whole_script_edit(
    uri: &Uri,
    rope: &Rope,
    create_files: bool,
    enc: Encoding,
    script: String,
) -> WorkspaceEdit {
    let target = create_files.then(|| free_sibling(uri)).flatten();
    let Some(target) = target else {
        let end = to_position(rope, rope.len_bytes(), enc);
        let lead = if ends_with_newline(rope) {
            "\n"
        } else {
            "\n\n"
        };
        return single(uri, end, format!("{lead}{script}"));
    };
    new_file(&target, true, false, Position::new(0, 0), script)
}

/// Inserts `text` at `at` in the script `uri`, creating it first when `create` (an existing file
/// is then kept when `keep_existing`, else the edit fails rather than overwrite it).
fn new_file(
    uri: &Uri,
    create: bool,
    keep_existing: bool,
    at: Position,
    text: String,
) -> WorkspaceEdit {
    let mut ops = Vec::new();
    if create {
        let options = CreateFileOptions {
            overwrite: Some(false),
            ignore_if_exists: Some(keep_existing),
        };
        let op = CreateFile {
            uri: uri.clone(),
            options: Some(options),
            annotation_id: None,
        };
        ops.push(DocumentChangeOperation::Op(ResourceOp::Create(op)));
    }
    ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: uri.clone(),
            version: None,
        },
        edits: vec![OneOf::Left(TextEdit {
            range: LspRange::new(at, at),
            new_text: text,
        })],
    }));
    WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(ops)),
        ..Default::default()
    }
}

/// `trace.remediation.ps1`, or `trace.remediation-2.ps1`, ... : the first name with nothing at
/// it (not even a dangling link), beside the document.
fn free_sibling(uri: &Uri) -> Option<Uri> {
    (1..100)
        .filter_map(|n| {
            let suffix = match n {
                1 => SCRIPT_SUFFIX.to_string(),
                n => format!(".remediation-{n}.ps1"),
            };
            paths::sibling(uri, &suffix)
        })
        .find(|s| std::fs::symlink_metadata(&s.path).is_err())
        .map(|s| s.uri)
}

/// "Create remediation script for this document": the whole plan, through the command.
pub fn plan_action(uri: &Uri) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: "freebusy-lsp: Create remediation script for this document".into(),
        kind: Some(CodeActionKind::SOURCE),
        command: Some(Command {
            title: "Create remediation script".into(),
            command: super::commands::CREATE_REMEDIATION_SCRIPT.into(),
            arguments: Some(vec![serde_json::Value::String(uri.as_str().to_string())]),
        }),
        ..Default::default()
    })
}

/// Findings one request acts on, at most: a range over a whole log of thousands of errors gets
/// the first ones, not megabytes of actions (the outline and the plan still list every one).
pub const MAX_TARGETS: usize = 100;

/// What the request asks about: the diagnostics the client sent back (their `data` carries code
/// and captures), plus any finding the requested range touches that no diagnostic named; at most
/// `MAX_TARGETS`. `findings` are in position order (as `analysis::analyse` returns them): the
/// lookups are binary searches, so a request costs O(d log n + n), not O(d n).
pub fn targets(
    rope: &Rope,
    findings: &[Finding],
    params: &CodeActionParams,
    enc: Encoding,
) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut named: HashSet<(Code, usize)> = HashSet::new();
    for d in &params.context.diagnostics {
        if out.len() == MAX_TARGETS {
            break;
        }
        if d.source.as_deref() != Some(SOURCE) {
            continue;
        }
        let Some(code) = d.code.as_ref().and_then(|c| match c {
            NumberOrString::String(s) => Code::parse(s),
            NumberOrString::Number(_) => None,
        }) else {
            continue;
        };
        let range = to_offsets(rope, d.range, enc);
        let cached = cached(findings, code, &range);
        let captures: Captures = d
            .data
            .as_ref()
            .and_then(|v| v.get("captures"))
            .and_then(|c| serde_json::from_value(c.clone()).ok())
            .or_else(|| cached.map(|f| f.captures.clone()))
            .unwrap_or_default();
        named.insert((code, range.start));
        out.push(Target {
            code,
            range,
            captures,
            suggestions: cached.map(|f| f.suggestions.clone()).unwrap_or_default(),
            diagnostic: Some(d.clone()),
        });
    }
    let asked = to_offsets(rope, params.range, enc);
    // Findings that start after the range cannot touch it.
    let before_end = findings.partition_point(|f| f.range.start <= asked.end);
    let touching = findings[..before_end]
        .iter()
        .filter(|f| asked.start <= f.range.end)
        .filter(|f| !named.contains(&(f.code, f.range.start)));
    for f in touching.take(MAX_TARGETS - out.len()) {
        out.push(Target {
            code: f.code,
            range: f.range.clone(),
            captures: f.captures.clone(),
            suggestions: f.suggestions.clone(),
            diagnostic: None,
        });
    }
    out
}

/// The finding a diagnostic was made from: same code, same range.
fn cached<'f>(findings: &'f [Finding], code: Code, range: &Range<usize>) -> Option<&'f Finding> {
    let first = findings.partition_point(|f| f.range.start < range.start);
    findings[first..]
        .iter()
        .take_while(|f| f.range.start == range.start)
        .find(|f| f.code == code && f.range == *range)
}
