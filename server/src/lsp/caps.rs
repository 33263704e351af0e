//! What the client declared it can do, read once at `initialize`: everything the server adapts to
//! (position encoding, pull or push diagnostics, Markdown, file creation, ...).
use super::position::Encoding;
use super::types::*;

/// What the client said it can do, fixed at `initialize`.
#[derive(Debug, Clone)]
pub struct ClientCaps {
    pub encoding: Encoding,
    pub pull_diagnostics: bool,
    pub markdown: bool,
    pub create_files: bool,
    pub show_document: bool,
    pub locale: String,
    /// Answers `workspace/configuration`.
    pub configuration: bool,
    /// Accepts `workspace/diagnostic/refresh`.
    pub diagnostic_refresh: bool,
    /// Takes nested document symbols.
    pub hierarchical_symbols: bool,
    /// Takes Markdown in completion item documentation.
    pub completion_markdown: bool,
    /// Takes `window/workDoneProgress/create` and `$/progress`.
    pub work_done_progress: bool,
}

pub fn client_caps(params: &InitializeParams) -> ClientCaps {
    let c = &params.capabilities;
    let utf8 = c
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encs| encs.contains(&PositionEncodingKind::UTF8));
    let td = c.text_document.as_ref();
    let markdown = td
        .and_then(|t| t.hover.as_ref())
        .and_then(|h| h.content_format.as_ref())
        .is_none_or(|f| f.contains(&MarkupKind::Markdown));
    let create_files = c
        .workspace
        .as_ref()
        .and_then(|w| w.workspace_edit.as_ref())
        .is_some_and(|we| {
            we.document_changes == Some(true)
                && we
                    .resource_operations
                    .as_ref()
                    .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create))
        });
    let show_document = c
        .window
        .as_ref()
        .and_then(|w| w.show_document.as_ref())
        .is_some_and(|s| s.support);
    let locale = crate::locale::of(params.locale.as_deref().unwrap_or(""));
    ClientCaps {
        encoding: if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        },
        pull_diagnostics: td.and_then(|t| t.diagnostic.as_ref()).is_some(),
        markdown,
        create_files,
        show_document,
        work_done_progress: c
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        locale: locale.into(),
        configuration: c
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false),
        completion_markdown: td
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.documentation_format.as_ref())
            .is_some_and(|f| f.contains(&MarkupKind::Markdown)),
        hierarchical_symbols: td
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|s| s.hierarchical_document_symbol_support)
            .unwrap_or(false),
        diagnostic_refresh: c
            .workspace
            .as_ref()
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false),
    }
}
