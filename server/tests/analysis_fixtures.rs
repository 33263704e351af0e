//! Every fixture under tests/fixtures/{scan,script}: the analysis (error text everywhere, script
//! rules in `.ps1`) must find exactly the marked findings.
mod support;

use freebusy_lsp::analysis::analyse_file;
use freebusy_lsp::finding::{Confidence, Finding};
use freebusy_lsp::knowledge::{catalog, Severity};
use freebusy_lsp::render::message;
use support::fixture::{self, compare, mark_of, parse, render, Mark};

/// What a finding says: the entry's title and the finding's note, as the CLI and LSP show it.
fn said(f: &Finding) -> String {
    catalog()
        .get(f.code)
        .map_or_else(String::new, |e| message(e, f, "en"))
}

#[test]
fn analysis_fixtures() {
    let files = fixture::analysis_files();
    assert!(!files.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    let mut marks_seen = 0;
    for path in &files {
        let source = std::fs::read_to_string(path).unwrap();
        let fx = parse(&source);
        let found: Vec<(Mark, String)> = analyse_file(&path.to_string_lossy(), &fx.text)
            .iter()
            .map(|f| {
                let low = f.confidence == Confidence::Low;
                (mark_of(&fx, f.range.clone(), f.code.as_str(), low), said(f))
            })
            .collect();
        marks_seen += fx.marks.len();
        if let Err(actual) = compare(&fx, found) {
            if fixture::bless(path) {
                std::fs::write(path, render(&fx, &actual)).unwrap();
            }
            failures.push(format!(
                "{}:\n--- expected\n{}--- found\n{}",
                path.display(),
                render(&fx, &fx.marks),
                render(&fx, &actual)
            ));
        }
    }
    assert!(marks_seen > 0, "fixtures carry no expectations");
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// The mark format itself: a message after `:` is kept and must be contained in what is found;
/// bless keeps a message that holds and shows the whole one that does not.
#[test]
fn marks_carry_messages_that_must_match() {
    let fx = parse("iisreset\n^^^^^^^^ FB113: without /noforce\nGet-X\n^^^ FB117\n");
    assert_eq!(fx.text, "iisreset\nGet-X\n");
    assert_eq!(fx.marks[0].message.as_deref(), Some("without /noforce"));
    assert_eq!(fx.marks[1].message, None);
    let found = |say: &str| {
        vec![
            (mark_of(&fx, 0..8, "FB113", false), say.to_string()),
            (mark_of(&fx, 9..12, "FB117", false), "anything".to_string()),
        ]
    };
    assert!(compare(&fx, found("iisreset without /noforce")).is_ok());
    let wrong = compare(&fx, found("iisreset with /force")).unwrap_err();
    assert!(render(&fx, &wrong).contains("FB113: iisreset with /force\n"));
    assert!(compare(&fx, found("iisreset without /noforce")[..1].to_vec()).is_err());
}

/// Texts from other products (IMAP/POP tests, SQL clients, SharePoint, Graph SDKs, unrelated
/// sign-ins, DNS failures): whatever they match, nothing is shown above information.
#[test]
fn hard_negatives_stay_below_warning() {
    let files = fixture::files(&fixture::root().join("scan/negative"));
    assert!(files.len() >= 6, "hard negatives are missing");
    let mut loud = Vec::new();
    for path in &files {
        let fx = parse(&std::fs::read_to_string(path).unwrap());
        for f in analyse_file(&path.to_string_lossy(), &fx.text) {
            if f.effective_severity() != Severity::Information {
                loud.push(format!("{}: {} at {:?}", path.display(), f.code, f.range));
            }
        }
    }
    assert!(loud.is_empty(), "{}", loud.join("\n"));
}
