//! A minimal LSP client over the real binary's stdio, for end-to-end tests.
#![allow(dead_code)]

pub mod edits;
pub mod fixture;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Messages read while waiting for something else.
    backlog: Vec<Value>,
    /// The answer to `workspace/configuration` (one item per requested section).
    pub configuration: Value,
}

const WAIT: Duration = Duration::from_secs(20);

impl Client {
    pub fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start freebusy-lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let msg: Value = serde_json::from_slice(&body).expect("JSON body");
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming: rx,
            next_id: 1,
            backlog: Vec::new(),
            configuration: Value::Null,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Writes bytes as they are: frames of any shape, good or bad.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Whether a message read so far (and not yet taken by `wait_for`) matches `pred`.
    pub fn seen(&self, pred: impl Fn(&Value) -> bool) -> bool {
        self.backlog.iter().any(pred)
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its response (`result` or `error` object as a whole).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.start_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting; `response(id)` collects the answer.
    pub fn start_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// Answers a request the server sent.
    pub fn reply(&mut self, request: &Value, result: Value) {
        self.send(json!({"jsonrpc": "2.0", "id": request["id"].clone(), "result": result}));
    }

    /// The first message (from the backlog, then the wire) that `pred` accepts. Server requests
    /// met on the way (workspace/configuration, showDocument) are answered with null.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(msg) => {
                    if pred(&msg) {
                        return msg;
                    }
                    if msg["method"] == "workspace/configuration" {
                        let items = msg["params"]["items"].as_array().map_or(1, Vec::len);
                        let answer = Value::Array(vec![self.configuration.clone(); items]);
                        self.reply(&msg, answer);
                        continue;
                    }
                    if msg.get("id").is_some() && msg.get("method").is_some() {
                        let wanted = ["workspace/applyEdit", "window/showDocument"];
                        if !wanted.contains(&msg["method"].as_str().unwrap_or("")) {
                            self.reply(&msg, Value::Null);
                        }
                    }
                    self.backlog.push(msg);
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no matching message within {WAIT:?}; backlog: {:#?}",
                    self.backlog
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("server closed its output; backlog: {:#?}", self.backlog)
                }
            }
        }
    }

    /// The next publishDiagnostics for `uri` with `version` (None: any).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let msg = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        });
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn initialize(&mut self, capabilities: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "", "version": 1, "text": text}}),
        );
    }

    /// shutdown + exit; returns the exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "shutdown failed: {r}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// The exit status, once the server has ended by itself.
    pub fn wait_exit(mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Capabilities of a client that does everything: UTF-8 offered, file creation, showDocument.
pub fn full_caps(encodings: &[&str]) -> Value {
    json!({
        "general": {"positionEncodings": encodings},
        "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}},
        "workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}},
        "window": {"showDocument": {"support": true}}
    })
}

/// A client that declares almost nothing (UTF-16 by default, no resource operations).
pub fn bare_caps() -> Value {
    json!({})
}

/// Converts an LSP position to (line, column in characters) of `text`.
pub fn char_col(text: &str, pos: &Value, utf8: bool) -> (usize, usize) {
    let line = pos["line"].as_u64().unwrap() as usize;
    let unit = pos["character"].as_u64().unwrap() as usize;
    let l = text
        .split('\n')
        .nth(line)
        .unwrap_or("")
        .trim_end_matches('\r');
    let mut used = 0;
    for (i, c) in l.chars().enumerate() {
        if used >= unit {
            return (line, i);
        }
        used += if utf8 { c.len_utf8() } else { c.len_utf16() };
    }
    (line, l.chars().count())
}
