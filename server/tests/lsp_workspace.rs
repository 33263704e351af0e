//! The server over stdio: `workspace/diagnostic` for the open folder (excludes and the size
//! limit honoured, open documents left to `textDocument/diagnostic`), and "Redact identities
//! in this document" (the source action, `freebusy.redact` in `executeCommandProvider`, the
//! whole document replaced through `workspace/applyEdit`).
mod support;

use serde_json::{json, Value};
use support::{full_caps, Client};

const ERROR: &str = "The remote server returned an error: (401) Unauthorized.\n";

fn initialize(client: &mut Client, folder: &std::path::Path) -> Value {
    let mut caps = full_caps(&["utf-16"]);
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    let uri = format!("file://{}", folder.display());
    let r = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": caps,
               "initializationOptions": {"freebusyLsp": {"workspaceDiagnostics": true}},
               "workspaceFolders": [{"uri": uri, "name": "logs"}]}),
    );
    client.notify("initialized", json!({}));
    r
}

#[test]
fn workspace_diagnostics_cover_the_folder_with_its_excludes() {
    let dir = std::env::temp_dir().join(format!("freebusy-ws-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("ews")).unwrap();
    std::fs::create_dir_all(dir.join("skipped")).unwrap();
    std::fs::write(dir.join("ews/a log.log"), ERROR).unwrap();
    std::fs::write(dir.join("open.log"), ERROR).unwrap();
    std::fs::write(dir.join("skipped/b.log"), ERROR).unwrap();
    std::fs::write(dir.join(".freebusyignore"), "skipped/\n").unwrap();
    // Past the size limit: not read.
    let big = ERROR.repeat((16 << 20) / ERROR.len() + 1);
    std::fs::write(dir.join("huge.log"), big).unwrap();

    let mut client = Client::start();
    let init = initialize(&mut client, &dir);
    assert_eq!(
        init["result"]["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    let open = format!("file://{}/open.log", dir.display());
    client.open(&open, ERROR);
    let report = client.request(
        "workspace/diagnostic",
        json!({"identifier": "freebusy-lsp", "previousResultIds": []}),
    );
    let items = report["result"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"));
    let uris: Vec<&str> = items.iter().map(|i| i["uri"].as_str().unwrap()).collect();
    assert_eq!(
        uris,
        [format!("file://{}/ews/a%20log.log", dir.display())],
        "{report:#}"
    );
    assert_eq!(items[0]["kind"], "full");
    assert!(!items[0]["items"].as_array().unwrap().is_empty());
    assert!(client.stop().success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn redact_is_offered_and_replaces_the_document() {
    let mut client = Client::start();
    let init = client.initialize(full_caps(&["utf-16"]));
    let commands = init["result"]["capabilities"]["executeCommandProvider"]["commands"].clone();
    assert!(commands
        .as_array()
        .unwrap()
        .contains(&json!("freebusy.redact")));
    let uri = "file:///tmp/freebusy-redact-test.log";
    let text = "2024-05-03 mail from jon.doe@contoso.com via 10.20.30.40:\n".to_string() + ERROR;
    client.open(uri, &text);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source"]}}),
    );
    let redact = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["command"]["command"] == "freebusy.redact")
        .unwrap_or_else(|| panic!("{actions:#}"))
        .clone();
    assert_eq!(redact["kind"], "source");
    let id = client.start_request(
        "workspace/executeCommand",
        json!({"command": "freebusy.redact", "arguments": redact["command"]["arguments"]}),
    );
    let edit = client.wait_for(|m| m["method"] == "workspace/applyEdit");
    client.reply(&edit, json!({"applied": true}));
    assert_eq!(client.response(id)["result"], true);
    let change = &edit["params"]["edit"]["changes"][uri][0];
    let new = change["newText"].as_str().unwrap();
    assert!(
        !new.contains("contoso") && !new.contains("10.20.30.40"),
        "{new}"
    );
    assert!(
        new.contains("user1@example.com") && new.contains("192.0.2.1"),
        "{new}"
    );
    assert!(new.ends_with(ERROR));
    assert_eq!(change["range"]["start"], json!({"line": 0, "character": 0}));
    assert_eq!(change["range"]["end"], json!({"line": 2, "character": 0}));
    assert!(client.stop().success());
}
