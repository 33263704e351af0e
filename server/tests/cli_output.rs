//! What `check`, `explain` and `plan` print for people, run through the binary: the summary
//! line, `--fail-on`, JSON Lines, candidates with titles, checks labelled as checks, the
//! terminal's width, explain's rendering, and a remediation script without repeats or Markdown.
use freebusy_lsp::knowledge::catalog;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A usage error ends the process before it reads stdin: a closed pipe is no failure here.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../examples/hybrid-freebusy.log"
);

/// A bare `Proxy web request failed.`: FB091 alone, a low-confidence information.
const TRIAGE_ONLY: &str = "2024-05-03T07:09:44Z WARN  Proxy web request failed.\n";

/// An OAuth test whose failure text is in no card.
const UNEXPLAINED_OAUTH_TEST: &str = "\
PS C:\\> Test-OAuthConnectivity -Service EWS -TargetUri https://mail.contoso.com/ews/exchange.asmx -Mailbox anna@contoso.com -Verbose | FL

Task        : Checking EWS API Call Under Oauth
Detail      : Something no catalog entry describes happened.
ResultType  : Error
Identity    : Microsoft.Exchange.Security.OAuth.ValidationResultNodeId
";

#[test]
fn the_summary_line_counts_what_was_reported() {
    let json: Vec<Value> =
        serde_json::from_slice(&run(&["check", "--format", "json", EXAMPLE], "").stdout).unwrap();
    let count = |s: &str| json.iter().filter(|f| f["severity"] == s).count();
    let text = stdout(&run(&["check", EXAMPLE], ""));
    let last = text.lines().last().unwrap();
    let mut parts = Vec::new();
    for (word, one, many) in [
        ("error", "error", "errors"),
        ("warning", "warning", "warnings"),
        ("info", "information", "information"),
    ] {
        let n = count(word);
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    assert!(json.len() > 1);
    assert_eq!(
        last,
        format!("{} findings: {}", json.len(), parts.join(", "))
    );
    let sv = stdout(&run(&["check", "--lang", "sv", EXAMPLE], ""));
    assert!(sv
        .lines()
        .last()
        .unwrap()
        .starts_with(&format!("{} fynd: ", json.len())));
}

#[test]
fn a_low_confidence_information_alone_fails_only_when_asked() {
    let status = |args: &[&str]| {
        run(&[&["check"], args, &["-"]].concat(), TRIAGE_ONLY)
            .status
            .code()
    };
    assert_eq!(status(&[]), Some(0));
    assert_eq!(status(&["--fail-on", "info"]), Some(0));
    assert_eq!(status(&["--fail-on", "any"]), Some(1));
    assert_eq!(status(&["--fail-on=any"]), Some(1));
    assert_eq!(status(&["--fail-on", "sometimes"]), Some(2));
    // The example holds errors: any level but none fails on them.
    let example = |level: &str| {
        run(&["check", "--fail-on", level, EXAMPLE], "")
            .status
            .code()
    };
    assert_eq!(example("error"), Some(1));
    assert_eq!(example("warning"), Some(1));
}

#[test]
fn json_lines_carry_the_same_objects_as_the_json_array() {
    let array: Vec<Value> =
        serde_json::from_slice(&run(&["check", "--format", "json", EXAMPLE], "").stdout).unwrap();
    let lines = stdout(&run(&["check", "--format", "jsonl", EXAMPLE], ""));
    let objects: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects, array);
    let empty = run(&["check", "--format", "jsonl", "-"], "nothing here\n");
    assert!(empty.stdout.is_empty());
}

#[test]
fn could_be_lists_the_candidates_in_order_with_their_titles() {
    let text = stdout(&run(&["check", "--fail-on", "any", "-"], TRIAGE_ONLY));
    let entry = catalog().find("FB091").unwrap();
    let mut codes = entry.candidates.clone();
    codes.sort();
    let at = text.find("= could be:").expect(&text);
    let listed: Vec<&str> = text[at..].lines().skip(1).take(codes.len()).collect();
    for (line, code) in listed.iter().zip(&codes) {
        let title = catalog().get(*code).unwrap().title.get("en").unwrap();
        assert_eq!(line.trim(), format!("{code}  {title}"));
    }
}

#[test]
fn a_command_that_only_tests_is_a_check_and_fits_the_failed_test() {
    let text = stdout(&run(&["check", "-"], UNEXPLAINED_OAUTH_TEST));
    assert!(
        text.contains("= check in Exchange Online PowerShell: Test-OAuthConnectivity"),
        "{text}"
    );
    assert!(!text.contains("Test-FederationTrust"), "{text}");
    // Nowhere in the example is a test or a query offered as a fix.
    let example = stdout(&run(&["check", EXAMPLE], ""));
    for line in example.lines().filter(|l| l.contains("= fix in ")) {
        let run = line.split_once(": ").map_or("", |(_, r)| r);
        assert!(
            !run.starts_with("Test-") && !run.starts_with("Get-"),
            "{line}"
        );
    }
    // A test failure a card explains points at that card, not at another test.
    let proven = example
        .split("\n\n")
        .find(|b| b.contains(" FB306: "))
        .unwrap();
    assert!(
        !proven.contains("= fix in") && !proven.contains("= check in"),
        "{proven}"
    );
}

#[test]
fn the_log_summary_reads_well_and_links_to_the_article() {
    let text = stdout(&run(&["check", EXAMPLE], ""));
    let summary = text.lines().find(|l| l.contains(" FB200: ")).unwrap();
    assert!(!summary.contains("0 requests"), "{summary}");
    assert!(
        summary.contains("responses only, no request captured"),
        "{summary}"
    );
    let doc = &catalog().find("FB200").unwrap().doc;
    assert!(
        !doc.contains('#'),
        "FB200 is about the whole log, not one section: {doc}"
    );
}

#[test]
fn explain_renders_the_card_for_reading_and_keeps_markdown_on_request() {
    let text = stdout(&run(&["explain", "FB012"], ""));
    assert!(text.starts_with("FB012 · "), "{text}");
    assert!(text.lines().nth(1).unwrap().starts_with("====="), "{text}");
    for mark in ["###", "**", "```", "](http"] {
        assert!(!text.contains(mark), "{mark} in\n{text}");
    }
    assert!(
        text.contains("\n       Set-AuthConfig -PublishCertificate\n"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no escape codes when piped");
    let md = stdout(&run(&["explain", "--format", "markdown", "FB012"], ""));
    assert!(md.starts_with("### FB012"));
}

#[test]
fn the_remediation_script_repeats_no_step_and_holds_no_markdown() {
    let plan = stdout(&run(&["plan", EXAMPLE], ""));
    assert!(plan.starts_with("# Remediation script for "), "{plan}");
    for block in plan.split("\n# ===== ").skip(1) {
        let commands: Vec<&str> = block
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        let mut seen = std::collections::HashSet::new();
        for c in &commands {
            assert!(seen.insert(*c), "repeated in a block: {c}\n{block}");
        }
    }
    for line in plan.lines().filter(|l| l.starts_with('#')) {
        assert!(!line.contains('`') && !line.contains("**"), "{line}");
    }
}

#[test]
fn a_terminal_gets_lines_that_fit_its_width() {
    // `script` gives the binary a terminal; without it (not util-linux) there is none to test.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIP: no `script` command to run under a terminal");
        return;
    }
    let command = format!("{} check {EXAMPLE}", env!("CARGO_BIN_EXE_freebusy-lsp"));
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("COLUMNS", "72")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(text.contains("findings: "), "{text}");
    for line in text.lines() {
        // Commands stand on lines of their own, never wrapped: a line break would change them.
        let command = line.starts_with("        ") || line.starts_with("         ");
        assert!(command || line.chars().count() <= 72, "too wide: {line}");
    }
    // Piped, the same finding keeps its long line.
    let piped = stdout(&run(&["check", EXAMPLE], ""));
    assert!(piped.lines().any(|l| l.chars().count() > 72));
}

#[test]
fn each_block_checks_what_its_fix_changes() {
    let plan = stdout(&run(&["plan", EXAMPLE], ""));
    let nouns = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(|l| l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')))
            .filter_map(|w| w.split_once('-'))
            .filter(|(verb, noun)| !verb.is_empty() && noun.len() > 2)
            .map(|(_, noun)| noun.to_ascii_lowercase())
            .collect()
    };
    let mut blocks = 0;
    for block in plan.split("\n# ===== ").skip(1) {
        let (Some(check), Some(fix)) = (block.find("# Check:"), block.find("# Fix:")) else {
            continue;
        };
        blocks += 1;
        let (check, fix) = (&block[check..fix], &block[fix..]);
        // The fix changes what the check reads, or its last step was the check itself: then
        // that step's command is left out and the Verify note follows its comment.
        let shared = nouns(check).iter().any(|n| nouns(fix).contains(n));
        let lines: Vec<&str> = fix.lines().collect();
        let verify = lines.iter().position(|l| l.starts_with("# Verify:"));
        let reran = verify.is_some_and(|i| i > 0 && lines[i - 1].starts_with("# "));
        assert!(shared || reran, "{block}");
    }
    assert!(blocks >= 3, "{plan}");
}
