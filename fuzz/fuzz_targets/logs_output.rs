//! A text document: the scanner, the log parsers (W3C, CSV, HTTP captures) and the cmdlet output
//! parsers, through the one entry point.
#![no_main]
use freebusy_lsp::analysis::{analyse, Options};
use freebusy_lsp::document::DocKind;
use freebusy_lsp_fuzz::check_findings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    // The catalog and queries compile once, before the first input (not inside its time limit).
    init: {
        analyse(DocKind::Text, "", None, &Options::default());
    },
    |data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        let (findings, _) = analyse(DocKind::Text, &text, None, &Options::default());
        check_findings(&text, &findings);
    }
);
