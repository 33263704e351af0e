//! Completion items for cmdlets, parameters and enumerated values, from `complete`.
use super::position::{to_range, Encoding};
use super::types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, TextEdit,
};
use crate::complete::{Item, ItemKind};
use ropey::Rope;

/// `markdown`: the client takes Markdown documentation (`completionItem.documentationFormat`).
pub fn to_items(
    rope: &Rope,
    items: Vec<Item>,
    enc: Encoding,
    markdown: bool,
) -> Vec<CompletionItem> {
    items
        .into_iter()
        .map(|i| CompletionItem {
            kind: Some(match i.kind {
                ItemKind::Cmdlet => CompletionItemKind::FUNCTION,
                ItemKind::Parameter => CompletionItemKind::PROPERTY,
                ItemKind::Value => CompletionItemKind::ENUM_MEMBER,
            }),
            detail: Some(i.detail),
            documentation: Some(if markdown {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: i.doc,
                })
            } else {
                Documentation::String(i.doc)
            }),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: to_range(rope, i.replace, enc),
                new_text: i.label.clone(),
            })),
            filter_text: Some(i.label.clone()),
            label: i.label,
            ..Default::default()
        })
        .collect()
}
