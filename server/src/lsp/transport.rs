//! Between stdio and tower-lsp-server's `LspService`: frames are read here (`frames.rs`),
//! checked, and only messages the service can read are passed on. Input is read on a thread of
//! its own with blocking reads, a large body straight into a buffer of its size, and each body
//! is parsed there and passed on to the service by the same thread, in arrival order: the
//! runtime's threads only see finished messages, and a hover waits for no other thread to wake.
//! We drive the service ourselves (as its `Server` would: requests called in arrival order, up
//! to `CONCURRENCY` answered at once) so that a message is read once: a body is parsed straight
//! into the `Request` the service takes, a large one without a second copy of its text
//! (`bigjson.rs`), and replies are written once. It answers bad frames (tower-lsp-server's read
//! loop ends at the first), answers `$/` requests (tower-lsp-server drops them), decides the exit
//! status (`exit` without `shutdown` is 1) and repairs what clients get wrong and would otherwise
//! lose a document: out-of-range versions, unescaped URIs.
use super::bigjson;
use super::direct;
use super::frames::{Event, FrameReader};
use super::server::Backend;
use super::types::Uri;
use futures::{Sink, SinkExt, Stream, StreamExt};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tower::Service;
use tower_lsp_server::jsonrpc::{self, Id, Request, Response};
use tower_lsp_server::LspService;

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
/// Requests the server handles at once (tower-lsp-server's default is 4: four requests waiting
/// on slow analyses would hold up a hover on a small document, and even `$/cancelRequest`).
const CONCURRENCY: usize = 64;
/// After `exit` or end of input, how long in-flight replies may take to be written.
const GRACE: Duration = Duration::from_secs(2);

/// What the transport learns from the messages it passes.
#[derive(Default)]
pub struct Session {
    shutdown: AtomicBool,
    /// URIs as repaired (percent-encoded) -> as the client spelled them.
    uris: Mutex<HashMap<String, String>>,
}

impl Session {
    /// The process's exit status: 0 after `shutdown`, else 1 (the specification's rule for `exit`).
    pub fn status(&self) -> i32 {
        if self.shutdown.load(Ordering::SeqCst) {
            0
        } else {
            1
        }
    }

    fn uris(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.uris.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A message for the service: a request or notification, or a response to one of ours.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    Request(Request),
    Response(Response),
}

/// What to do with one frame's body.
#[derive(Debug, Default, PartialEq)]
pub struct Checked {
    /// The message to pass on to the service.
    pub forward: Option<Incoming>,
    /// Our own answer to the client.
    pub answer: Option<Value>,
    /// The client said `exit`: stop reading.
    pub exit: bool,
}

fn error(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}})
}

fn answer(id: Value, code: i64, message: impl Into<String>) -> Checked {
    let message = message.into();
    eprintln!("freebusy-lsp: refused a message: {message}");
    Checked {
        answer: Some(error(id, code, message)),
        ..Checked::default()
    }
}

/// A request id tower-lsp-server reads: an i64, a string or null.
fn valid_id(id: &Value) -> bool {
    id.is_null() || id.is_string() || id.as_i64().is_some()
}

/// Checks one body and decides what becomes of it.
pub fn check(body: Vec<u8>, session: &Session) -> Checked {
    let value: Value = match bigjson::parse(body) {
        Ok(v) => v,
        Err(e) => return answer(Value::Null, PARSE_ERROR, format!("not JSON: {e}")),
    };
    let Value::Object(mut msg) = value else {
        return answer(Value::Null, INVALID_REQUEST, "not a JSON object");
    };
    let id = msg.get("id").cloned();
    let reply_id = id.clone().filter(valid_id).unwrap_or(Value::Null);
    if msg.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return answer(reply_id, INVALID_REQUEST, "jsonrpc must be \"2.0\"");
    }
    if id.as_ref().is_some_and(|id| !valid_id(id)) {
        return answer(
            Value::Null,
            INVALID_REQUEST,
            "id must be an integer or a string",
        );
    }
    let Some(method) = msg.get("method") else {
        return check_response(msg, reply_id);
    };
    let Some(method) = method.as_str().map(str::to_owned) else {
        return answer(reply_id, INVALID_REQUEST, "method must be a string");
    };
    if method.starts_with("$/") && id.is_some() {
        let text = format!("unhandled method {method}");
        return Checked {
            answer: Some(error(reply_id, METHOD_NOT_FOUND, text)),
            ..Checked::default()
        };
    }
    if method == "shutdown" && id.is_some() {
        session.shutdown.store(true, Ordering::SeqCst);
    }
    if let Some(p) = msg.get_mut("params") {
        repair_params(p, session);
    }
    // Moved, not copied: the parameters' strings become the request's.
    match serde_json::from_value::<Request>(Value::Object(msg)) {
        Ok(request) => Checked {
            forward: Some(Incoming::Request(request)),
            answer: None,
            exit: method == "exit",
        },
        Err(e) => answer(reply_id, INVALID_REQUEST, format!("not a request: {e}")),
    }
}

/// A message without a method: a response to one of our requests, if tower-lsp-server reads it.
fn check_response(msg: Map<String, Value>, id: Value) -> Checked {
    let value = Value::Object(msg);
    if let Ok(response) = <Response as serde::Deserialize>::deserialize(&value) {
        return Checked {
            forward: Some(Incoming::Response(response)),
            ..Checked::default()
        };
    }
    if let Ok(request) = <Request as serde::Deserialize>::deserialize(&value) {
        return Checked {
            forward: Some(Incoming::Request(request)),
            ..Checked::default()
        };
    }
    if value.get("result").is_some() || value.get("error").is_some() {
        // A response cannot be answered: say so in the log only.
        eprintln!("freebusy-lsp: dropped an unreadable response (id {id})");
        return Checked::default();
    }
    answer(id, INVALID_REQUEST, "neither a request nor a response")
}

/// Repairs in place what would make tower-lsp-server drop the message; tells whether it did.
fn repair_params(params: &mut Value, session: &Session) -> bool {
    let mut changed = false;
    if let Some(v) = params.pointer_mut("/textDocument/version") {
        if v.is_number() && v.as_i64().and_then(|n| i32::try_from(n).ok()).is_none() {
            let n = v
                .as_f64()
                .unwrap_or(0.0)
                .clamp(i32::MIN as f64, i32::MAX as f64) as i32;
            eprintln!("freebusy-lsp: document version {v} is not a protocol integer; using {n}");
            *v = Value::from(n);
            changed = true;
        }
    }
    walk_uris(params, &mut |s| {
        if s.parse::<Uri>().is_ok() {
            return None;
        }
        let fixed = escape_uri(s);
        if fixed.parse::<Uri>().is_err() {
            eprintln!("freebusy-lsp: cannot read the URI {s:?}");
            return None;
        }
        session.uris().insert(fixed.clone(), s.to_string());
        changed = true;
        Some(fixed)
    });
    changed
}

/// Calls `f` on every string under a key naming a URI (`uri`, `targetUri`, ...); replaces it
/// with what `f` returns.
fn walk_uris(v: &mut Value, f: &mut impl FnMut(&str) -> Option<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let uri_key = k == "uri" || k.ends_with("Uri");
                match v {
                    Value::String(s) if uri_key => {
                        if let Some(new) = f(s) {
                            *s = new;
                        }
                    }
                    _ => walk_uris(v, f),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk_uris(v, f)),
        _ => {}
    }
}

/// Percent-encodes what a URI cannot hold (spaces, non-ASCII, stray `%`), keeping its structure.
fn escape_uri(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &b) in bytes.iter().enumerate() {
        let escape_ok = b == b'%'
            && bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        if b.is_ascii_alphanumeric() || b"-._~:/?#@!$&'()*+,;=".contains(&b) || escape_ok {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Puts back the client's spelling of URIs we repaired, in an outgoing body.
fn restore_uris(body: Vec<u8>, session: &Session) -> Vec<u8> {
    let map = session.uris().clone();
    // Most bodies name none of them: pass those on without parsing.
    if !map
        .keys()
        .any(|k| memchr::memmem::find(&body, k.as_bytes()).is_some())
    {
        return body;
    }
    let Ok(mut v) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    let mut changed = false;
    walk_uris(&mut v, &mut |s| {
        let original = map.get(s).cloned();
        changed |= original.is_some();
        original
    });
    if changed {
        v.to_string().into_bytes()
    } else {
        body
    }
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Serves the language server over `input`/`output`; returns the exit status.
pub async fn serve<I, O>(input: I, output: O) -> i32
where
    I: Read + Send + 'static,
    O: Write + Send + 'static,
{
    let session = Arc::new(Session::default());
    let (tx, rx) = unbounded_channel();
    let outbox = Outbox {
        out: tx.clone(),
        session: session.clone(),
    };
    let (service, socket) = LspService::new(|client| Backend::new(client, outbox.clone()));
    let (to_client, from_client) = socket.split();
    let (written, all_written) = tokio::sync::oneshot::channel();
    let writer = std::thread::Builder::new()
        .name("freebusy-lsp-stdout".into())
        .spawn(move || {
            write_out(rx, output);
            let _ = written.send(());
        });
    let client = tokio::spawn(send_all(to_client, tx.clone(), session.clone()));
    let (tasks, pending) = futures::channel::mpsc::channel(TASKS);
    let replies = tokio::spawn(answer_all(pending, tx.clone(), session.clone()));
    let (passed, all_passed) = tokio::sync::oneshot::channel();
    let runtime = tokio::runtime::Handle::current();
    let reader = std::thread::Builder::new()
        .name("freebusy-lsp-stdin".into())
        .spawn(move || {
            let passer = Passer {
                service,
                responses: from_client,
                tasks,
                outbox,
            };
            // Blocking reads on this thread, and the runtime's context for what the service
            // spawns: each message is passed on by the thread that read it, no hand-off.
            runtime.block_on(read_in(input, passer));
            let _ = passed.send(());
        });
    if reader.is_ok() {
        let _ = all_passed.await;
    }
    // Replies already on their way are written; work nobody waits for is not waited for.
    let _ = tokio::time::timeout(GRACE, async {
        let _ = replies.await;
        client.abort();
        if writer.is_ok() {
            let _ = all_written.await;
        }
    })
    .await;
    session.status()
}

/// How many called requests may wait to be polled (tower-lsp-server's queue size).
const TASKS: usize = 100;
/// The most bytes read at once (a large body's rest is read into its own buffer in reads of
/// up to this; a pipe gives less).
const READ: usize = 1 << 20;

type Task = futures::future::BoxFuture<'static, Option<Response>>;

/// Where checked messages go: the service, called in arrival order as tower-lsp-server's
/// `Server` calls it.
struct Passer<R> {
    service: LspService<Backend>,
    /// The client's responses to the server's own requests.
    responses: R,
    tasks: futures::channel::mpsc::Sender<Task>,
    outbox: Outbox,
}

/// On a thread of its own, with plain blocking reads (no hand-off to the runtime per read):
/// reads frames until `exit` or the end of input, checks each (parsing its body there) and
/// passes it on, in arrival order.
async fn read_in<R: Sink<Response> + Unpin>(mut input: impl Read, mut to: Passer<R>) {
    let mut reader = FrameReader::default();
    loop {
        match reader.read_from(&mut input, READ) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return,
        }
        while let Some(event) = reader.next_event() {
            let checked = match event {
                Event::Frame(body) => check(body, &to.outbox.session),
                Event::Bad(why) => answer(Value::Null, PARSE_ERROR, why),
            };
            if !to.pass_on(checked).await {
                return;
            }
        }
    }
}

impl<R: Sink<Response> + Unpin> Passer<R> {
    /// Passes `checked` on (its answer, if any, to the writer); false at `exit` or when the
    /// service has gone.
    async fn pass_on(&mut self, checked: Checked) -> bool {
        if let Some(a) = checked.answer {
            self.outbox.send(&a);
        }
        match checked.forward {
            Some(Incoming::Request(request)) => {
                let service = &mut self.service;
                if futures::future::poll_fn(|cx| service.poll_ready(cx))
                    .await
                    .is_err()
                {
                    return false;
                }
                // Hover and code action, the requests a user waits on, answered here when
                // they can be at once; `shutdown` turns this off, as the service would refuse.
                let open = !self.outbox.session.shutdown.load(Ordering::SeqCst);
                if let Some(body) = open
                    .then(|| direct::answer(service.inner(), &request))
                    .flatten()
                {
                    self.outbox.send_body(body);
                    return true;
                }
                let id = request.id().cloned();
                let call = service.call(request);
                let mut task: Task = Box::pin(async move { call.await.ok().flatten() });
                // Most messages are done at their first poll (notifications, hover, code
                // action): answered from here, without waking another thread. The others go
                // on to run beside each other.
                match first_poll(&mut task, id) {
                    Some(reply) => reply.iter().for_each(|r| self.outbox.send(r)),
                    None if self.tasks.send(task).await.is_err() => return false,
                    None => {}
                }
            }
            Some(Incoming::Response(response)) => {
                return self.responses.send(response).await.is_ok() && !checked.exit;
            }
            None => {}
        }
        !checked.exit
    }
}

/// `task` polled once, here: its reply if it is done. A panic is answered as an internal
/// error (or, for a notification, logged) rather than ending the server.
fn first_poll(task: &mut Task, id: Option<Id>) -> Option<Option<Response>> {
    poll_once(task).unwrap_or_else(|Panicked| Some(id.map(panicked)))
}

/// A handler panicked (and it was logged).
pub struct Panicked;

/// `future` polled once, here: its output if it is done.
pub fn poll_once<F: std::future::Future>(future: F) -> Result<Option<F::Output>, Panicked> {
    use futures::FutureExt;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| future.now_or_never())).map_err(|_| {
        eprintln!("freebusy-lsp: a message's handler panicked");
        Panicked
    })
}

/// The answer to a request whose handler panicked: an internal error, not the server's end.
pub fn panicked(id: Id) -> Response {
    Response::from_error(id, jsonrpc::Error::internal_error())
}

/// Runs the called requests, up to `CONCURRENCY` at once, and writes their replies.
async fn answer_all(
    tasks: futures::channel::mpsc::Receiver<Task>,
    out: UnboundedSender<Vec<u8>>,
    session: Arc<Session>,
) {
    let mut replies = tasks.buffer_unordered(CONCURRENCY);
    while let Some(reply) = replies.next().await {
        if let Some(response) = reply {
            send(&response, &out, &session);
        }
    }
}

/// The server's own requests and notifications (diagnostics, progress) to the writer.
async fn send_all(
    mut requests: impl Stream<Item = Request> + Unpin,
    out: UnboundedSender<Vec<u8>>,
    session: Arc<Session>,
) {
    while let Some(request) = requests.next().await {
        send(&request, &out, &session);
    }
}

/// The writer, for the replies answered at their first poll and the notifications the server
/// sends without the client of tower-lsp-server.
#[derive(Clone)]
pub struct Outbox {
    out: UnboundedSender<Vec<u8>>,
    session: Arc<Session>,
}

impl Outbox {
    pub fn notify(&self, method: &'static str, params: &impl serde::Serialize) {
        #[derive(serde::Serialize)]
        struct Notification<'p, P> {
            jsonrpc: &'static str,
            method: &'static str,
            params: &'p P,
        }
        self.send(&Notification {
            jsonrpc: "2.0",
            method,
            params,
        });
    }

    /// Any message, its URIs spelled as the client spelled them.
    fn send(&self, message: &impl serde::Serialize) {
        send(message, &self.out, &self.session);
    }

    /// A message already serialized, its URIs spelled as the client spelled them.
    fn send_body(&self, body: Vec<u8>) {
        let _ = self.out.send(restore_uris(body, &self.session));
    }
}

fn send(message: &impl serde::Serialize, out: &UnboundedSender<Vec<u8>>, session: &Session) {
    match serde_json::to_vec(message) {
        Ok(body) => {
            let _ = out.send(restore_uris(body, session));
        }
        Err(e) => eprintln!("freebusy-lsp: cannot write a message: {e}"),
    }
}

/// The one writer of stdout, on a thread of its own with blocking writes (no hand-off to a
/// blocking pool per write): whole frames, flushed when nothing else is queued.
fn write_out(mut rx: UnboundedReceiver<Vec<u8>>, mut out: impl Write) {
    while let Some(body) = rx.blocking_recv() {
        if out.write_all(&framed(&body)).is_err() {
            return;
        }
        if rx.is_empty() && out.flush().is_err() {
            return;
        }
    }
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (Checked, Session) {
        let s = Session::default();
        (check(body.as_bytes().to_vec(), &s), s)
    }

    fn code(c: &Checked) -> i64 {
        c.answer.as_ref().unwrap()["error"]["code"]
            .as_i64()
            .unwrap()
    }

    #[test]
    fn bad_bodies_are_answered_not_passed_on() {
        for (body, want) in [
            ("{not json", PARSE_ERROR),
            ("[1,2]", INVALID_REQUEST),
            ("42", INVALID_REQUEST),
            (r#"{"method":"initialize","id":1}"#, INVALID_REQUEST),
            (
                r#"{"jsonrpc":"2.0","method":"x","id":1.5}"#,
                INVALID_REQUEST,
            ),
            (r#"{"jsonrpc":"2.0","method":7,"id":1}"#, INVALID_REQUEST),
            (
                r#"{"jsonrpc":"2.0","method":"$/foo","id":3}"#,
                METHOD_NOT_FOUND,
            ),
        ] {
            let (c, _) = run(body);
            assert_eq!(c.forward, None, "{body}");
            assert_eq!(code(&c), want, "{body}");
        }
        let (c, _) = run(r#"{"jsonrpc":"2.0","method":"$/foo","id":"a"}"#);
        assert_eq!(c.answer.unwrap()["id"], "a");
    }

    #[test]
    fn good_messages_pass_unchanged() {
        for body in [
            r#"{"jsonrpc":"2.0","method":"initialize","id":1,"params":{}}"#,
            r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#,
            r#"{"jsonrpc":"2.0","id":0,"result":null}"#,
        ] {
            let (c, _) = run(body);
            let want = match serde_json::from_str::<Response>(body) {
                Ok(r) => Incoming::Response(r),
                Err(_) => Incoming::Request(serde_json::from_str(body).unwrap()),
            };
            assert_eq!(c.forward, Some(want), "{body}");
            assert_eq!(c.answer, None);
        }
    }

    #[test]
    fn exit_status_follows_shutdown() {
        let s = Session::default();
        let exit = br#"{"jsonrpc":"2.0","method":"exit"}"#.to_vec();
        assert!(check(exit, &s).exit);
        assert_eq!(s.status(), 1);
        check(
            br#"{"jsonrpc":"2.0","method":"shutdown","id":9}"#.to_vec(),
            &s,
        );
        assert_eq!(s.status(), 0);
    }

    #[test]
    fn versions_are_clamped_and_uris_escaped_and_restored() {
        let body = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///tmp/a b ä%.log","version":2147483648}}}"#;
        let (c, s) = run(body);
        let Some(Incoming::Request(r)) = c.forward else {
            panic!("not passed on")
        };
        let doc = &r.params().unwrap()["textDocument"];
        assert_eq!(doc["version"], i32::MAX);
        assert_eq!(doc["uri"], "file:///tmp/a%20b%20%C3%A4%25.log");
        let out = json!({"method": "x", "params": {"uri": doc["uri"].clone()}});
        let back: Value =
            serde_json::from_slice(&restore_uris(out.to_string().into_bytes(), &s)).unwrap();
        assert_eq!(back["params"]["uri"], "file:///tmp/a b ä%.log");
    }

    #[test]
    fn a_message_done_at_once_is_answered_a_waiting_one_passed_on_a_panic_answered() {
        let reply = Response::from_ok(Id::Number(1), json!(null));
        let mut done: Task = Box::pin(futures::future::ready(Some(reply.clone())));
        assert_eq!(
            first_poll(&mut done, Some(Id::Number(1))),
            Some(Some(reply))
        );
        let mut waiting: Task = Box::pin(futures::future::pending());
        assert_eq!(first_poll(&mut waiting, Some(Id::Number(2))), None);
        let mut panics: Task = Box::pin(async { panic!("a handler's bug") });
        let answered = first_poll(&mut panics, Some(Id::Number(3)))
            .flatten()
            .unwrap();
        let answered = serde_json::to_value(answered).unwrap();
        assert_eq!(answered["id"], 3);
        assert_eq!(answered["error"]["code"], -32603);
        let mut notification: Task = Box::pin(async { panic!("a handler's bug") });
        assert_eq!(first_poll(&mut notification, None), Some(None));
    }
}
