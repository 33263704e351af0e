//! Quick fixes of the script rules, applied: `tests/fixtures/fixes/X.ps1` is what
//! `tests/fixtures/script/X.ps1` becomes when the first suggestion of every finding is applied.
//! Each runs on the fixture as written (LF) and on a CRLF copy, whose fixed text must be the
//! expected file with CRLF line ends: a fix writes the document's line ending, never its own.
//! `FREEBUSY_BLESS=fixes/FB107` rewrites `fixes/FB107.ps1` from the fixes applied (LF run), to be
//! reviewed line by line.
mod support;

use freebusy_lsp::analysis::analyse_file;
use freebusy_lsp::finding::{apply_edits, Edit};
use std::path::Path;
use support::fixture::{self, parse};

#[test]
fn every_fix_produces_the_intended_script() {
    let fixes = fixture::files(&fixture::root().join("fixes"));
    assert!(!fixes.is_empty());
    let mut failures = Vec::new();
    for expected_path in fixes {
        for crlf in [false, true] {
            if let Err(e) = check(&expected_path, crlf) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every line ending written `\r\n`.
fn to_crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// One fix fixture, LF or CRLF: the fixed script as expected, and the rule quiet on it.
fn check(expected_path: &Path, crlf: bool) -> Result<(), String> {
    let name = expected_path.file_name().unwrap();
    let source_path = fixture::root().join("script").join(name);
    let source =
        parse(&std::fs::read_to_string(&source_path).expect("fix without a script fixture"));
    let ending = if crlf { "CRLF" } else { "LF" };
    let text = if crlf {
        to_crlf(&source.text)
    } else {
        source.text.clone()
    };
    let path = source_path.to_string_lossy();
    let edits: Vec<Edit> = analyse_file(&path, &text)
        .iter()
        .filter_map(|f| f.suggestions.first())
        .flat_map(|s| s.edits.clone())
        .collect();
    if edits.is_empty() {
        return Err(format!(
            "{}: no finding offers a fix",
            source_path.display()
        ));
    }
    let fixed = apply_edits(&text, edits);
    let written = std::fs::read_to_string(expected_path).unwrap();
    let expected = if crlf { to_crlf(&written) } else { written };
    if fixed != expected {
        if !crlf && fixture::bless(expected_path) {
            std::fs::write(expected_path, &fixed).unwrap();
        }
        let show = |s: &str| s.replace('\r', "\\r");
        return Err(format!(
            "{} ({ending}):\n--- expected\n{}--- got\n{}",
            expected_path.display(),
            show(&expected),
            show(&fixed)
        ));
    }
    // The fix removes what the rule complained about.
    let rule = name.to_string_lossy().trim_end_matches(".ps1").to_string();
    let left: Vec<_> = analyse_file(&path, &fixed)
        .into_iter()
        .filter(|f| f.code.as_str() == rule)
        .collect();
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} ({ending}): {rule} still found after the fix: {left:?}",
            expected_path.display()
        ))
    }
}
