//! Where the server asks the client to write, and what it reads from disk: the remediation script
//! goes beside its document or nowhere, and special files never hold up a request.
#![cfg(unix)]
mod support;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{full_caps, Client};

const LOG_TEXT: &str = "\
2024-05-01 10:00:02 ERROR Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.
";

/// Where the first inserted fix (FB012) for the document `uri` goes.
#[derive(Debug, PartialEq)]
enum Goes {
    /// Appended to the document itself.
    Appended,
    /// Into the script at this URI, created first or not, at this line.
    Script {
        uri: String,
        create: bool,
        line: u64,
    },
}

fn fix_goes(client: &mut Client, uri: &str) -> Goes {
    client.open(uri, LOG_TEXT);
    let diags = client.diagnostics(uri, Some(1));
    assert_eq!(diags[0]["code"], "FB012", "{uri}: {diags:?}");
    let answer = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": [diags[0]]}}),
    );
    let actions = answer["result"].as_array().expect("code actions");
    // The first quick fix inserts the first remediation route.
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("{uri}: no quick fix in {actions:#?}"));
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    goes(&fix["edit"], uri)
}

fn goes(edit: &Value, doc: &str) -> Goes {
    if let Some(ops) = edit["documentChanges"].as_array() {
        let create = ops[0]["kind"] == "create";
        let text_edit = &ops[ops.len() - 1];
        return Goes::Script {
            uri: text_edit["textDocument"]["uri"].as_str().unwrap().into(),
            create,
            line: text_edit["edits"][0]["range"]["start"]["line"]
                .as_u64()
                .unwrap(),
        };
    }
    let edits = edit["changes"][doc]
        .as_array()
        .expect("an edit of the document");
    assert_eq!(edit["changes"].as_object().unwrap().len(), 1, "{edit}");
    assert!(edits[0]["newText"]
        .as_str()
        .unwrap()
        .contains("Set-AuthConfig"));
    Goes::Appended
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("freebusy-lspfiles-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn a_uri_that_points_elsewhere_gets_the_fix_appended_to_the_document() {
    let mut client = Client::start();
    client.initialize(full_caps(&["utf-16"]));
    for uri in [
        "file:///tmp/freebusy-e2e/a%2F..%2F..%2Fetc%2Fpasswd.log",
        "file:///tmp/freebusy-e2e/a%5C..%5C..%5Cpasswd.log",
        "file:///tmp/freebusy-e2e/%2E%2E/passwd.log",
        "file://fileserver/share/trace.log",
        "https://example.com/x.log",
        "untitled:/x.log",
        "untitled:x",
    ] {
        assert_eq!(fix_goes(&mut client, uri), Goes::Appended, "{uri}");
    }

    // The whole plan too.
    let uri = "file:///tmp/freebusy-e2e/a%2F..%2F..%2Fetc%2Fpasswd.log";
    client.open(uri, LOG_TEXT);
    client.diagnostics(uri, Some(1));
    let id = client.start_request(
        "workspace/executeCommand",
        json!({"command": "freebusy.createRemediationScript", "arguments": [uri]}),
    );
    let apply = client.wait_for(|m| m["method"] == "workspace/applyEdit");
    client.reply(&apply, json!({"applied": false}));
    client.response(id);
    assert_eq!(goes(&apply["params"]["edit"], uri), Goes::Appended);
    assert!(client.stop().success());
}

#[test]
fn a_plain_file_uri_gets_its_script_beside_it_as_spelled() {
    let dir = temp_dir("plain");
    let mut client = Client::start();
    client.initialize(full_caps(&["utf-16"]));
    let uri = format!("file://localhost{}/my%20logs/tr%C3%A4ce.log", dir.display());
    assert_eq!(
        fix_goes(&mut client, &uri),
        Goes::Script {
            uri: format!(
                "file://localhost{}/my%20logs/tr%C3%A4ce.remediation.ps1",
                dir.display()
            ),
            create: true,
            line: 0,
        }
    );
    assert!(client.stop().success());
}

#[test]
fn special_files_at_the_script_name_never_hold_up_a_request() {
    let dir = temp_dir("special");
    let elsewhere = dir.join("elsewhere.ps1");
    std::fs::write(&elsewhere, "# someone else's\n").unwrap();
    let mut client = Client::start();
    client.initialize(full_caps(&["utf-16"]));

    // A FIFO: reading it would wait for a writer forever.
    let fifo = dir.join("fifo.remediation.ps1");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let log = file_uri(&dir.join("fifo.log"));
    assert_eq!(fix_goes(&mut client, &log), Goes::Appended);

    // A link to /dev/zero reads without end; a link elsewhere would write elsewhere.
    for (name, target) in [("zero", Path::new("/dev/zero")), ("link", &elsewhere)] {
        std::os::unix::fs::symlink(target, dir.join(format!("{name}.remediation.ps1"))).unwrap();
        let log = file_uri(&dir.join(format!("{name}.log")));
        assert_eq!(fix_goes(&mut client, &log), Goes::Appended, "{name}");
    }

    // A directory of that name.
    std::fs::create_dir(dir.join("dir.remediation.ps1")).unwrap();
    let log = file_uri(&dir.join("dir.log"));
    assert_eq!(fix_goes(&mut client, &log), Goes::Appended);

    // A regular script is appended to, at its end.
    std::fs::write(dir.join("plain.remediation.ps1"), "# mine\n# two\n").unwrap();
    let log = file_uri(&dir.join("plain.log"));
    assert_eq!(
        fix_goes(&mut client, &log),
        Goes::Script {
            uri: file_uri(&dir.join("plain.remediation.ps1")),
            create: false,
            line: 2,
        }
    );

    // The server still answers, and the plan never goes to the FIFO's name.
    let log = file_uri(&dir.join("fifo.log"));
    client.open(&log, LOG_TEXT);
    client.diagnostics(&log, Some(1));
    let id = client.start_request(
        "workspace/executeCommand",
        json!({"command": "freebusy.createRemediationScript", "arguments": [log]}),
    );
    let apply = client.wait_for(|m| m["method"] == "workspace/applyEdit");
    client.reply(&apply, json!({"applied": false}));
    client.response(id);
    assert_eq!(
        apply["params"]["edit"]["documentChanges"][0]["uri"],
        file_uri(&dir.join("fifo.remediation-2.ps1"))
    );
    assert!(client.stop().success());
}
