//! Quick fixes of the script rules, applied: `tests/fixtures/fixes/X.ps1` is what
//! `tests/fixtures/script/X.ps1` becomes when the first suggestion of every finding is applied.
mod support;

use freebusy_lsp::analysis::analyse_file;
use freebusy_lsp::finding::{apply_edits, Edit};
use support::fixture::{self, parse};

#[test]
fn every_fix_produces_the_intended_script() {
    let fixes = fixture::files(&fixture::root().join("fixes"));
    assert!(!fixes.is_empty());
    let mut failures = Vec::new();
    for expected_path in fixes {
        let name = expected_path.file_name().unwrap();
        let source_path = fixture::root().join("script").join(name);
        let source =
            parse(&std::fs::read_to_string(&source_path).expect("fix without a script fixture"));
        let path = source_path.to_string_lossy();
        let findings = analyse_file(&path, &source.text);
        let edits: Vec<Edit> = findings
            .iter()
            .filter_map(|f| f.suggestions.first())
            .flat_map(|s| s.edits.clone())
            .collect();
        assert!(
            !edits.is_empty(),
            "{}: no finding offers a fix",
            source_path.display()
        );
        let fixed = apply_edits(&source.text, edits);
        let expected = std::fs::read_to_string(&expected_path).unwrap();
        if fixed != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{fixed}",
                expected_path.display()
            ));
            continue;
        }
        // The fix removes what the rule complained about.
        let rule = name.to_string_lossy().trim_end_matches(".ps1").to_string();
        let left: Vec<_> = analyse_file(&path, &fixed)
            .into_iter()
            .filter(|f| f.code.as_str() == rule)
            .collect();
        if !left.is_empty() {
            failures.push(format!(
                "{}: {rule} still found after the fix: {left:?}",
                expected_path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
