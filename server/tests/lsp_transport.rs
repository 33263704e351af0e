//! A large document over stdio arrives intact however its JSON spells it: the transport reads a
//! large body into a buffer of its size and decodes its text in place (`lsp/bigjson.rs`); the
//! diagnostics must be those of the same text sent as serde_json writes it.
mod support;

use serde_json::{json, Value};
use support::{full_caps, Client};

const ERROR: &str = "2024-05-01 10:00:02 ERROR for alice@contoso.com at https://mail.contoso.com/EWS/Exchange.asmx Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.";

/// Over 2 MiB of lines with quotes, backslashes, tabs, slashes, control and non-ASCII
/// characters (one outside the BMP: a surrogate pair in UTF-16), an error every 5,000 lines.
fn text() -> (String, usize) {
    let filler =
        "2024-05-01 10:00:01 INFO \"quoted\" C:\\path\\x\tcaf\u{e9} \u{1F600} a/b \u{1} \u{7f}";
    let mut out = String::new();
    let mut errors = 0;
    let mut n = 0;
    while out.len() < 2 << 20 {
        if n % 5000 == 4999 {
            out.push_str(&format!("\u{1F600} \u{e9} {ERROR}\r\n"));
            errors += 1;
        } else {
            out.push_str(filler);
            out.push('\n');
        }
        n += 1;
    }
    (out, errors)
}

/// `s` as a JSON string in ASCII only: every escape JSON has, `\uXXXX` for the rest.
fn ascii_json(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Letters of the captured values too, so that a wrong decoding changes them.
            c if c.is_ascii() && !c.is_ascii_control() && !"ace".contains(c) => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04X}"));
                }
            }
        }
    }
    out.push('"');
    out
}

fn diagnostics_after_open(body: Option<String>, uri: &str, text: &str) -> Vec<Value> {
    let mut client = Client::start();
    client.initialize(full_caps(&["utf-16"]));
    client.notify("initialized", json!({}));
    match body {
        Some(body) => {
            let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
            client.send_raw(frame.as_bytes());
        }
        None => client.open(uri, text),
    }
    let diags = client.diagnostics(uri, Some(1));
    client.stop();
    diags
}

#[test]
fn a_large_document_arrives_intact_however_its_json_spells_it() {
    let (text, errors) = text();
    let uri = "file:///tmp/freebusy-transport/big.log";
    let plain = diagnostics_after_open(None, uri, &text);
    assert_eq!(plain.len(), errors, "{plain:?}");
    assert_eq!(plain[0]["range"]["start"]["line"], 4999);
    let captured = &plain[0]["data"]["captures"];
    assert_eq!(captured["address"], "alice@contoso.com", "{captured}");
    // Every character escaped, a URI with a space to repair, and the text not the last member.
    let spaced = "file:///tmp/freebusy-transport/big log.log";
    let body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{spaced}","languageId":"","version":1,"text":{},"extra":"\u00e9"}}}}}}"#,
        ascii_json(&text)
    );
    let escaped = diagnostics_after_open(Some(body), spaced, &text);
    assert_eq!(escaped, plain);
}

/// A large document, then a request about it and one the transport answers itself, in one
/// write: each is read in turn (the document is open when the hover asks) and every one answered.
#[test]
fn messages_after_a_large_one_in_the_same_write_keep_their_order() {
    let (text, _) = text();
    let uri = "file:///tmp/freebusy-transport/order.log";
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params":
        {"textDocument": {"uri": uri, "languageId": "", "version": 1, "text": text}}});
    // On the first error's "Missing" (UTF-16: the emoji is two units).
    let character = 5 + ERROR.find("Missing").unwrap();
    let hover = json!({"jsonrpc": "2.0", "id": 101, "method": "textDocument/hover", "params":
        {"textDocument": {"uri": uri}, "position": {"line": 4999, "character": character}}});
    let own = json!({"jsonrpc": "2.0", "id": 102, "method": "$/unknown"});
    let mut client = Client::start();
    client.initialize(full_caps(&["utf-16"]));
    let mut write = Vec::new();
    for msg in [open, hover, own] {
        let body = msg.to_string();
        write.extend_from_slice(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }
    client.send_raw(&write);
    let own = client.response(102);
    assert_eq!(own["error"]["code"], -32601, "{own}");
    let hover = client.response(101);
    let shown = hover["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(shown.contains("FB0"), "{hover}");
    assert_eq!(client.stop().code(), Some(0));
}

/// A body announced and never sent makes no memory real: the buffer sized for it is mapped only
/// a bounded way ahead of the bytes that came (`lsp/prefault.rs`). The next header, found inside
/// the missing body, is read and answered.
#[cfg(target_os = "linux")]
#[test]
fn a_large_body_announced_but_not_sent_takes_no_memory() {
    let resident_mib = |pid: u32| -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<u64>()
            .unwrap()
            / 1024
    };
    let mut client = Client::start();
    client.initialize(full_caps(&["utf-16"]));
    client.send_raw(b"Content-Length: 200000000\r\n\r\n{\"jsonrpc\":\"2.0\",");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let resident = resident_mib(client.pid());
    assert!(
        resident < 100,
        "{resident} MiB resident for a body of 2 bytes"
    );
    assert_eq!(client.stop().code(), Some(0));
}
