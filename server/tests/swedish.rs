//! Cards in Swedish: the language follows `--lang`, the POSIX locale, the client's `locale` and
//! the `freebusyLsp.locale` setting; commands stay exactly as in English.
mod support;

use freebusy_lsp::capture::Captures;
use freebusy_lsp::knowledge::catalog;
use freebusy_lsp::render;
use serde_json::{json, Value};
use std::process::{Command, Output};
use support::{full_caps, Client};

/// The article's FB012 message, in English: the card language is the reader's, not the log's.
const FB012_LOG: &str = "\
System.Net.WebException: The request failed with HTTP status 401: Unauthorized.
Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.
";

/// Runs the binary with the locale variables set to `env` only (the rest of the environment kept).
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"));
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied()).args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn temp_log() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("freebusy-sv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("trace.log");
    std::fs::write(&path, FB012_LOG).unwrap();
    path
}

#[test]
fn explain_in_swedish_by_flag_and_by_environment() {
    // The card's Markdown (--format markdown); the rendered text is tested in cli_output.rs.
    let sv = stdout(&run(
        &["explain", "--format", "markdown", "FB012", "--lang", "sv"],
        &[],
    ));
    assert!(
        sv.starts_with("### FB012 · Begäran misslyckades med HTTP-status 401"),
        "{sv}"
    );
    for part in [
        "**Varför det händer**",
        "**Så bekräftar du orsaken**",
        "**Åtgärd: Skapa ett nytt Auth-certifikat",
        "*Exchange Management Shell (lokalt)*",
        "*fel · molnet → lokalt · `oauth-missing-signing-cert`*",
        "Auth-certifikatet som",
        "[Avsnitt i artikeln](https://learn.microsoft.com/",
    ] {
        assert!(sv.contains(part), "missing {part:?}:\n{sv}");
    }
    // Commands are the same in both languages.
    assert!(
        sv.contains("   Set-AuthConfig -PublishCertificate\n"),
        "{sv}"
    );
    assert!(!sv.contains("How to confirm") && !sv.contains("Why it happens"));

    let by_env = stdout(&run(
        &["explain", "--format=markdown", "FB012"],
        &[("LANG", "sv_SE.UTF-8")],
    ));
    assert_eq!(by_env, sv);
    let by_lc_messages = stdout(&run(
        &[
            "explain",
            "--format=markdown",
            "--lang=sv",
            "oauth-missing-signing-cert",
        ],
        &[("LC_MESSAGES", "en_US.UTF-8")],
    ));
    assert_eq!(by_lc_messages, sv);

    // LC_ALL wins over LANG; the flag wins over both.
    let en = stdout(&run(
        &["explain", "--format=markdown", "FB012"],
        &[("LC_ALL", "C"), ("LANG", "sv_SE.UTF-8")],
    ));
    assert!(en.contains("**How to confirm**"), "{en}");
    let flag = stdout(&run(
        &["explain", "--lang", "en", "--format=markdown", "FB012"],
        &[("LANG", "sv_SE.UTF-8")],
    ));
    assert_eq!(flag, en);
}

#[test]
fn an_unknown_language_is_a_usage_error() {
    let out = run(&["explain", "FB012", "--lang", "fr"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lang takes 'sv' or 'en'"));
    let out = run(&["check", "--lang"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_list_check_and_plan_follow_the_language() {
    let list = stdout(&run(&["explain"], &[("LANG", "sv_SE.UTF-8")]));
    assert!(
        list.lines()
            .any(|l| l.starts_with("FB012") && l.contains("signeringscertifikat saknas")),
        "{list}"
    );
    let log = temp_log();
    let log = log.to_str().unwrap();
    let check = run(&["check", "--lang", "sv", log], &[]);
    assert_eq!(check.status.code(), Some(1));
    let check = String::from_utf8(check.stdout).unwrap();
    assert!(
        check.contains("error FB012: Begäran misslyckades med HTTP-status 401"),
        "{check}"
    );
    assert!(
        check.contains("= förklaring: freebusy-lsp explain FB012"),
        "{check}"
    );
    assert!(
        check.contains("= åtgärda i Exchange Management Shell (lokalt): New-ExchangeCertificate"),
        "{check}"
    );
    // --format= after --lang keeps the language of the messages' source, JSON stays English.
    let json = run(&["check", "--lang", "sv", "--format=json", log], &[]);
    let found: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(found[0]["code"], "FB012");

    let plan = stdout(&run(&["plan", log], &[("LC_ALL", "sv_SE.UTF-8")]));
    assert!(plan.starts_with("# Åtgärdsskript för trace.log"), "{plan}");
    assert!(plan.contains("# Körs i: Exchange Management Shell (lokalt)"));
    assert!(plan.contains("# Kontrollera:") && plan.contains("# Åtgärda:"));
    assert!(plan.contains("(rad 1)"), "{plan}");
    assert!(
        plan.contains("\nSet-AuthConfig -PublishCertificate\n"),
        "{plan}"
    );
}

/// Every card reads in Swedish with no English heading left, and carries the same commands.
#[test]
fn every_card_in_swedish_keeps_its_commands() {
    let english_words = [
        "**How to confirm**",
        "**Why it happens**",
        "**Why it matters**",
        "**Fix: ",
        "**Related:**",
        "[Article section]",
        "*Exchange Management Shell (on-premises)*",
    ];
    for entry in catalog().entries() {
        let sv = render::card(entry, "sv", &Captures::new());
        let en = render::card(entry, "en", &Captures::new());
        assert_ne!(sv, en, "{}", entry.code);
        for word in english_words {
            assert!(!sv.contains(word), "{}: {word} in\n{sv}", entry.code);
        }
        let commands = |card: &str| -> Vec<String> {
            card.lines()
                .filter(|l| l.starts_with("   ") && !l.trim_start().starts_with("```"))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(commands(&sv), commands(&en), "{}", entry.code);
    }
    for cmdlet in catalog().cmdlets() {
        let sv = render::cmdlet_card(cmdlet, "sv");
        assert_ne!(sv, render::cmdlet_card(cmdlet, "en"), "{}", cmdlet.name);
        assert!(!sv.contains("Key parameters"), "{sv}");
    }
}

fn initialize(client: &mut Client, locale: &str, options: Value) {
    let r = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": full_caps(&["utf-16"]),
               "locale": locale, "initializationOptions": options}),
    );
    assert!(r.get("error").is_none(), "{r}");
    client.notify("initialized", json!({}));
}

fn hover(client: &mut Client, uri: &str, line: u32, character: u32) -> String {
    let r = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    );
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn quick_fix_titles(client: &mut Client, uri: &str, diag: &Value) -> Vec<String> {
    let r = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
    );
    r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_swedish_client_gets_swedish_hovers_and_quick_fixes() {
    let log = "file:///tmp/freebusy-sv/trace.log";
    let script = "file:///tmp/freebusy-sv/fix.ps1";
    let mut client = Client::start();
    initialize(&mut client, "sv-SE", Value::Null);
    client.open(log, FB012_LOG);
    let diags = client.diagnostics(log, Some(1));
    let fb012 = diags.iter().find(|d| d["code"] == "FB012").expect("FB012");
    assert!(
        fb012["message"]
            .as_str()
            .unwrap()
            .starts_with("Begäran misslyckades med HTTP-status 401"),
        "{fb012}"
    );
    let card = hover(&mut client, log, 1, 60);
    assert!(card.contains("**Så bekräftar du orsaken**"), "{card}");
    assert!(
        card.contains("Set-AuthConfig -PublishCertificate"),
        "{card}"
    );

    let titles = quick_fix_titles(&mut client, log, fb012);
    assert!(
        titles.contains(&"FB012: Skapa ett nytt Auth-certifikat, byt AuthConfig till det och lämna över det till Exchange Online (lägg till i åtgärdsskriptet)".to_string()),
        "{titles:?}"
    );
    assert!(titles.contains(&"FB012: Undertryck på den här raden".to_string()));
    assert!(titles.contains(&"FB012: Visa dokumentationen".to_string()));

    // Cmdlet and parameter hovers in a script.
    client.open(script, "Set-AuthConfig -PublishCertificate\n");
    client.diagnostics(script, Some(1));
    let cmdlet = hover(&mut client, script, 0, 4);
    assert!(
        cmdlet.contains("*körs i Exchange Management Shell (lokalt)*"),
        "{cmdlet}"
    );
    assert!(cmdlet.contains("**Viktiga parametrar**"), "{cmdlet}");
    let param = hover(&mut client, script, 0, 20);
    assert!(
        param.contains("Gör det nya certifikatet aktuellt"),
        "{param}"
    );
    assert!(client.stop().success());
}

#[test]
fn the_setting_overrides_the_client_locale() {
    let log = "file:///tmp/freebusy-sv/override.log";
    let mut client = Client::start();
    initialize(
        &mut client,
        "sv-SE",
        json!({"freebusyLsp": {"locale": "en"}}),
    );
    client.open(log, FB012_LOG);
    let diags = client.diagnostics(log, Some(1));
    let fb012 = diags.iter().find(|d| d["code"] == "FB012").expect("FB012");
    assert!(fb012["message"]
        .as_str()
        .unwrap()
        .starts_with("The request failed"));
    let card = hover(&mut client, log, 1, 60);
    assert!(card.contains("**How to confirm**"), "{card}");
    assert!(client.stop().success());

    // And the other way: an English client that asks for Swedish.
    let mut client = Client::start();
    initialize(
        &mut client,
        "en-US",
        json!({"freebusyLsp": {"locale": "sv"}}),
    );
    client.open(log, FB012_LOG);
    client.diagnostics(log, Some(1));
    let card = hover(&mut client, log, 1, 60);
    assert!(card.contains("**Så bekräftar du orsaken**"), "{card}");
    assert!(client.stop().success());
}
