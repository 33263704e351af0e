//! Every fixture under tests/fixtures/{scan,script}: the analysis (error text everywhere, script
//! rules in `.ps1`) must find exactly the marked findings.
mod support;

use freebusy_lsp::analysis::analyse_file;
use freebusy_lsp::finding::Confidence;
use freebusy_lsp::knowledge::Severity;
use support::fixture::{self, mark_of, parse, render, Mark};

#[test]
fn analysis_fixtures() {
    let files = fixture::analysis_files();
    assert!(!files.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    let mut marks_seen = 0;
    for path in &files {
        let source = std::fs::read_to_string(path).unwrap();
        let fx = parse(&source);
        let mut actual: Vec<Mark> = analyse_file(&path.to_string_lossy(), &fx.text)
            .into_iter()
            .map(|f| mark_of(&fx, f.range, &f.code, f.confidence == Confidence::Low))
            .collect();
        actual.sort();
        marks_seen += fx.marks.len();
        if actual != fx.marks {
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
