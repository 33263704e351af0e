//! Hover and code action answered straight from the backend, their results serialized once.
//!
//! tower-lsp-server turns every result into a `serde_json::Value` before it is written: for a
//! code action (several quick fixes, each with its script) building and dropping that tree was
//! a quarter of the request's work. These two requests are the ones an editor sends while the
//! user waits (every cursor move, every pause of the mouse), and both are usually done at their
//! first poll; so the reading thread calls the backend's method itself and serializes the typed
//! result into the reply's bytes. Anything else, or a call that must wait (a document still
//! being analysed), goes through the service as before, with its cancellation.
use super::server::Backend;
use super::transport::{panicked, poll_once, Panicked};
use super::types::{CodeActionParams, HoverParams};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::future::Future;
use tower_lsp_server::jsonrpc::{self, Id, Request, Response};
use tower_lsp_server::LanguageServer;

/// The reply's body when `request` is a hover or code action the backend answers at once;
/// `None` leaves the request to the service (other methods, parameters it should refuse, a
/// call that waits). Call only once the service is ready and before `shutdown`, as the service
/// itself answers only then.
pub fn answer(backend: &Backend, request: &Request) -> Option<Vec<u8>> {
    let (id, params) = (request.id()?, request.params()?);
    if !backend.initialized() {
        return None;
    }
    match request.method() {
        "textDocument/hover" => reply(id, params, |p: HoverParams| backend.hover(p)),
        "textDocument/codeAction" => {
            reply(id, params, |p: CodeActionParams| backend.code_action(p))
        }
        _ => None,
    }
}

/// `call` with `params` read from the request, polled once. A panic is answered as an internal
/// error, as for any other request.
fn reply<P, R, F>(id: &Id, params: &Value, call: impl FnOnce(P) -> F) -> Option<Vec<u8>>
where
    P: DeserializeOwned,
    R: Serialize,
    F: Future<Output = jsonrpc::Result<R>>,
{
    #[derive(Serialize)]
    struct Reply<'a, R> {
        jsonrpc: &'static str,
        id: &'a Id,
        result: R,
    }
    let params = P::deserialize(params).ok()?;
    let body = match poll_once(call(params)) {
        Ok(None) => return None,
        Ok(Some(Ok(result))) => serde_json::to_vec(&Reply {
            jsonrpc: "2.0",
            id,
            result,
        }),
        Ok(Some(Err(e))) => serde_json::to_vec(&Response::from_error(id.clone(), e)),
        Err(Panicked) => serde_json::to_vec(&panicked(id.clone())),
    };
    body.ok()
}
