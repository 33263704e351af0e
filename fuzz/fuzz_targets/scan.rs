//! The scanner with its resolver, on any bytes read as (lossy) UTF-8.
#![no_main]
use freebusy_lsp_fuzz::check_findings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    // The catalog compiles once, before the first input (not inside its time limit).
    init: {
        freebusy_lsp::scan::scan("");
    },
    |data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        check_findings(&text, &freebusy_lsp::scan::scan(&text));
    }
);
