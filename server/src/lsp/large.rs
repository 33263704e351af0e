//! Large documents: work-done progress while one is first analysed (when the client takes it),
//! and the size above which a document is not analysed at all (`freebusyLsp.maxDocumentBytes`).
use super::diagnostics::SOURCE;
use super::types::request::WorkDoneProgressCreate;
use super::types::*;
use tokio::sync::oneshot;
use tower_lsp_server::Client;

/// From this size on, the first analysis of a document reports progress.
pub const PROGRESS_BYTES: usize = 4 << 20;

/// The default of `freebusyLsp.maxDocumentBytes`.
pub const DEFAULT_MAX_BYTES: usize = 200 << 20;

/// The one diagnostic of a document over the limit: what happened, why, and the setting.
pub fn too_large(bytes: usize, limit: usize) -> Diagnostic {
    Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::INFORMATION),
        source: Some(SOURCE.into()),
        message: format!(
            "Not analysed: this document is {bytes} bytes, above the limit of {limit} bytes \
             (setting freebusyLsp.maxDocumentBytes). Raise the limit to analyse it."
        ),
        ..Default::default()
    }
}

/// A progress report the client shows until the returned sender is dropped or sent to.
/// Nothing waits for the client: the analysis starts at once, the report follows its answer.
pub fn begin(client: &Client, uri: &Uri, bytes: usize) -> oneshot::Sender<()> {
    let (done, finished) = oneshot::channel::<()>();
    let client = client.clone();
    let name = uri.as_str().rsplit('/').next().unwrap_or("").to_string();
    tokio::spawn(async move {
        let token = ProgressToken::String(format!("freebusy-lsp/analysis/{}", uri_key(&name)));
        let created = client
            .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                token: token.clone(),
            })
            .await;
        if created.is_err() {
            return;
        }
        let progress = client
            .progress(token, "freebusy-lsp")
            .with_message(format!("analysing {name} ({} MB)", bytes >> 20))
            .begin()
            .await;
        let _ = finished.await;
        progress.finish().await;
    });
    done
}

/// A token part unique enough per run: the name and the time.
fn uri_key(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{name}/{nanos}")
}
