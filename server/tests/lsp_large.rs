//! Large documents over stdio: progress while a big document is first analysed (for clients
//! that take it), and the size limit `freebusyLsp.maxDocumentBytes`.
mod support;

use serde_json::{json, Value};
use support::{full_caps, Client};

const URI: &str = "file:///tmp/freebusy-large/big.log";
const ERROR: &str = "2024-05-01 10:00:02 ERROR Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.\n";

fn start(caps: Value, options: Value) -> Client {
    let mut client = Client::start();
    let r = client.request(
        "initialize",
        json!({"processId": null, "capabilities": caps, "initializationOptions": options}),
    );
    assert!(r.get("error").is_none(), "{r}");
    client.notify("initialized", json!({}));
    client
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_document_over_the_limit_gets_one_information_diagnostic_saying_why() {
    let text = ERROR.repeat(3);
    let mut client = start(
        full_caps(&["utf-16"]),
        json!({"freebusyLsp": {"maxDocumentBytes": 200}}),
    );
    client.open(URI, &text);
    let diags = client.diagnostics(URI, Some(1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["severity"], 3, "information");
    let message = diags[0]["message"].as_str().unwrap();
    assert!(message.contains("Not analysed"), "{message}");
    assert!(message.contains("maxDocumentBytes"), "{message}");
    assert!(message.contains(&text.len().to_string()), "{message}");
    // Under the limit again: analysed as usual.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
        "contentChanges": [{"text": ERROR}]}),
    );
    assert_eq!(codes(&client.diagnostics(URI, Some(2))), ["FB012"]);
    client.stop();

    // The default limit is generous: the same text is analysed.
    let mut client = start(full_caps(&["utf-16"]), json!({}));
    client.open(URI, &text);
    assert_eq!(codes(&client.diagnostics(URI, Some(1))), ["FB012"; 3]);
    client.stop();
}

#[test]
fn a_big_document_reports_progress_while_first_analysed_when_the_client_takes_it() {
    let filler = "2024-05-01 10:00:01 INFO  availability request started for 3 mailboxes\n";
    let mut text = filler.repeat((5 << 20) / filler.len());
    text.push_str(ERROR);
    let mut caps = full_caps(&["utf-16"]);
    caps["window"]["workDoneProgress"] = json!(true);
    let mut client = start(caps, json!({}));
    client.open(URI, &text);
    let create = client.wait_for(|m| m["method"] == "window/workDoneProgress/create");
    let token = create["params"]["token"].clone();
    client.reply(&create, Value::Null);
    let kind = |k: &'static str| {
        let token = token.clone();
        move |m: &Value| {
            m["method"] == "$/progress"
                && m["params"]["token"] == token
                && m["params"]["value"]["kind"] == k
        }
    };
    let begin = client.wait_for(kind("begin"));
    assert!(begin["params"]["value"]["title"].as_str().is_some());
    client.wait_for(kind("end"));
    assert_eq!(codes(&client.diagnostics(URI, Some(1))), ["FB012"]);
    // A keystroke is not a first analysis: no progress.
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": URI, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]}));
    client.diagnostics(URI, Some(2));
    assert!(
        !client
            .seen(|m| m["method"] == "window/workDoneProgress/create"
                && m["params"]["token"] != token)
    );
    client.stop();

    // A client that did not declare it gets none.
    let mut client = start(full_caps(&["utf-16"]), json!({}));
    client.open(URI, &text);
    client.diagnostics(URI, Some(1));
    assert!(!client.seen(|m| m["method"] == "window/workDoneProgress/create"));
    client.stop();
}
