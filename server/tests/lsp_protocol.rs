//! The protocol under hostile or careless clients: raw frames over the real binary's stdio.
//! Bad frames are answered and skipped, exit statuses follow the specification, `$/` requests
//! are answered, odd versions and URIs keep their documents, and slow analyses hold up neither
//! other documents nor `shutdown`. Timing is asserted as order or ratio, never as a duration.
mod support;

use serde_json::{json, Value};
use std::time::Instant;
use support::{bare_caps, Client};

/// A 401 line (FB007 when repeated): a big document is many of them (seconds of analysis in a
/// debug build).
const FB007: &str =
    "2026-01-01 Proxy web request failed: HTTP status 401 Unauthorized for user a@contoso.com\n";
/// An FB002 line.
const FB002: &str = "Proxy web request failed. , inner exception: System.Net.WebException: Unable to connect to the remote server\n";

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn error_code(client: &mut Client, code: i64) -> Value {
    client.wait_for(|m| m["error"]["code"] == code && m.get("method").is_none())
}

fn codes(diags: &[Value]) -> Vec<String> {
    let mut c: Vec<String> = diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect();
    c.dedup();
    c
}

fn diagnostics_of(uri: &str) -> impl Fn(&Value) -> bool + '_ {
    move |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
}

fn hover(client: &mut Client, uri: &str, line: u32, character: u32) -> Value {
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    )
}

fn change(client: &mut Client, uri: &str, version: Value, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    );
}

#[test]
fn bad_frames_are_answered_and_the_server_goes_on() {
    let mut client = Client::start();
    client.send_raw(b"Content-Length: abc\r\n\r\n{}");
    assert!(error_code(&mut client, -32700)["id"].is_null());
    client.send_raw(&frame("{\"jsonrpc\":\"2.0\",\"id\":1,"));
    error_code(&mut client, -32700);
    client.send_raw(&frame("[1,2,3]"));
    error_code(&mut client, -32600);
    client.send_raw(&frame("\"just a string\""));
    error_code(&mut client, -32600);
    // A length no one will ever send: refused, not waited for.
    client.send_raw(b"Content-Length: 1000000000000\r\n\r\n{\"jsonrpc\":\"2.0\"}");
    error_code(&mut client, -32700);
    // A length longer than its body: the next header ends it.
    client.send_raw(b"Content-Length: 5000\r\n\r\n{\"jsonrpc\":\"2.0\"}\r\n");

    let init = client.initialize(bare_caps());
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    error_code(&mut client, -32700);
    let uri = "file:///tmp/freebusy-protocol/after-garbage.log";
    client.open(uri, FB002);
    assert_eq!(codes(&client.diagnostics(uri, Some(1))), ["FB002"]);
    let h = hover(&mut client, uri, 0, 20);
    assert!(h["result"]["contents"].is_object(), "{h}");
    assert_eq!(client.stop().code(), Some(0));
}

/// Hover and code action are answered by the reading thread when they can be at once, past
/// the service: they must still be refused where the service refuses them.
#[test]
fn hover_and_code_action_follow_the_session_state() {
    let uri = "file:///tmp/freebusy-protocol/state.log";
    let at = json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 20}});
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 5}});
    let action =
        json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}});
    let mut client = Client::start();
    // Before `initialize`: not initialized (-32002).
    let r = client.request("textDocument/hover", at.clone());
    assert_eq!(r["error"]["code"], -32002, "{r}");
    let r = client.request("textDocument/codeAction", action.clone());
    assert_eq!(r["error"]["code"], -32002, "{r}");
    client.initialize(bare_caps());
    client.open(uri, FB002);
    client.diagnostics(uri, Some(1));
    let r = client.request("textDocument/hover", at.clone());
    assert!(
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("FB002"),
        "{r}"
    );
    let r = client.request("textDocument/codeAction", action.clone());
    let titles: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.iter().any(|t| t.starts_with("FB002: ")), "{r}");
    // Parameters the service cannot read: invalid params (-32602), as before.
    let r = client.request("textDocument/hover", json!({"position": 3}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // After `shutdown`: invalid request (-32600).
    let r = client.request("shutdown", Value::Null);
    assert!(r["error"].is_null(), "{r}");
    let r = client.request("textDocument/hover", at);
    assert_eq!(r["error"]["code"], -32600, "{r}");
    let r = client.request("textDocument/codeAction", action);
    assert_eq!(r["error"]["code"], -32600, "{r}");
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut client = Client::start();
    client.initialize(bare_caps());
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));

    let mut client = Client::start();
    client.initialize(bare_caps());
    assert_eq!(client.stop().code(), Some(0));
}

#[test]
fn dollar_requests_are_answered_method_not_found() {
    let mut client = Client::start();
    client.initialize(bare_caps());
    let r = client.request("$/foo", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    client.notify("$/setTrace", json!({"value": "off"}));
    let r = client.request("$/progress/other", Value::Null);
    assert_eq!(r["error"]["code"], -32601, "{r}");
    assert_eq!(client.stop().code(), Some(0));
}

#[test]
fn a_version_past_i32_keeps_the_change() {
    let mut client = Client::start();
    client.initialize(bare_caps());
    let uri = "file:///tmp/freebusy-protocol/big-version.log";
    client.open(uri, "nothing here\n");
    assert!(client.diagnostics(uri, Some(1)).is_empty());
    change(&mut client, uri, json!(2147483648u64), FB002);
    let diags = client.diagnostics(uri, None);
    assert_eq!(codes(&diags), ["FB002"]);
    let h = hover(&mut client, uri, 0, 20);
    assert!(h["result"]["contents"].to_string().contains("FB002"), "{h}");
}

/// Two texts with one version number: the diagnostics and findings are the last text's, even
/// when the first text's analysis (slower) ends after the second's.
#[test]
fn a_repeated_version_never_publishes_stale_diagnostics() {
    let mut client = Client::start();
    client.initialize(bare_caps());
    let uri = "file:///tmp/freebusy-protocol/repeated.log";
    client.open(uri, "nothing here\n");
    client.diagnostics(uri, Some(1));
    change(&mut client, uri, json!(2), &FB007.repeat(2000));
    change(&mut client, uri, json!(2), FB002);
    // Ends well after the first version-2 text would have.
    let slower = "file:///tmp/freebusy-protocol/slower.log";
    client.open(slower, &FB007.repeat(4000));
    client.wait_for(diagnostics_of(slower));
    let published: Vec<Value> = std::iter::from_fn(|| {
        client
            .seen(diagnostics_of(uri))
            .then(|| client.wait_for(diagnostics_of(uri)))
    })
    .collect();
    assert!(!published.is_empty());
    for p in &published {
        let diags = p["params"]["diagnostics"].as_array().unwrap();
        assert_eq!(codes(diags), ["FB002"], "stale diagnostics: {p}");
    }
    let h = hover(&mut client, uri, 0, 20);
    assert!(h["result"]["contents"].to_string().contains("FB002"), "{h}");
}

#[test]
fn uris_with_a_space_or_an_umlaut_keep_their_document() {
    let mut client = Client::start();
    client.initialize(bare_caps());
    for uri in [
        "file:///tmp/freebusy protocol/a b.log",
        "file:///tmp/freebusy-protocol/Mötesförfrågan ä.log",
    ] {
        client.open(uri, FB002);
        // Answered under the URI as the client spelled it.
        assert_eq!(codes(&client.diagnostics(uri, Some(1))), ["FB002"], "{uri}");
        let h = hover(&mut client, uri, 0, 20);
        assert!(h["result"]["contents"].is_object(), "{uri}: {h}");
    }
}

/// Four documents that take seconds to analyse, then a small one: the small one's diagnostics
/// and a hover on it come first, `shutdown` is answered before any large analysis ends, and
/// the process then exits with 0 without waiting for them.
#[test]
fn a_small_document_and_shutdown_never_wait_for_large_analyses() {
    let mut client = Client::start();
    client.initialize(bare_caps());
    let big: Vec<String> = (0..4)
        .map(|i| format!("file:///tmp/freebusy-protocol/big-{i}.log"))
        .collect();
    let text = FB007.repeat(10_000);
    for uri in &big {
        client.open(uri, &text);
    }
    let small = "file:///tmp/freebusy-protocol/small.log";
    client.open(small, FB002);
    let any_big = |c: &Client| big.iter().any(|u| c.seen(diagnostics_of(u)));

    assert_eq!(codes(&client.diagnostics(small, Some(1))), ["FB002"]);
    assert!(
        !any_big(&client),
        "the small document waited for a large one"
    );
    let h = hover(&mut client, small, 0, 20);
    assert!(h["result"]["contents"].is_object(), "{h}");
    assert!(!any_big(&client), "the hover waited for a large document");
    let r = client.request("shutdown", Value::Null);
    assert!(r.get("error").is_none(), "{r}");
    assert!(!any_big(&client), "shutdown waited for an analysis");
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(0));
}

/// Twenty quick edits to a document that takes a second to analyse cost about one analysis,
/// not twenty: each edit stops the running analysis and only the newest text is analysed.
#[test]
fn rapid_edits_do_not_pile_up_analyses() {
    let mut client = Client::start();
    client.initialize(bare_caps());
    let uri = "file:///tmp/freebusy-protocol/typing.log";
    let started = Instant::now();
    client.open(uri, &FB007.repeat(5000));
    let found = client.diagnostics(uri, Some(1)).len();
    assert!(found > 0);
    let one = started.elapsed();

    let started = Instant::now();
    for v in 2..=21 {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [{
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "text": "x"
            }]}),
        );
    }
    assert_eq!(client.diagnostics(uri, Some(21)).len(), found);
    let twenty = started.elapsed();
    let ratio = twenty.as_secs_f64() / one.as_secs_f64();
    assert!(ratio < 4.0, "20 edits took {ratio:.1} times one analysis");
}

/// Pull diagnostics: twenty requests cancelled with `$/cancelRequest` leave no analyses
/// behind, so the next request costs about one analysis, not a share of twenty.
#[test]
fn cancelled_requests_stop_their_analysis() {
    let mut client = Client::start();
    let caps = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    client.initialize(caps);
    let uri = "file:///tmp/freebusy-protocol/pulled.log";
    let pull = |c: &mut Client| {
        c.start_request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
    };
    client.open(uri, &FB007.repeat(5000));
    let started = Instant::now();
    let id = pull(&mut client);
    let found = client.response(id)["result"]["items"]
        .as_array()
        .unwrap()
        .len();
    assert!(found > 0);
    let one = started.elapsed();

    change(&mut client, uri, json!(2), &FB007.repeat(5000));
    let started = Instant::now();
    let cancelled: Vec<i64> = (0..20)
        .map(|_| {
            let id = pull(&mut client);
            client.notify("$/cancelRequest", json!({"id": id}));
            id
        })
        .collect();
    let id = pull(&mut client);
    let items = client.response(id)["result"]["items"]
        .as_array()
        .unwrap()
        .len();
    let twenty = started.elapsed();
    assert_eq!(items, found);
    for id in cancelled {
        let r = client.response(id);
        assert!(
            r["error"]["code"] == -32800 || r["result"].is_object(),
            "{r}"
        );
    }
    let ratio = twenty.as_secs_f64() / one.as_secs_f64();
    assert!(
        ratio < 4.0,
        "after 20 cancelled requests one took {ratio:.1} times one analysis"
    );
}
