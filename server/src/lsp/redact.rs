//! "Redact identities in this document": a source action running `freebusy.redact`, which
//! replaces the whole document with its redacted text through `workspace/applyEdit`.
use super::commands::REDACT;
use super::position::{to_range, Encoding};
use super::types::*;
use crate::redact::redact;
use ropey::Rope;
use std::collections::HashMap;

pub const TITLE: &str = "Redact identities in this document";

pub fn action(uri: &Uri) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("freebusy-lsp: {TITLE}"),
        kind: Some(CodeActionKind::SOURCE),
        command: Some(Command {
            title: TITLE.into(),
            command: REDACT.into(),
            arguments: Some(vec![serde_json::Value::String(uri.as_str().to_string())]),
        }),
        ..Default::default()
    })
}

/// The edit replacing the document with its redacted text; `None` when nothing is to replace.
pub fn edit(uri: &Uri, rope: &Rope, enc: Encoding) -> Option<WorkspaceEdit> {
    let text = rope.to_string();
    let redacted = redact(&text);
    if redacted.text == text {
        return None;
    }
    let edit = TextEdit {
        range: to_range(rope, 0..rope.len_bytes(), enc),
        new_text: redacted.text,
    };
    Some(WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
        ..Default::default()
    })
}
