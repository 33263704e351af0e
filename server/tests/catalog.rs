//! Loads every knowledge entry and checks it: well-formed, complete, and recognizing its own
//! article messages as itself and nothing else.
use freebusy_lsp::knowledge::{self, Kind};
use freebusy_lsp::scan::{self, Confidence, Scanner};

#[test]
fn data_has_no_problems() {
    let catalog = knowledge::catalog();
    assert!(
        catalog.problems.is_empty(),
        "knowledge data problems:\n{}",
        catalog.problems.join("\n")
    );
    assert_eq!(catalog.entries().len(), knowledge::embedded_files().count());
}

#[test]
fn all_article_errors_are_present() {
    let catalog = knowledge::catalog();
    let missing: Vec<String> = (1..=32)
        .map(|n| format!("FB{n:03}"))
        .filter(|c| catalog.get(c).is_none_or(|e| e.kind != Kind::Error))
        .collect();
    assert!(missing.is_empty(), "missing error entries: {missing:?}");
}

#[test]
fn signatures_compile_together() {
    Scanner::new(knowledge::catalog()).expect("one regex for all signatures");
}

#[test]
fn every_example_is_recognized_as_its_own_entry_only() {
    let mut failures = Vec::new();
    for entry in knowledge::catalog().entries() {
        for ex in &entry.examples {
            let found = scan::scan(&ex.text);
            let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
            let want_low = entry.kind == Kind::Triage;
            let ok = found.len() == 1
                && found[0].code == entry.code
                && (found[0].confidence == Confidence::Low) == want_low;
            if !ok {
                failures.push(format!(
                    "{} ({}) example: found {codes:?}\n  {}",
                    entry.code,
                    ex.lang,
                    ex.text.trim()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
