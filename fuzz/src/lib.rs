//! What every target checks of the findings it gets.
use freebusy_lsp::finding::Finding;

pub mod powershell;

/// Ranges (the finding's and its edits') lie within `text` on char boundaries; findings come in
/// order of position.
pub fn check_findings(text: &str, findings: &[Finding]) {
    let mut last = 0;
    for f in findings {
        check_range(text, &f.range, f.code.as_str());
        assert!(f.range.start >= last, "{} out of order", f.code);
        last = f.range.start;
        for s in &f.suggestions {
            for e in &s.edits {
                check_range(text, &e.range, f.code.as_str());
            }
        }
    }
}

fn check_range(text: &str, range: &std::ops::Range<usize>, code: &str) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{code}: {range:?} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{code}: {range:?} inside a character"
    );
}
