//! The `LanguageServer` implementation: capabilities, document sync, and one short method per
//! request that hands over to the module doing the work.
use super::actions::{self, targets};
use super::caps::{client_caps, ClientCaps};
use super::diagnostics::{left_out, to_diagnostic, SOURCE};
use super::documents::{Documents, Findings, Input, Outcome, Snapshot, View, Worker};
use super::guard::guard;
use super::large;
use super::position::{to_offset, to_position, Encoding, Lines, Located};
use super::settings::Settings;
use super::transport::Outbox;
use super::types::*;
use super::{commands, completion, hover, paths, redact, symbols, workspace};
use crate::complete;
use crate::document::DocKind;
use crate::finding::{document_captures, with_document, Finding};
use crate::render;
use crate::{analysis, incremental};
use ropey::Rope;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::{Client, LanguageServer};

/// Cheap to clone (shared state): an analysis runs in a task of its own, with its own handle.
#[derive(Clone)]
pub struct Backend {
    client: Client,
    docs: Arc<Documents>,
    caps: Arc<OnceLock<ClientCaps>>,
    settings: Arc<RwLock<Settings>>,
    told_about_bug: Arc<AtomicBool>,
    /// The open folders on this machine, for workspace diagnostics.
    roots: Arc<OnceLock<Vec<std::path::PathBuf>>>,
    /// Straight to stdout: diagnostics, the largest messages we send.
    outbox: Outbox,
}

impl Backend {
    pub fn new(client: Client, outbox: Outbox) -> Backend {
        Backend {
            client,
            outbox,
            docs: Arc::default(),
            caps: Arc::default(),
            settings: Arc::default(),
            told_about_bug: Arc::default(),
            roots: Arc::default(),
        }
    }

    /// `initialize` has run (it always succeeds; the service holds other messages back while
    /// it runs).
    pub fn initialized(&self) -> bool {
        self.caps.get().is_some()
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
            work_done_progress: false,
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
        for uri in self.docs.uris() {
            let worker = self.docs.invalidate(&uri);
            self.start(uri, worker);
        }
        if self.caps().pull_diagnostics && self.caps().diagnostic_refresh {
            let _ = self.client.workspace_diagnostic_refresh().await;
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

    /// `guarded` for work bounded by what stands at one position (a hover, a code action): run
    /// here, without the two hand-offs to the blocking pool and back, which cost more than the
    /// work and are where a request's slowest answers waited.
    async fn quick<T>(&self, what: &'static str, f: impl FnOnce() -> T) -> Result<T> {
        let result = guard(what, f);
        if let Err(e) = &result {
            self.report(e).await;
        }
        result
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

    /// Starts the document's analysis worker, if the caller was given one to start. In push
    /// mode it publishes; in pull mode it analyses only while a request waits (with none
    /// waiting, it ends at once).
    fn start(&self, uri: Uri, worker: Option<Worker>) {
        let Some(worker) = worker else { return };
        let this = self.clone();
        tokio::spawn(async move { this.work(uri, worker).await });
    }

    /// Analyses the newest text until the findings are current; a newer text stops the run
    /// and the loop takes that one: one run at a time, the pending one always the newest.
    async fn work(&self, uri: Uri, mut worker: Worker) {
        let pull = self.caps().pull_diagnostics;
        let timing = std::env::var_os("FREEBUSY_LSP_TIMING").is_some();
        loop {
            let t = std::time::Instant::now();
            let Some(mut snap) = self.docs.begin(&uri, pull, &mut worker) else {
                break;
            };
            let caps = self.caps();
            let big = snap.len >= large::PROGRESS_BYTES;
            let progress = (snap.first && big && !pull && caps.work_done_progress)
                .then(|| large::begin(&self.client, &uri, snap.len));
            let result = self.analyse(&mut snap, pull).await;
            drop(progress);
            let Some(outcome) = result else {
                continue; // stopped: `begin` decides whether anyone still wants a result
            };
            let findings = outcome.findings.clone();
            if self.docs.store(&snap, outcome) && !pull {
                self.publish(&snap, &findings).await;
            }
            if timing {
                // For bench/: the server's own share of edit-to-diagnostics.
                let ms = t.elapsed().as_secs_f64() * 1e3;
                eprintln!(
                    "freebusy-lsp: analysed {} v{} in {ms:.3} ms",
                    uri.as_str(),
                    snap.version
                );
            }
            // The diagnostics are out: now the rope, for the edits and requests to come.
            if let Some(text) = self.docs.with(&uri, |d| d.opened()).flatten() {
                let (docs, at) = (self.docs.clone(), uri.clone());
                let _ = tokio::task::spawn_blocking(move || docs.settle(&at, text)).await;
            }
        }
    }

    /// One run off the async threads; `None` if it was stopped. A panic counts as no findings
    /// (reported once), so that the text is not analysed again and again.
    async fn analyse(&self, snap: &mut Snapshot, pull: bool) -> Option<Outcome> {
        let opts = analysis::Options {
            slow_request_seconds: self.settings().slow_request_seconds,
        };
        let nothing = || Outcome {
            findings: Arc::default(),
            tree: None,
            base: None,
        };
        let input = std::mem::replace(&mut snap.input, Input::Whole(Arc::default()));
        let (kind, tree) = (snap.kind, snap.tree.take());
        if snap.len > self.settings().max_document_bytes {
            return Some(nothing()); // `diagnostics` says why
        }
        let (stop, results) = (snap.stop.clone(), snap.results.clone());
        let stopped =
            move || stop.load(Ordering::Relaxed) || (pull && results.receiver_count() == 0);
        let run = move || {
            let mut done = match input {
                Input::Whole(text) => {
                    incremental::full(kind, &text, tree.as_ref(), &opts, &stopped)?
                }
                Input::Update { base, change, rope } => {
                    incremental::update(&base, change, &rope, &opts, &stopped)?
                }
            };
            Some(Outcome {
                findings: done.findings().clone(),
                tree: done.take_tree(),
                base: Some(Arc::new(done)),
            })
        };
        self.guarded("analysis", run)
            .await
            .unwrap_or(Some(nothing()))
    }

    /// Push mode: the diagnostics of a stored result, unless a newer text overtook it.
    async fn publish(&self, snap: &Snapshot, findings: &[Finding]) {
        let current = |d: &mut super::documents::Document| d.generation == snap.generation;
        let Some(view) = self
            .docs
            .with(&snap.uri, |d| current(d).then(|| d.view()))
            .flatten()
        else {
            return;
        };
        let diags = match &view {
            View::Rope(rope) => self.diagnostics(rope, findings),
            View::Opened(text) => self.diagnostics(&self.located(text, findings), findings),
        };
        self.publish_diagnostics(snap.uri.clone(), diags, Some(snap.version));
    }

    /// `publishDiagnostics`, serialized once, straight from the diagnostics (the client's
    /// `publish_diagnostics` makes a JSON value of them first, then the text of that: twice the
    /// work, and a hand-off more, on every keystroke). Always this way, so that the
    /// diagnostics of one document keep their order.
    fn publish_diagnostics(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams::new(uri, diagnostics, version);
        self.outbox
            .notify("textDocument/publishDiagnostics", &params);
    }

    /// The findings of the document's current text, waiting for its analysis if needed. Only
    /// this document's analysis is waited for; a cancelled request stops waiting (and, in pull
    /// mode, the analysis stops when no request waits for it any more).
    async fn findings(&self, uri: &Uri) -> Option<(Rope, Arc<Vec<Finding>>)> {
        loop {
            match self.docs.findings(uri)? {
                Findings::Ready(rope, findings) => return Some((rope, findings)),
                Findings::Wait {
                    mut results,
                    generation,
                    start,
                } => {
                    self.start(uri.clone(), start);
                    results.wait_for(|g| *g >= generation).await.ok()?;
                }
            }
        }
    }

    /// The positions of `findings` in a text without a rope, found in one pass.
    fn located<'t>(&self, text: &'t str, findings: &[Finding]) -> Located<'t> {
        let offsets = findings.iter().flat_map(|f| [f.range.start, f.range.end]);
        Located::new(text, offsets, self.caps().encoding)
    }

    fn diagnostics(&self, lines: &impl Lines, findings: &[Finding]) -> Vec<Diagnostic> {
        let (caps, settings, locale) = (self.caps(), self.settings(), self.locale());
        if lines.len_bytes() > settings.max_document_bytes {
            return vec![large::too_large(
                lines.len_bytes(),
                settings.max_document_bytes,
            )];
        }
        let reported: Vec<&Finding> = findings
            .iter()
            .filter(|f| !settings.disabled.contains(&f.code))
            .collect();
        let (shown, rest) = reported.split_at(reported.len().min(settings.max_diagnostics));
        let mut diags: Vec<Diagnostic> = shown
            .iter()
            .filter_map(|f| {
                let mut d = to_diagnostic(lines, f, caps.encoding, &locale)?;
                if let Some(sev) = settings.severity.get(&f.code) {
                    d.severity = Some(*sev);
                }
                Some(d)
            })
            .collect();
        if let Some(first) = rest.first() {
            let (at, total) = (first.range.start, reported.len());
            diags.push(left_out(lines, at, shown.len(), total, caps.encoding));
        }
        diags
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = client_caps(&params);
        let _ = self.caps.set(caps.clone());
        let _ = self.roots.set(workspace_roots(&params));
        if let Some(opts) = &params.initialization_options {
            self.set_settings(Settings::from_json(opts));
        }
        // Build what every first analysis needs, then every signature's regex, while the
        // client finishes starting and sends its first document; the reply does not wait (the
        // first analysis does, for what it needs, if it comes first).
        tokio::task::spawn_blocking(|| {
            crate::scan::warm();
            crate::scan::prepare();
        });
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
                        // Opt-in: VS Code shows an open document's findings twice when the
                        // workspace report and the document's own pull both hold it.
                        workspace_diagnostics: self.settings().workspace_diagnostics,
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
        // Nobody waits for running analyses any more: stop them, answer at once.
        self.docs.stop_all();
        Ok(())
    }

    // Edits apply before the handler returns (in arrival order); analyses run in their own
    // tasks, so no notification waits for one.
    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        let worker = self.docs.open(d.uri.clone(), d.version, d.text);
        self.start(d.uri, worker);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let enc = self.caps().encoding;
        let d = params.text_document;
        let worker = self
            .docs
            .change(&d.uri, d.version, params.content_changes, enc);
        self.start(d.uri, worker);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.docs.close(&uri);
        if !self.caps().pull_diagnostics {
            self.publish_diagnostics(uri, Vec::new(), None);
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

    async fn workspace_diagnostic(
        &self,
        _: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let roots = self.roots.get().cloned().unwrap_or_default();
        let open = self
            .docs
            .uris()
            .iter()
            .filter_map(paths::local_path)
            .collect();
        let checked = self
            .guarded("workspace diagnostics", move || {
                workspace::check(&roots, &open)
            })
            .await?;
        let items = checked
            .into_iter()
            .map(|(uri, c)| {
                let lines = self.located(&c.source.text, &c.findings);
                WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: None,
                        items: self.diagnostics(&lines, &c.findings),
                    },
                })
            })
            .collect();
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
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
        let (caps, locale) = (self.caps(), self.locale());
        self.quick("hover", move || {
            let offset = to_offset(&rope, p.position, caps.encoding);
            let on_finding = hover::hover(
                &rope,
                &findings,
                offset,
                caps.encoding,
                &locale,
                caps.markdown,
            );
            on_finding.or_else(|| {
                let (enc, md) = (caps.encoding, caps.markdown);
                (kind == DocKind::PowerShell)
                    .then(|| hover::cmdlet(&rope, offset, enc, &locale, md))
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
            .with(&p.text_document.uri, |d| (d.rope().clone(), d.kind))
        else {
            return Ok(None);
        };
        if kind != DocKind::PowerShell {
            return Ok(None);
        }
        let (enc, markdown) = (self.caps().encoding, self.caps().completion_markdown);
        let locale = self.locale();
        self.guarded("completion", move || {
            // The line is all completion looks at: cheap on a huge document.
            let offset = to_offset(&rope, p.position, enc);
            let line = rope.byte_to_line(offset);
            let start = rope.line_to_byte(line);
            let mut items =
                complete::complete(&rope.line(line).to_string(), offset - start, &locale);
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
        let sibling = if kind != DocKind::PowerShell && caps.create_files {
            paths::sibling(&uri, actions::SCRIPT_SUFFIX)
        } else {
            None
        };
        let sibling = match sibling {
            Some(s) => Some((s.uri.clone(), self.at_sibling(s, caps.encoding).await)),
            None => None,
        };
        let destination = actions::destination(kind, sibling);
        let locale = self.locale();
        let docs = self.settings().docs_path;
        self.quick("code action", move || {
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
                docs: docs.as_deref(),
            };
            let mut out = actions::actions(&ctx, &targets);
            if !findings.is_empty() && kind == DocKind::Text {
                out.push(actions::plan_action(&uri));
            }
            if kind == DocKind::Text {
                out.push(redact::action(&uri));
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
            commands::LIST_CODES => {
                let locale = self.locale();
                let list = self.guarded("list codes", move || commands::list_codes(&locale));
                list.await.map(Some)
            }
            commands::EXPLAIN => {
                let key =
                    arg.ok_or_else(|| Error::invalid_params("freebusy.explain takes a code"))?;
                let (k, locale) = (key.clone(), self.locale());
                let card = self.guarded("explain", move || commands::explain(&k, &locale));
                card.await?
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
            commands::REDACT => {
                let uri = arg.and_then(|a| a.parse::<Uri>().ok());
                let uri = uri
                    .ok_or_else(|| Error::invalid_params("freebusy.redact takes a document URI"))?;
                self.redact(uri).await
            }
            other => Err(Error::invalid_params(format!("unknown command {other}"))),
        }
    }
}

impl Backend {
    /// The remediation script beside a document: an open document's end, else a look at the
    /// disk off the async threads (a FIFO or a link to a device must not hold up requests).
    async fn at_sibling(&self, s: paths::Sibling, enc: Encoding) -> actions::AtSibling {
        let open = self.docs.with(&s.uri, |d| {
            let rope = d.rope();
            to_position(rope, rope.len_bytes(), enc)
        });
        if let Some(end) = open {
            return actions::AtSibling::Script(end);
        }
        tokio::task::spawn_blocking(move || actions::probe(&s.path, enc))
            .await
            .unwrap_or(actions::AtSibling::Unusable)
    }

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
        // Renders and looks for a free name on disk: off the async threads, under the guard.
        let at = uri.clone();
        let edit = self
            .guarded("remediation script", move || {
                let plan = render::remediation_plan(&name, &rope.to_string(), &findings, &locale);
                actions::whole_script_edit(&at, &rope, caps.create_files, caps.encoding, plan)
            })
            .await?;
        let applied = self
            .client
            .apply_edit(WorkspaceEdit { ..edit })
            .await
            .map(|r| r.applied)
            .unwrap_or(false);
        Ok(Some(LSPAny::Bool(applied)))
    }

    /// Replaces an open document with its redacted text; answers whether the client applied it.
    async fn redact(&self, uri: Uri) -> Result<Option<LSPAny>> {
        let Some(rope) = self.docs.with(&uri, |d| d.rope().clone()) else {
            return Err(Error::invalid_params(format!(
                "{} is not open",
                uri.as_str()
            )));
        };
        let enc = self.caps().encoding;
        let at = uri.clone();
        let Some(edit) = self
            .guarded("redaction", move || redact::edit(&at, &rope, enc))
            .await?
        else {
            return Ok(Some(LSPAny::Bool(false)));
        };
        let applied = self
            .client
            .apply_edit(edit)
            .await
            .map(|r| r.applied)
            .unwrap_or(false);
        Ok(Some(LSPAny::Bool(applied)))
    }
}

/// The workspace folders (or the root) the client opened, where they are local folders.
fn workspace_roots(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    let mut uris: Vec<&Uri> = params
        .workspace_folders
        .iter()
        .flatten()
        .map(|f| &f.uri)
        .collect();
    #[allow(deprecated)]
    if uris.is_empty() {
        uris.extend(params.root_uri.as_ref());
    }
    uris.into_iter().filter_map(workspace::folder).collect()
}
