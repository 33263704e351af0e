//! Every fixture under tests/fixtures/{scan,script}: the analysis (error text everywhere, script
//! rules in `.ps1`) must find exactly the marked findings.
mod support;

use freebusy_lsp::analysis::analyse_file;
use freebusy_lsp::finding::{Confidence, Finding};
use freebusy_lsp::knowledge::catalog;
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
