//! The scanner with its resolver, on any bytes read as (lossy) UTF-8.
#![no_main]
use freebusy_lsp_fuzz::check_findings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check_findings(&text, &freebusy_lsp::scan::scan(&text));
});
