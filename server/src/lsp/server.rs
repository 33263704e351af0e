//! The `LanguageServer` implementation: capabilities, document sync, and one short method per
//! request that hands over to the module doing the work.
use super::actions::{self, targets};
use super::caps::{client_caps, ClientCaps};
use super::diagnostics::{left_out, to_diagnostic, SOURCE};
use super::documents::{Documents, Snapshot};
use super::guard::guard;
use super::position::{to_offset, to_position, Encoding};
use super::settings::Settings;
use super::types::*;
use super::{commands, completion, hover, symbols};
use crate::analysis;
use crate::complete;
use crate::document::DocKind;
use crate::finding::{document_captures, with_document, Finding};
use crate::render;
use crate::scan;
use ropey::Rope;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::{Client, LanguageServer};

pub struct Backend {
    client: Client,
    docs: Documents,
    caps: OnceLock<ClientCaps>,
    settings: RwLock<Settings>,
    told_about_bug: AtomicBool,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            docs: Documents::default(),
            caps: OnceLock::new(),
            settings: RwLock::new(Settings::default()),
            told_about_bug: AtomicBool::new(false),
        }
    }

    fn caps(&self) -> ClientCaps {
        self.caps.get().cloned().unwrap_or(ClientCaps {
            encoding: Encoding::Utf16,
            pull_diagnostics: false,
            markdown: true,
            create_files: false,
            show_document: false,
            locale: "en".into(),
            configuration: false,
            diagnostic_refresh: false,
            hierarchical_symbols: false,
            completion_markdown: false,
        })
    }

    fn settings(&self) -> Settings {
        self.settings.read().map(|s| s.clone()).unwrap_or_default()
    }

    fn set_settings(&self, s: Settings) {
        if let Ok(mut slot) = self.settings.write() {
            *slot = s;
        }
    }

    /// The locale of titles and cards: the setting, else the client's.
    fn locale(&self) -> String {
        self.settings().locale.unwrap_or_else(|| self.caps().locale)
    }

    /// Asks the client for `freebusyLsp` settings, if it answers `workspace/configuration`.
    async fn pull_settings(&self) {
        if !self.caps().configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("freebusyLsp".into()),
        };
        if let Ok(values) = self.client.configuration(vec![item]).await {
            if let Some(v) = values.into_iter().next().filter(|v| v.is_object()) {
                self.set_settings(Settings::from_json(&v));
            }
        }
    }

    /// After a settings change: diagnostics of every open document again.
    async fn refresh_all(&self) {
        if self.caps().pull_diagnostics {
            if self.caps().diagnostic_refresh {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
            return;
        }
        for uri in self.docs.uris() {
            if let Some(snap) = self.docs.snapshot(&uri) {
                self.refresh(snap).await;
            }
        }
    }

    /// Tells the user once that the server hit a bug (it keeps running).
    async fn report(&self, err: &Error) {
        if !self.told_about_bug.swap(true, Ordering::SeqCst) {
            self.client
                .show_message(
                    MessageType::ERROR,
                    format!(
                        "{} (the server keeps running; details in its log)",
                        err.message
                    ),
                )
                .await;
        }
    }

    async fn guarded<T: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let result = tokio::task::spawn_blocking(move || guard(what, f))
            .await
            .unwrap_or_else(|e| {
                Err(Error {
                    message: format!("{what}: {e}").into(),
                    ..Error::internal_error()
                })
            });
        if let Err(e) = &result {
            self.report(e).await;
        }
        result
    }

    /// Scans a snapshot off the async threads and keeps the result if the document has not moved on.
    async fn analyse(&self, snap: Snapshot) -> Option<Arc<Vec<Finding>>> {
        let Snapshot {
            uri,
            version,
            text,
            kind,
            tree,
        } = snap;
        let opts = analysis::Options {
            slow_request_seconds: self.settings().slow_request_seconds,
        };
        let (findings, tree) = self
            .guarded("analysis", move || {
                analysis::analyse(kind, &text, tree.as_ref(), &opts)
            })
            .await
            .ok()?;
        let findings = Arc::new(findings);
        self.docs
            .store(&uri, version, findings.clone(), tree)
            .then_some(findings)
    }

    /// The findings of the document's current version, analysing it if needed.
    async fn findings(&self, uri: &Uri) -> Option<(Rope, Arc<Vec<Finding>>)> {
        let cached = self.docs.with(uri, |d| match &d.findings {
            Some((v, f)) if *v == d.version => Some((d.rope.clone(), f.clone())),
            _ => None,
        })?;
        if let Some(hit) = cached {
            return Some(hit);
        }
        let snap = self.docs.snapshot(uri)?;
        let findings = self.analyse(snap).await?;
        let rope = self.docs.with(uri, |d| d.rope.clone())?;
        Some((rope, findings))
    }

    fn diagnostics(&self, rope: &Rope, findings: &[Finding]) -> Vec<Diagnostic> {
        let (caps, settings, locale) = (self.caps(), self.settings(), self.locale());
        let reported: Vec<&Finding> = findings
            .iter()
            .filter(|f| !settings.disabled.contains(&f.code))
            .collect();
        let (shown, rest) = reported.split_at(reported.len().min(settings.max_diagnostics));
        let mut diags: Vec<Diagnostic> = shown
            .iter()
            .filter_map(|f| {
                let mut d = to_diagnostic(rope, f, caps.encoding, &locale)?;
                if let Some(sev) = settings.severity.get(&f.code) {
                    d.severity = Some(*sev);
                }
                Some(d)
            })
            .collect();
        if let Some(first) = rest.first() {
            let (at, total) = (first.range.start, reported.len());
            diags.push(left_out(rope, at, shown.len(), total, caps.encoding));
        }
        diags
    }

    /// Push mode: analyse and publish with the version, unless a newer edit overtook us.
    async fn refresh(&self, snap: Snapshot) {
        if self.caps().pull_diagnostics {
            return;
        }
        let (uri, version) = (snap.uri.clone(), snap.version);
        let Some(findings) = self.analyse(snap).await else {
            return;
        };
        let Some(rope) = self
            .docs
            .with(&uri, |d| (d.version == version).then(|| d.rope.clone()))
            .flatten()
        else {
            return;
        };
        let diags = self.diagnostics(&rope, &findings);
        self.client
            .publish_diagnostics(uri, diags, Some(version))
            .await;
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = client_caps(&params);
        let _ = self.caps.set(caps.clone());
        if let Some(opts) = &params.initialization_options {
            self.set_settings(Settings::from_json(opts));
        }
        // Compile the catalog while the client finishes starting, not on the first keystroke;
        // the reply does not wait for it (the first analysis does, if it comes first).
        tokio::task::spawn_blocking(|| scan::scan(""));
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(match caps.encoding {
                    Encoding::Utf8 => PositionEncodingKind::UTF8,
                    Encoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["-".into()]),
                    ..Default::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::SOURCE,
                            CodeActionKind::EMPTY,
                        ]),
                        ..Default::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: commands::ALL.iter().map(|c| c.to_string()).collect(),
                    ..Default::default()
                }),
                diagnostic_provider: caps.pull_diagnostics.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some(SOURCE.into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..Default::default()
                    })
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: SOURCE.into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.pull_settings().await;
        self.refresh_all().await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // Some clients send the settings, others a bare notification meaning "ask me".
        match params.settings.get("freebusyLsp") {
            Some(v) if v.is_object() => self.set_settings(Settings::from_json(v)),
            _ => self.pull_settings().await,
        }
        self.refresh_all().await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        let snap = self.docs.open(d.uri, d.version, &d.text);
        self.refresh(snap).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Applied before the first await: edits keep their order.
        let enc = self.caps().encoding;
        let d = params.text_document;
        if let Some(snap) = self
            .docs
            .change(&d.uri, d.version, params.content_changes, enc)
        {
            self.refresh(snap).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.docs.close(&uri);
        if !self.caps().pull_diagnostics {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let items = match self.findings(&params.text_document.uri).await {
            Some((rope, findings)) => self.diagnostics(&rope, &findings),
            None => Vec::new(),
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let Some((rope, findings)) = self.findings(&p.text_document.uri).await else {
            return Ok(None);
        };
        let Some(kind) = self.docs.with(&p.text_document.uri, |d| d.kind) else {
            return Ok(None);
        };
        let caps = self.caps();
        self.guarded("hover", move || {
            let offset = to_offset(&rope, p.position, caps.encoding);
            let on_finding = hover::hover(
                &rope,
                &findings,
                offset,
                caps.encoding,
                &caps.locale,
                caps.markdown,
            );
            on_finding.or_else(|| {
                (kind == DocKind::PowerShell)
                    .then(|| hover::cmdlet(&rope, offset, caps.encoding, caps.markdown))
                    .flatten()
            })
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let Some((rope, findings)) = self.findings(&uri).await else {
            return Ok(None);
        };
        let (caps, locale) = (self.caps(), self.locale());
        self.guarded("outline", move || {
            Some(symbols::outline(
                &uri,
                &rope,
                &findings,
                caps.encoding,
                &locale,
                caps.hierarchical_symbols,
            ))
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let Some((rope, kind)) = self
            .docs
            .with(&p.text_document.uri, |d| (d.rope.clone(), d.kind))
        else {
            return Ok(None);
        };
        if kind != DocKind::PowerShell {
            return Ok(None);
        }
        let (enc, markdown) = (self.caps().encoding, self.caps().completion_markdown);
        self.guarded("completion", move || {
            // The line is all completion looks at: cheap on a huge document.
            let offset = to_offset(&rope, p.position, enc);
            let line = rope.byte_to_line(offset);
            let start = rope.line_to_byte(line);
            let mut items = complete::complete(&rope.line(line).to_string(), offset - start);
            for i in &mut items {
                i.replace = start + i.replace.start..start + i.replace.end;
            }
            (!items.is_empty()).then(|| {
                CompletionResponse::Array(completion::to_items(&rope, items, enc, markdown))
            })
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let Some((rope, findings)) = self.findings(&uri).await else {
            return Ok(None);
        };
        let Some(kind) = self.docs.with(&uri, |d| d.kind) else {
            return Ok(None);
        };
        let caps = self.caps();
        let existing_end = |target: &Uri| -> Option<Position> {
            let open = self.docs.with(target, |d| {
                to_position(&d.rope, d.rope.len_bytes(), caps.encoding)
            });
            open.or_else(|| {
                let text = std::fs::read_to_string(target.to_file_path()?).ok()?;
                let rope = Rope::from_str(&text);
                Some(to_position(&rope, rope.len_bytes(), caps.encoding))
            })
        };
        let destination = actions::destination(kind, &uri, caps.create_files, existing_end);
        let locale = self.locale();
        self.guarded("code action", move || {
            let mut targets = targets(&rope, &findings, &params, caps.encoding);
            // Values one line lacks, another line of the document may give.
            let document = document_captures(&findings);
            for t in &mut targets {
                t.captures = with_document(&t.captures, &document);
            }
            let ctx = actions::Context {
                uri: &uri,
                rope: &rope,
                enc: caps.encoding,
                locale: &locale,
                destination,
            };
            let mut out = actions::actions(&ctx, &targets);
            if !findings.is_empty() && kind == DocKind::Text {
                out.push(actions::plan_action(&uri));
            }
            (!out.is_empty()).then_some(out)
        })
        .await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let arg = params
            .arguments
            .first()
            .and_then(|v| v.as_str())
            .map(str::to_string);
        match params.command.as_str() {
            commands::SHOW_DOCUMENTATION => self.show_documentation(arg).await,
            commands::LIST_CODES => Ok(Some(commands::list_codes(&self.locale()))),
            commands::EXPLAIN => {
                let key =
                    arg.ok_or_else(|| Error::invalid_params("freebusy.explain takes a code"))?;
                commands::explain(&key, &self.locale())
                    .map(Some)
                    .ok_or_else(|| Error::invalid_params(format!("no entry {key}")))
            }
            commands::CREATE_REMEDIATION_SCRIPT => {
                let uri = arg.and_then(|a| a.parse::<Uri>().ok());
                let uri = uri.ok_or_else(|| {
                    Error::invalid_params("freebusy.createRemediationScript takes a document URI")
                })?;
                self.create_remediation_script(uri).await
            }
            other => Err(Error::invalid_params(format!("unknown command {other}"))),
        }
    }
}

impl Backend {
    async fn show_documentation(&self, url: Option<String>) -> Result<Option<LSPAny>> {
        let url = url.ok_or_else(|| {
            Error::invalid_params("freebusy.showDocumentation takes the URL to open")
        })?;
        let uri: Uri = url
            .parse()
            .map_err(|_| Error::invalid_params(format!("not a URL: {url}")))?;
        if self.caps().show_document {
            let params = ShowDocumentParams {
                uri,
                external: Some(true),
                take_focus: Some(true),
                selection: None,
            };
            if matches!(self.client.show_document(params).await, Ok(true)) {
                return Ok(None);
            }
        }
        self.client
            .show_message(MessageType::INFO, format!("Documentation: {url}"))
            .await;
        Ok(None)
    }

    /// Writes the plan for a document beside it (or at its end, for clients that cannot create
    /// files) through `workspace/applyEdit`; answers whether the client applied it.
    async fn create_remediation_script(&self, uri: Uri) -> Result<Option<LSPAny>> {
        let Some((rope, findings)) = self.findings(&uri).await else {
            return Err(Error::invalid_params(format!(
                "{} is not open",
                uri.as_str()
            )));
        };
        let (caps, locale) = (self.caps(), self.locale());
        let name = uri
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or("document")
            .to_string();
        let text = rope.to_string();
        let plan = render::remediation_plan(&name, &text, &findings, &locale);
        let edit = actions::whole_script_edit(&uri, &rope, caps.create_files, caps.encoding, plan);
        let applied = self
            .client
            .apply_edit(WorkspaceEdit { ..edit })
            .await
            .map(|r| r.applied)
            .unwrap_or(false);
        Ok(Some(LSPAny::Bool(applied)))
    }
}
