//! The remediation-script renderer: any values captured from a log, on any set of findings, through
//! `render::fill` (every confirm command of the entry), the quick-fix scripts
//! (`render::script_for_fix`, every fix) and the plan of the whole document
//! (`render::remediation_plan`, with any document name).
//!
//! Properties, on the PowerShell as tree-sitter tokenizes it: no captured text ever runs. Every
//! line of code (outside comments and string literals) is a line of a catalog command, filled or
//! not; and every captured value that is written lies inside a string literal (single-quoted, or
//! the literal text of the template's own double-quoted string), or in a comment that holds the
//! same text as the card wrote it.
//!
//! Input: `[locale] name \0 finding \0 finding ...`; a finding is `[code][flags]` then values
//! separated by `\x1f`, each `[key] text` (the key byte also says whether the text stands alone or
//! before or after the key's example value (`Key::example`), so that mutations reach accepted values).
#![no_main]
use freebusy_lsp::capture::Key;
use freebusy_lsp::finding::{Confidence, Finding};
use freebusy_lsp::knowledge::{catalog, Severity};
use freebusy_lsp::locale::LOCALES;
use freebusy_lsp::render::{fill, remediation_plan, script_for_fix};
use freebusy_lsp_fuzz::powershell::{code_lines, tokens, Allowed};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static ALLOWED: LazyLock<Allowed> = LazyLock::new(Allowed::build);

const MAX_FINDINGS: usize = 16;

fn value(bytes: &[u8]) -> Option<(Key, String)> {
    let (&k, rest) = bytes.split_first()?;
    let n = Key::ALL.len();
    let key = Key::ALL[usize::from(k) % n];
    let text = String::from_utf8_lossy(rest);
    let v = match (usize::from(k) / n) % 3 {
        0 => text.into_owned(),
        1 => format!("{}{text}", key.example()),
        _ => format!("{text}{}", key.example()),
    };
    Some((key, v))
}

fn finding(part: &[u8], at: usize, text_len: usize) -> Option<Finding> {
    let entries = catalog().entries();
    let (&code, rest) = part.split_first()?;
    let (&flags, rest) = rest.split_first().unwrap_or((&0, &[]));
    let mut f = Finding::new(entries[usize::from(code) % entries.len()].code, 0..0);
    let start = at.min(text_len);
    f.range = start..start;
    if flags & 1 != 0 {
        f.confidence = Confidence::Low;
    }
    f.severity = match (flags >> 1) & 3 {
        1 => Some(Severity::Error),
        2 => Some(Severity::Warning),
        3 => Some(Severity::Information),
        _ => None,
    };
    f.captures = rest.split(|&b| b == 0x1f).filter_map(value).collect();
    Some(f)
}

/// The properties above, for one rendered script; `written` are the values captured anywhere
/// that may be written into a command.
fn check(what: &str, script: &str, written: &[(Key, &str)]) {
    let t = tokens(script);
    for line in code_lines(&t.code) {
        assert!(
            ALLOWED.contains(&line),
            "{what}: a line of code that no catalog command has: {line:?}\nin:\n{script}"
        );
    }
    for (key, v) in written {
        if let Some(at) = t.unquoted(script, v) {
            panic!("{what}: {key} {v:?} outside a string literal at {at}\nin:\n{script}");
        }
    }
}

fuzz_target!(
    // The catalog, the queries and the allowed lines are built once, before the first input.
    init: {
        LazyLock::force(&ALLOWED);
    },
    |data: &[u8]| {
        let Some((&flags, rest)) = data.split_first() else {
            return;
        };
        let locale = LOCALES[usize::from(flags) % LOCALES.len()];
        let text = String::from_utf8_lossy(rest);
        let mut parts = rest.split(|&b| b == 0);
        let name = String::from_utf8_lossy(parts.next().unwrap_or_default());
        let mut findings = Vec::new();
        let mut at = name.len() + 1;
        for part in parts.take(MAX_FINDINGS) {
            findings.extend(finding(part, at, text.len()));
            at += part.len() + 1;
        }
        // A value is written only when its key accepts it; one the catalog's own commands hold
        // may stand bare there as the data wrote it.
        let written: Vec<(Key, &str)> = findings
            .iter()
            .flat_map(|f| f.captures.iter().map(|(k, v)| (*k, v.as_str())))
            .filter(|(k, v)| !v.is_empty() && k.accepts(v) && !ALLOWED.templates.contains(v))
            .collect();
        for f in &findings {
            let entry = catalog().get(f.code).expect("a code of the catalog");
            for (i, step) in entry.confirm.iter().enumerate() {
                if let Some(run) = &step.run {
                    let filled = fill(run, &f.captures).text;
                    check(&format!("{} confirm {i}", f.code), &filled, &written);
                }
            }
            for i in 0..entry.fixes.len() {
                let script = script_for_fix(entry, i, &f.captures, locale);
                check(&format!("{} fix {i}", f.code), &script, &written);
            }
        }
        let plan = remediation_plan(&name, &text, &findings, locale);
        check("plan", &plan, &written);
    }
);
