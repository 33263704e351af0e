//! A PowerShell document: tree-sitter, the model, the rules and their quick fixes.
#![no_main]
use freebusy_lsp::analysis::{analyse, Options};
use freebusy_lsp::document::DocKind;
use freebusy_lsp_fuzz::check_findings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    // The catalog and queries compile once, before the first input (not inside its time limit).
    init: {
        analyse(DocKind::PowerShell, "", None, &Options::default());
    },
    |data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        let (findings, _) = analyse(DocKind::PowerShell, &text, None, &Options::default());
        check_findings(&text, &findings);
    }
);
