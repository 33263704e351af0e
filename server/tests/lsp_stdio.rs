//! The real binary over stdio: the protocol as editors speak it.
mod support;

use serde_json::{json, Value};
use support::fixture::{self, compare, parse, render, Mark};
use support::{bare_caps, char_col, full_caps, Client};

const LOG: &str = "file:///tmp/freebusy-e2e/trace.log";

/// Each diagnostic as a mark, with its message.
fn marks_of(text: &str, lines: &[String], diags: &[Value], utf8: bool) -> Vec<(Mark, String)> {
    diags
        .iter()
        .map(|d| {
            let (line, start) = char_col(text, &d["range"]["start"], utf8);
            let (end_line, end) = char_col(text, &d["range"]["end"], utf8);
            let end = if end_line == line {
                end
            } else {
                lines[line].chars().count()
            };
            let mark = Mark {
                line,
                start,
                end: end.max(start + 1),
                code: d["code"].as_str().unwrap().to_string(),
                low: d["data"]["confidence"] == "low",
                message: None,
            };
            (mark, d["message"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

/// Every scan fixture through the server: same findings, in UTF-8 and UTF-16, LF and CRLF.
#[test]
fn fixtures_through_the_protocol() {
    let files = fixture::analysis_files();
    let mut failures = Vec::new();
    for (utf8, encodings) in [(true, vec!["utf-8", "utf-16"]), (false, vec!["utf-16"])] {
        for crlf in [false, true] {
            let mut client = Client::start();
            let init = client.initialize(full_caps(&encodings));
            let negotiated = &init["result"]["capabilities"]["positionEncoding"];
            assert_eq!(negotiated, if utf8 { "utf-8" } else { "utf-16" });
            for (i, path) in files.iter().enumerate() {
                let mut fx = parse(&std::fs::read_to_string(path).unwrap());
                if crlf {
                    fx.text = fx.text.replace('\n', "\r\n");
                }
                let ext = if path.extension().is_some_and(|e| e == "ps1") {
                    "ps1"
                } else {
                    "log"
                };
                let uri = format!("file:///tmp/freebusy-e2e/{i}.{ext}");
                client.open(&uri, &fx.text);
                let diags = client.diagnostics(&uri, Some(1));
                for d in &diags {
                    assert_eq!(d["source"], "freebusy-lsp");
                    assert!(d["codeDescription"]["href"]
                        .as_str()
                        .unwrap()
                        .starts_with("https://"));
                    assert_eq!(d["data"]["code"], d["code"]);
                }
                let found = marks_of(&fx.text, &fx.lines, &diags, utf8);
                if let Err(got) = compare(&fx, found) {
                    failures.push(format!(
                        "{} (utf8={utf8}, crlf={crlf}):\n--- expected\n{}--- via LSP\n{}",
                        path.display(),
                        render(&fx, &fx.marks),
                        render(&fx, &got)
                    ));
                }
            }
            assert!(client.stop().success());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const THREE_ERRORS: &str = "\
2024-05-01 10:00:01 INFO  availability request started
2024-05-01 10:00:02 ERROR Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.
2024-05-01 10:00:03 INFO  retrying
2024-05-01 10:00:04 INFO  still retrying
2024-05-01 10:00:05 INFO  retry scheduled
2024-05-01 10:00:06 ERROR Proxy web request failed.
2024-05-01 10:00:07 INFO  one
2024-05-01 10:00:08 INFO  two
2024-05-01 10:00:09 INFO  three
2024-05-01 10:00:10 ERROR System.Net.WebException: The remote server returned an error: (401) Unauthorized.
";

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// Applies a WorkspaceEdit's text edits for `uri` to `text` (edits are insertions here).
fn apply_inserts(text: &str, edits: &[Value]) -> String {
    let mut out = text.to_string();
    for e in edits.iter().rev() {
        let (line, col) = char_col(&out, &e["range"]["start"], false);
        let line_start: usize = out.split_inclusive('\n').take(line).map(str::len).sum();
        let at = line_start
            + out[line_start..]
                .chars()
                .take(col)
                .map(char::len_utf8)
                .sum::<usize>();
        out.insert_str(at, e["newText"].as_str().unwrap());
    }
    out
}

#[test]
fn a_session_from_open_to_exit() {
    let mut client = Client::start();
    let init = client.initialize(full_caps(&["utf-16"]));
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert!(
        caps["diagnosticProvider"].is_null(),
        "push mode for a client without pull support"
    );

    client.open(LOG, THREE_ERRORS);
    let diags = client.diagnostics(LOG, Some(1));
    assert_eq!(codes(&diags), ["FB012", "FB091", "FB090"]);
    assert_eq!(diags[0]["range"]["start"]["line"], 1);
    assert_eq!(diags[0]["severity"], 1);
    assert_eq!(diags[1]["severity"], 3, "triage findings are Information");

    // Hover on the FB012 finding shows its card.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": LOG}, "position": {"line": 1, "character": 60}}),
    );
    let card = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(card.contains("FB012"), "{card}");
    assert!(
        card.contains("Set-AuthConfig -PublishCertificate"),
        "{card}"
    );
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");

    // Code actions: a remediation script beside the log, created then filled.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": LOG}, "range": diags[0]["range"], "context": {"diagnostics": [diags[0]]}}),
    );
    let actions = actions["result"].as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    assert!(fix["title"].as_str().unwrap().starts_with("FB012: "));
    let ops = fix["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops[0]["kind"], "create");
    assert_eq!(
        ops[0]["uri"],
        "file:///tmp/freebusy-e2e/trace.remediation.ps1"
    );
    let script = apply_inserts("", ops[1]["edits"].as_array().unwrap());
    assert!(script.contains("New-ExchangeCertificate"), "{script}");
    assert!(
        script.contains("Set-AuthConfig -ClearPreviousCertificate"),
        "{script}"
    );
    let plan = actions
        .iter()
        .find(|a| a["kind"] == "source")
        .expect("the plan action");
    assert_eq!(
        plan["command"]["command"],
        "freebusy.createRemediationScript"
    );
    assert_eq!(plan["command"]["arguments"][0], LOG);
    let doc = actions
        .iter()
        .find(|a| a["title"] == "FB012: Show documentation")
        .expect("documentation action");
    assert_eq!(doc["command"]["command"], "freebusy.showDocumentation");

    // Show documentation asks the client to open the article section.
    let id = client.start_request(
        "workspace/executeCommand",
        json!({"command": "freebusy.showDocumentation", "arguments": doc["command"]["arguments"]}),
    );
    let show = client.wait_for(|m| m["method"] == "window/showDocument");
    client.reply(&show, json!({"success": true}));
    assert!(client.response(id).get("error").is_none());
    assert_eq!(show["params"]["external"], true);
    assert!(show["params"]["uri"]
        .as_str()
        .unwrap()
        .contains("#the-request-failed-with-http-status-401"));

    // Delete line 2 (the FB012 line): the finding disappears, the others move up a line.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": LOG, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 0}}, "text": ""}
        ]}),
    );
    let diags = client.diagnostics(LOG, Some(2));
    assert_eq!(codes(&diags), ["FB091", "FB090"]);
    assert_eq!(diags[0]["range"]["start"]["line"], 4);

    // An edit far past the end is clamped to the end, not a crash.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": LOG, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": 999, "character": 5}, "end": {"line": 999, "character": 9}},
             "text": "Failed to get ASURL. Error 8004010F.\n"}
        ]}),
    );
    let diags = client.diagnostics(LOG, Some(3));
    assert_eq!(codes(&diags), ["FB091", "FB090", "FB026"]);

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": LOG}}),
    );
    assert!(
        client.diagnostics(LOG, None).is_empty(),
        "diagnostics cleared on close"
    );
    assert!(client.stop().success());
}

#[test]
fn without_file_creation_the_fix_is_appended_to_the_document() {
    let mut client = Client::start();
    client.initialize(bare_caps());
    client.open(LOG, THREE_ERRORS);
    let diags = client.diagnostics(LOG, Some(1));
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": LOG}, "range": diags[0]["range"], "context": {"diagnostics": [diags[0]]}}),
    );
    let fix = &actions["result"][0];
    let edits = fix["edit"]["changes"][LOG].as_array().unwrap();
    let after = apply_inserts(THREE_ERRORS, edits);
    assert!(after.starts_with(THREE_ERRORS));
    assert!(after[THREE_ERRORS.len()..].contains("Set-AuthConfig -PublishCertificate"));
    assert!(client.stop().success());
}

#[test]
fn in_a_script_the_fix_goes_below_the_line() {
    let uri = "file:///tmp/freebusy-e2e/fix.ps1";
    let text = "# Test-OAuthConnectivity said: OAuthTokenRequestFailedException: Missing signing certificate\nGet-AuthConfig | FL\n";
    let mut client = Client::start();
    client.initialize(full_caps(&["utf-16"]));
    client.open(uri, text);
    let diags = client.diagnostics(uri, Some(1));
    assert_eq!(codes(&diags), ["FB012"]);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": diags}}),
    );
    let edits = actions["result"][0]["edit"]["changes"][uri]
        .as_array()
        .unwrap();
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 1, "character": 0})
    );
    let after = apply_inserts(text, edits);
    let lines: Vec<&str> = after.lines().collect();
    assert!(lines[1].starts_with("# --- FB012"), "{after}");
    assert_eq!(lines.last(), Some(&"Get-AuthConfig | FL"));
    // "Suppress on this line" writes the comment above; with it, the finding is gone.
    let suppress = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "FB012: Suppress on this line")
        .expect("a suppression action")
        .clone();
    let edits = suppress["edit"]["changes"][uri].as_array().unwrap();
    let suppressed = apply_inserts(text, edits);
    assert!(
        suppressed.starts_with("# freebusy-lsp: disable-next-line FB012\n# Test-OAuth"),
        "{suppressed}"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": suppressed}]}),
    );
    assert!(client.diagnostics(uri, Some(2)).is_empty());
    assert!(client.stop().success());
}

#[test]
fn pull_diagnostics_when_the_client_asks_for_them() {
    let mut client = Client::start();
    let mut caps = full_caps(&["utf-16"]);
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    let init = client.initialize(caps);
    assert_eq!(
        init["result"]["capabilities"]["diagnosticProvider"]["identifier"],
        "freebusy-lsp"
    );
    client.open(LOG, THREE_ERRORS);
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": LOG}}),
    );
    assert_eq!(report["result"]["kind"], "full");
    assert_eq!(
        codes(report["result"]["items"].as_array().unwrap()),
        ["FB012", "FB091", "FB090"]
    );
    assert!(client.stop().success());
}

#[test]
fn hostile_input_gets_answers_not_crashes() {
    let mut client = Client::start();
    client.initialize(bare_caps());
    // Control characters, NULs, lone surrogates are impossible in JSON strings, but everything else goes.
    let binary: String = (0u8..=255)
        .map(|b| b as char)
        .cycle()
        .take(200_000)
        .collect();
    client.open("file:///tmp/freebusy-e2e/blob.bin", &binary);
    client.diagnostics("file:///tmp/freebusy-e2e/blob.bin", Some(1));
    let big = "x".repeat(1_000) + "\n";
    let huge = big.repeat(8_000) + "Failed to get ASURL. Error 8004010F.\n";
    client.open("file:///tmp/freebusy-e2e/huge.log", &huge);
    let diags = client.diagnostics("file:///tmp/freebusy-e2e/huge.log", Some(1));
    assert_eq!(codes(&diags), ["FB026"]);
    assert_eq!(diags[0]["range"]["start"]["line"], 8_000);
    // Requests about documents the server never saw, and positions far outside one.
    let r = client.request("textDocument/hover", json!({"textDocument": {"uri": "file:///nowhere"}, "position": {"line": 0, "character": 0}}));
    assert!(r["result"].is_null());
    let r = client.request("textDocument/hover", json!({"textDocument": {"uri": "file:///tmp/freebusy-e2e/huge.log"}, "position": {"line": 4_000_000, "character": 4_000_000}}));
    assert!(r.get("error").is_none(), "{r}");
    let r = client.request(
        "workspace/executeCommand",
        json!({"command": "freebusy.nope", "arguments": []}),
    );
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("unknown command"));
    assert!(client.stop().success());
}

/// Labels offered at the `¦` in `line` of a PowerShell document.
fn completions(client: &mut Client, uri: &str, version: i64, line: &str) -> Vec<String> {
    let col = line.find('¦').unwrap();
    let text = line.replace('¦', "");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    );
    let r = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": col}}),
    );
    let items = r["result"].as_array().cloned().unwrap_or_default();
    for i in &items {
        let edit = &i["textEdit"];
        assert_eq!(
            edit["range"]["end"]["character"], col,
            "the edit ends at the cursor: {i}"
        );
    }
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_of_cmdlets_parameters_and_values() {
    let uri = "file:///tmp/freebusy-e2e/complete.ps1";
    let mut client = Client::start();
    let init = client.initialize(full_caps(&["utf-16"]));
    assert_eq!(
        init["result"]["capabilities"]["completionProvider"]["triggerCharacters"],
        json!(["-"])
    );
    client.open(uri, "");
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("Get-IntraOrg¦", &["Get-IntraOrganizationConnector", "Get-IntraOrganizationConfiguration"], &["Set-AuthConfig"]),
        ("Test-OAuthConnectivity -Serv¦", &["-Service"], &["-Mailbox"]),
        ("Test-OAuthConnectivity -Service ¦", &["EWS", "AutoD"], &[]),
        ("Set-MailboxFolderPermission -Identity jon@contoso.com:\\Calendar -User Default -AccessRights Av¦", &["AvailabilityOnly"], &["LimitedDetails"]),
        ("Start-ADSyncSyncCycle -PolicyType ¦", &["Delta", "Initial"], &[]),
        ("Get-FederationTrust | Set-FederationTrust -Ref¦", &["-RefreshMetadata"], &[]),
        ("Set-AuthConfig -PublishCertificate -¦", &["-ClearPreviousCertificate"], &["-PublishCertificate"]),
        ("<# rotate #> Set-AuthConfig -Publ¦", &["-PublishCertificate"], &[]),
    ];
    for (i, (line, want, not)) in cases.iter().enumerate() {
        let got = completions(&mut client, uri, i as i64 + 2, line);
        for w in *want {
            assert!(
                got.iter().any(|g| g == w),
                "{line}: {w} missing from {got:?}"
            );
        }
        for n in *not {
            assert!(
                !got.iter().any(|g| g == n),
                "{line}: {n} should not be offered: {got:?}"
            );
        }
    }
    // Not in a log.
    client.open(LOG, "Set-AuthConfig -");
    let r = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": LOG}, "position": {"line": 0, "character": 16}}),
    );
    assert!(r["result"].is_null());
    assert!(client.stop().success());
}

#[test]
fn hover_on_a_cmdlet_and_a_parameter() {
    let uri = "file:///tmp/freebusy-e2e/hover.ps1";
    let mut client = Client::start();
    client.initialize(full_caps(&["utf-16"]));
    client.open(
        uri,
        "Set-AuthConfig -PublishCertificate\nTest-OAuthConnectivity -Service EWS\n",
    );
    client.diagnostics(uri, Some(1));
    let on = |client: &mut Client, line: u32, character: u32| {
        let r = client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}));
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let card = on(&mut client, 0, 4);
    assert!(card.starts_with("### Set-AuthConfig"), "{card}");
    assert!(card.contains("on-premises"), "{card}");
    let param = on(&mut client, 1, 26);
    assert!(
        param.contains("-Service") && param.contains("`EWS`"),
        "{param}"
    );
    assert!(client.stop().success());
}

/// Incremental re-parses after many small edits give what a fresh parse of the result gives.
#[test]
fn incremental_edits_match_a_fresh_analysis() {
    let uri = "file:///tmp/freebusy-e2e/edit.ps1";
    let fresh = "file:///tmp/freebusy-e2e/fresh.ps1";
    let mut client = Client::start();
    client.initialize(full_caps(&["utf-16"]));
    let mut text = String::from("Write-Host start\niisreset /noforce\n");
    client.open(uri, &text);
    client.diagnostics(uri, Some(1));
    // (line, character, delete count, insert): typing and deleting across lines.
    let edits: &[(u32, u32, u32, &str)] = &[
        (1, 8, 9, ""),
        (2, 0, 0, "iisreset\n"),
        (0, 0, 0, "# Proxy web request failed.\n"),
        (3, 8, 0, " /noforce"),
        (1, 0, 0, "iisreset.exe /restart\n"),
        (0, 2, 5, ""),
    ];
    for (k, (line, ch, del, ins)) in edits.iter().enumerate() {
        let version = k as i64 + 2;
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {
                "start": {"line": line, "character": ch}, "end": {"line": line, "character": ch + del}}, "text": ins}]}),
        );
        let start: usize = text
            .split_inclusive('\n')
            .take(*line as usize)
            .map(str::len)
            .sum::<usize>()
            + *ch as usize;
        text.replace_range(start..start + *del as usize, ins);
        let incremental = client.diagnostics(uri, Some(version));
        client.open(fresh, &text);
        let reference = client.diagnostics(fresh, Some(1));
        assert_eq!(
            incremental
                .iter()
                .map(|d| (d["code"].clone(), d["range"].clone()))
                .collect::<Vec<_>>(),
            reference
                .iter()
                .map(|d| (d["code"].clone(), d["range"].clone()))
                .collect::<Vec<_>>(),
            "after edit {k}: {text:?}"
        );
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": fresh}}),
        );
        client.diagnostics(fresh, None);
    }
    assert!(text.contains("iisreset.exe /restart"));
    assert!(client.stop().success());
}

/// Reads publishes for LOG until one satisfies `done` (each read waits at most the client's timeout).
fn latest(client: &mut Client, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..5 {
        let diags = client.diagnostics(LOG, Some(1));
        if done(&diags) {
            return diags;
        }
    }
    panic!("diagnostics never reached the expected state");
}

#[test]
fn settings_from_init_options_configuration_and_changes() {
    let mut client = Client::start();
    let mut caps = full_caps(&["utf-16"]);
    caps["workspace"]["configuration"] = json!(true);
    // The client's configuration wins over initializationOptions once pulled at `initialized`.
    client.configuration = json!({"codes": {"disabled": ["FB091"]}, "severity": {"FB012": "hint"}});
    let r = client.request(
        "initialize",
        json!({"processId": null, "capabilities": caps,
        "initializationOptions": {"freebusyLsp": {"codes": {"disabled": ["FB012"]}}}}),
    );
    assert!(r.get("error").is_none());
    client.notify("initialized", json!({}));
    let ask = client.wait_for(|m| m["method"] == "workspace/configuration");
    assert_eq!(ask["params"]["items"][0]["section"], "freebusyLsp");
    let answer = json!([client.configuration]);
    client.reply(&ask, answer);
    client.open(LOG, THREE_ERRORS);
    // The first publish may race the configuration answer; the settings win in the end.
    let diags = latest(&mut client, |d| codes(d) == ["FB012", "FB090"]);
    assert_eq!(diags[0]["severity"], 4, "FB012 shown as a hint");
    // Settings pushed in the notification apply live.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"freebusyLsp": {"codes": {"disabled": ["FB090"]}, "locale": "sv"}}}),
    );
    let diags = latest(&mut client, |d| codes(d) == ["FB012", "FB091"]);
    assert_eq!(codes(&diags), ["FB012", "FB091"]);
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Begäran misslyckades"),
        "{}",
        diags[0]["message"]
    );
    // A bare notification means "ask me": the server pulls the configuration again.
    client.configuration = json!({"codes": {"disabled": []}});
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    latest(&mut client, |d| codes(d) == ["FB012", "FB091", "FB090"]);
    assert!(client.stop().success());
}

#[test]
fn commands_list_explain_and_write_a_remediation_script() {
    let mut client = Client::start();
    let init = client.initialize(full_caps(&["utf-16"]));
    let offered = init["result"]["capabilities"]["executeCommandProvider"]["commands"].clone();
    for c in [
        "freebusy.listCodes",
        "freebusy.explain",
        "freebusy.createRemediationScript",
        "freebusy.showDocumentation",
    ] {
        assert!(
            offered.as_array().unwrap().iter().any(|o| o == c),
            "{c} not offered"
        );
    }
    let list = client.request(
        "workspace/executeCommand",
        json!({"command": "freebusy.listCodes", "arguments": []}),
    );
    let list = list["result"].as_array().unwrap().clone();
    assert!(list
        .iter()
        .any(|e| e["code"] == "FB012" && e["id"] == "oauth-missing-signing-cert"));
    assert!(list.len() >= 34);
    let card = client.request(
        "workspace/executeCommand",
        json!({"command": "freebusy.explain", "arguments": ["FB026"]}),
    );
    assert!(card["result"].as_str().unwrap().starts_with("### FB026"));
    let missing = client.request(
        "workspace/executeCommand",
        json!({"command": "freebusy.explain", "arguments": ["FB999"]}),
    );
    assert!(missing.get("error").is_some());

    let dir = std::env::temp_dir().join(format!("freebusy-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = format!("file://{}/trace.log", dir.display());
    client.open(&log, THREE_ERRORS);
    client.diagnostics(&log, Some(1));
    let id = client.start_request(
        "workspace/executeCommand",
        json!({"command": "freebusy.createRemediationScript", "arguments": [log]}),
    );
    let apply = client.wait_for(|m| m["method"] == "workspace/applyEdit");
    client.reply(&apply, json!({"applied": true}));
    assert_eq!(client.response(id)["result"], true);
    let ops = apply["params"]["edit"]["documentChanges"]
        .as_array()
        .unwrap();
    assert_eq!(ops[0]["kind"], "create");
    assert_eq!(
        ops[0]["uri"],
        format!("file://{}/trace.remediation.ps1", dir.display())
    );
    assert_eq!(ops[0]["options"]["overwrite"], false);
    let script = ops[1]["edits"][0]["newText"].as_str().unwrap();
    for part in [
        "FB012",
        "(line 2)",
        "Set-AuthConfig -PublishCertificate",
        "(line 6)",
        "(line 10)",
        "# Verify",
    ] {
        assert!(script.contains(part), "{part} missing from\n{script}");
    }
    // An existing file is never overwritten: the next free name is used.
    std::fs::write(dir.join("trace.remediation.ps1"), "# mine\n").unwrap();
    let id = client.start_request(
        "workspace/executeCommand",
        json!({"command": "freebusy.createRemediationScript", "arguments": [log]}),
    );
    let apply = client.wait_for(|m| m["method"] == "workspace/applyEdit");
    client.reply(&apply, json!({"applied": true}));
    client.response(id);
    assert!(apply["params"]["edit"]["documentChanges"][0]["uri"]
        .as_str()
        .unwrap()
        .ends_with("trace.remediation-2.ps1"));
    assert!(client.stop().success());
}

#[test]
fn outline_groups_findings_by_code() {
    let mut client = Client::start();
    let mut caps = full_caps(&["utf-16"]);
    caps["textDocument"]["documentSymbol"] = json!({"hierarchicalDocumentSymbolSupport": true});
    client.initialize(caps);
    let text = format!("{THREE_ERRORS}\n2024-05-03 ERROR Proxy web request failed.\n");
    client.open(LOG, &text);
    client.diagnostics(LOG, Some(1));
    let r = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": LOG}}),
    );
    let groups = r["result"].as_array().unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert!(
        names[0].starts_with("FB012 ") && names[0].ends_with("(1)"),
        "{names:?}"
    );
    let fb091 = groups
        .iter()
        .find(|g| g["name"].as_str().unwrap().starts_with("FB091"))
        .unwrap();
    assert!(fb091["name"].as_str().unwrap().ends_with("(2)"));
    let lines: Vec<&str> = fb091["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        lines[0].starts_with("line 6: ") && lines[1].starts_with("line 12: "),
        "{lines:?}"
    );
    assert!(client.stop().success());
}
