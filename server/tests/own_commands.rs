//! The commands our own cards insert must not trip our own script rules: a card that recommends
//! what a rule warns about would contradict itself. Placeholders (FB117) are the exception: a
//! value the text did not give stays `<...>` on purpose, for the user to fill in.
use freebusy_lsp::analysis::analyse;
use freebusy_lsp::document::DocKind;
use freebusy_lsp::knowledge::{self, Kind};

/// Rules a card may trip on purpose, with why.
const ALLOWED: &[(&str, &str)] = &[
    ("FB117", "unfilled placeholders are the point of a template"),
    (
        "FB101",
        "the OAuth certificate must be created with -Services SMTP; the card says to answer No",
    ),
    (
        "FB110",
        "FB015's workaround is the article's: the card says it weakens the account",
    ),
    (
        "FB104",
        "FB030's fallback to DAuth is the article's: the card says what it costs",
    ),
];

#[test]
fn cards_do_not_contradict_the_script_rules() {
    let mut failures = Vec::new();
    for entry in knowledge::catalog().entries() {
        if entry.kind == Kind::Script {
            continue;
        }
        // A confirm step stands alone; a fix is inserted whole, so its steps are read together.
        let confirms = entry.confirm.iter().filter_map(|s| s.run.clone());
        let fixes = entry.fixes.iter().map(|f| {
            let runs: Vec<&str> = f.steps.iter().filter_map(|s| s.run.as_deref()).collect();
            runs.join("\n")
        });
        for run in confirms.chain(fixes) {
            let text = freebusy_lsp::render::fill(&run, &Default::default()).text;
            let (found, _) = analyse(DocKind::PowerShell, &text, None, &Default::default());
            for f in found.iter().filter(|f| {
                f.code.kind() == Kind::Script && !ALLOWED.iter().any(|(c, _)| *c == f.code.as_str())
            }) {
                failures.push(format!(
                    "{} card trips {}: {}",
                    entry.code,
                    f.code,
                    text.lines().next().unwrap_or("")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
