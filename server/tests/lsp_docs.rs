//! "Show documentation" opens the local page of a reference site built by `docs -o DIR` when
//! `freebusyLsp.docsPath` names it, and the article section when it does not or the page is not
//! there.
mod support;

use serde_json::{json, Value};
use std::process::Command;
use support::{full_caps, Client};

const LOG: &str = "file:///tmp/freebusy-docs/trace.log";
const TEXT: &str = "2024-05-01 10:00:02 ERROR Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.\n";

/// The argument of the FB012 documentation action, with `settings` as initializationOptions.
fn documentation_target(settings: Value) -> String {
    let mut client = Client::start();
    let r = client.request(
        "initialize",
        json!({"processId": null, "capabilities": full_caps(&["utf-16"]),
        "initializationOptions": {"freebusyLsp": settings}}),
    );
    assert!(r.get("error").is_none());
    client.notify("initialized", json!({}));
    client.open(LOG, TEXT);
    let diags = client.diagnostics(LOG, Some(1));
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": LOG}, "range": diags[0]["range"], "context": {"diagnostics": [diags[0]]}}),
    );
    let doc = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["command"]["command"] == "freebusy.showDocumentation")
        .expect("a documentation action")
        .clone();
    client.stop();
    doc["command"]["arguments"][0].as_str().unwrap().to_string()
}

#[test]
fn show_documentation_opens_the_local_page_when_the_site_is_built() {
    let dir = std::env::temp_dir().join(format!("freebusy-lsp-docs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let built = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
        .args(["docs", "-o", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(built.status.success());
    let site = dir.to_str().unwrap();

    let local = documentation_target(json!({"docsPath": site}));
    let page = std::fs::canonicalize(dir.join("en/FB012.html")).unwrap();
    assert_eq!(local, format!("file://{}", page.display()));
    let swedish = documentation_target(json!({"docsPath": site, "locale": "sv"}));
    assert!(swedish.ends_with("/sv/FB012.html"), "{swedish}");

    // No site there, or no setting: the article section.
    std::fs::remove_file(dir.join("en/FB012.html")).unwrap();
    let article = documentation_target(json!({"docsPath": site}));
    assert!(
        article.starts_with("https://learn.microsoft.com/"),
        "{article}"
    );
    let article = documentation_target(json!({}));
    assert!(
        article.starts_with("https://learn.microsoft.com/"),
        "{article}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
