//! The JSON-RPC reader: frames from any bytes, in any read sizes, then each frame's check.
//!
//! Properties: no panic; the events do not depend on how the input is split into reads (bytes
//! pushed at once, or read straight into the reader's buffer in any sizes); a sequence of
//! well-formed frames with JSON bodies comes back exactly; what the transport passes on is a
//! message tower-lsp-server reads, and what it answers is a JSON-RPC error.
#![no_main]

use freebusy_lsp::lsp::frames::{Event, FrameReader, MAX_BODY};
use freebusy_lsp::lsp::transport::{check, Incoming, Session};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::io::Read;
use tower_lsp_server::jsonrpc::{Request, Response};

/// All of `data` pushed at once.
fn events(data: &[u8]) -> Vec<Event> {
    let mut reader = FrameReader::default();
    reader.push(data);
    std::iter::from_fn(|| reader.next_event()).collect()
}

/// Hands out its bytes in reads of the given sizes, in turn.
struct Reads<'a> {
    data: &'a [u8],
    sizes: &'a [u8],
    k: usize,
}

impl Read for Reads<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes.get(self.k % self.sizes.len().max(1));
        self.k += 1;
        let n = size.map_or(buf.len(), |&s| usize::from(s).max(1));
        let n = n.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// `data` read straight into the reader's buffer, in reads of `sizes`.
fn events_read(data: &[u8], sizes: &[u8]) -> Vec<Event> {
    let mut reader = FrameReader::default();
    let mut input = Reads { data, sizes, k: 0 };
    let mut out = Vec::new();
    while reader.read_from(&mut input, 1 << 16).is_ok_and(|n| n > 0) {
        out.extend(std::iter::from_fn(|| reader.next_event()));
    }
    out
}

/// What the transport hands the service, written out again, is a message tower-lsp-server reads.
fn readable(message: &Incoming) -> bool {
    let written = match message {
        Incoming::Request(r) => serde_json::to_vec(r),
        Incoming::Response(r) => serde_json::to_vec(r),
    };
    written.is_ok_and(|w| readable_bytes(&w))
}

fn readable_bytes(body: &[u8]) -> bool {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    <Response as serde::Deserialize>::deserialize(&v).is_ok()
        || <Request as serde::Deserialize>::deserialize(&v).is_ok()
}

fuzz_target!(|input: &[u8]| {
    // First byte: how many of the next bytes are read sizes; the rest is the stream.
    let (head, rest) = input
        .split_first()
        .map_or((0, input), |(h, r)| (*h as usize % 16, r));
    let (sizes, data) = rest.split_at(head.min(rest.len()));

    let whole = events(data);
    let chunked = events_read(data, sizes);
    assert_eq!(whole, chunked, "read sizes changed the events");

    let session = Session::default();
    for e in &whole {
        let Event::Frame(body) = e else { continue };
        assert!(body.len() <= MAX_BODY);
        let c = check(body.clone(), &session);
        if let Some(f) = &c.forward {
            assert!(readable(f), "passed on what tower-lsp-server cannot read");
        }
        if let Some(a) = &c.answer {
            assert!(a["error"]["code"].is_i64() && a["jsonrpc"] == "2.0");
        }
    }

    // The same bytes as bodies of well-formed frames (split at NUL): the JSON ones come back.
    let bodies: Vec<&[u8]> = data.split(|&b| b == 0).collect();
    if bodies
        .iter()
        .all(|b| serde_json::from_slice::<Value>(b).is_ok())
    {
        let mut framed = Vec::new();
        for b in &bodies {
            framed.extend_from_slice(format!("Content-Length: {}\r\n\r\n", b.len()).as_bytes());
            framed.extend_from_slice(b);
        }
        let got: Vec<Event> = events_read(&framed, sizes);
        let want: Vec<Event> = bodies.iter().map(|b| Event::Frame(b.to_vec())).collect();
        assert_eq!(got, want);
    }
});
