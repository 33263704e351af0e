//! A remediation script for a whole document: for each distinct error found, its first fix route,
//! in the order the errors appear. Values come from the text; the rest stay `<placeholders>`.
use super::script::script_for_fix;
use crate::finding::Finding;
use crate::knowledge::{catalog, Kind};
use std::fmt::Write;

pub fn remediation_plan(name: &str, text: &str, findings: &[Finding], locale: &str) -> String {
    let mut out = format!(
        "# Remediation steps for {name}, written by freebusy-lsp.\n# Review each command before you run it; replace any <placeholder> left.\n"
    );
    let mut seen = Vec::new();
    for f in findings {
        let Some(entry) = catalog().get(&f.code) else { continue };
        if entry.kind == Kind::Script || entry.fixes.is_empty() || seen.contains(&(&f.code, &f.captures)) {
            continue;
        }
        seen.push((&f.code, &f.captures));
        let line = text[..f.range.start.min(text.len())].matches('\n').count() + 1;
        let _ = write!(out, "\n# Found on line {line}: {}\n", entry.title.get(locale).map_or("", String::as_str));
        out.push_str(&script_for_fix(entry, 0, &f.captures, locale));
    }
    if seen.is_empty() {
        out.push_str("\n# No known free/busy error was found.\n");
    }
    out
}
