//! `workspace/executeCommand`: the commands any client can call.
use super::types::LSPAny;
use crate::knowledge::catalog;
use crate::render;
use serde_json::json;

pub const SHOW_DOCUMENTATION: &str = "freebusy.showDocumentation";
pub const LIST_CODES: &str = "freebusy.listCodes";
pub const EXPLAIN: &str = "freebusy.explain";
pub const CREATE_REMEDIATION_SCRIPT: &str = "freebusy.createRemediationScript";
pub const REDACT: &str = "freebusy.redact";

pub const ALL: &[&str] = &[
    SHOW_DOCUMENTATION,
    LIST_CODES,
    EXPLAIN,
    CREATE_REMEDIATION_SCRIPT,
    REDACT,
];

/// `[{code, id, title, kind}]` for every entry.
pub fn list_codes(locale: &str) -> LSPAny {
    let entries: Vec<LSPAny> = catalog()
        .entries()
        .iter()
        .map(|e| {
            json!({
                "code": e.code,
                "id": e.id,
                "title": e.title.get(locale),
                "kind": format!("{:?}", e.kind).to_lowercase(),
            })
        })
        .collect();
    LSPAny::Array(entries)
}

/// The card of `key` (code or id) as Markdown, or `None` when there is no such entry.
pub fn explain(key: &str, locale: &str) -> Option<LSPAny> {
    let entry = catalog().find(key)?;
    Some(LSPAny::String(render::card(
        entry,
        locale,
        &Default::default(),
    )))
}
