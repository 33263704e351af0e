//! The outline (`textDocument/documentSymbol`): findings grouped by code, so a large log can be
//! navigated error by error.
use super::position::{to_range, Encoding};
use super::types::{
    DocumentSymbol, DocumentSymbolResponse, Location, SymbolInformation, SymbolKind, Uri,
};
use crate::code::Code;
use crate::finding::Finding;
use crate::knowledge::catalog;
use ropey::Rope;
use std::collections::BTreeMap;

/// A group per code (in code order), a child per finding (in document order).
pub fn outline(
    uri: &Uri,
    rope: &Rope,
    findings: &[Finding],
    enc: Encoding,
    locale: &str,
    hierarchical: bool,
) -> DocumentSymbolResponse {
    let mut groups: BTreeMap<Code, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        groups.entry(f.code).or_default().push(f);
    }
    if !hierarchical {
        let flat = findings
            .iter()
            .map(|f| {
                #[allow(deprecated)] // `deprecated` is a required field of the type
                SymbolInformation {
                    name: item_name(rope, f),
                    kind: SymbolKind::EVENT,
                    tags: None,
                    deprecated: None,
                    location: Location {
                        uri: uri.clone(),
                        range: to_range(rope, f.range.clone(), enc),
                    },
                    container_name: Some(group_name(f.code, 0, locale)),
                }
            })
            .collect();
        return DocumentSymbolResponse::Flat(flat);
    }
    let nested = groups
        .into_iter()
        .map(|(code, items)| {
            let first = items[0].range.start;
            let last = items.iter().map(|f| f.range.end).max().unwrap_or(first);
            let children = items
                .iter()
                .map(|f| {
                    symbol(
                        item_name(rope, f),
                        SymbolKind::EVENT,
                        to_range(rope, f.range.clone(), enc),
                        None,
                    )
                })
                .collect();
            let range = to_range(rope, first..last, enc);
            symbol(
                group_name(code, items.len(), locale),
                SymbolKind::NAMESPACE,
                range,
                Some(children),
            )
        })
        .collect();
    DocumentSymbolResponse::Nested(nested)
}

#[allow(deprecated)] // `deprecated` is a required field of the type
fn symbol(
    name: String,
    kind: SymbolKind,
    range: super::types::Range,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children,
    }
}

fn group_name(code: Code, count: usize, locale: &str) -> String {
    let title = catalog()
        .get(code)
        .and_then(|e| e.title.get(locale))
        .map_or("", String::as_str);
    match count {
        0 => format!("{code} {title}"),
        n => format!("{code} {title} ({n})"),
    }
}

/// `line 12: <start of the finding's text>`.
fn item_name(rope: &Rope, f: &Finding) -> String {
    let line = rope.byte_to_line(f.range.start.min(rope.len_bytes()));
    let start = rope.byte_to_char(f.range.start.min(rope.len_bytes()));
    let end = rope
        .byte_to_char(f.range.end.min(rope.len_bytes()))
        .min(start + 80);
    let text: String = rope
        .slice(start..end)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let name = match &f.note {
        Some(note) => format!("line {}: {note}", line + 1),
        None => format!("line {}: {}", line + 1, text.trim()),
    };
    if name.trim().is_empty() {
        format!("line {}", line + 1)
    } else {
        name
    }
}
