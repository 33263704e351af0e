//! A remediation script for a whole document: each distinct problem found, in the order of
//! `knowledge/plan.toml` (reachability, endpoints, trust, identities, mailboxes), with where to run
//! it, the check that confirms it, the fix, and the check again to verify. Values come from the
//! text; the rest stay `<placeholders>`, which the script rules flag until they are replaced.
use super::script::{fill, script_for_fix};
use crate::finding::Finding;
use crate::knowledge::{catalog, Entry, Kind, Step};
use std::fmt::Write;

pub fn remediation_plan(name: &str, text: &str, findings: &[Finding], locale: &str) -> String {
    let mut out = format!(
        "# Remediation plan for {name}, written by freebusy-lsp.\n\
         # Run it step by step, not as a whole: each block says where its commands run.\n\
         # Replace every <placeholder> left before running a command.\n"
    );
    let mut items: Vec<(&Entry, &Finding)> = Vec::new();
    for f in findings {
        let Some(entry) = catalog().get(&f.code) else {
            continue;
        };
        let fixable = entry.kind != Kind::Script && !entry.fixes.is_empty();
        if fixable
            && !items
                .iter()
                .any(|(e, g)| e.code == entry.code && g.captures == f.captures)
        {
            items.push((entry, f));
        }
    }
    items.sort_by_key(|(e, f)| (catalog().plan_rank(&e.code), f.range.start));
    for (n, (entry, f)) in items.iter().enumerate() {
        let line = text[..f.range.start.min(text.len())].matches('\n').count() + 1;
        let title = entry.title.get(locale).map_or("", String::as_str);
        let _ = write!(
            out,
            "\n# ===== {}. {} {} (line {line}) =====\n",
            n + 1,
            entry.code,
            title
        );
        if let Some(check) = entry.confirm.first() {
            out.push_str("# Check:\n");
            step(&mut out, check, f, locale);
        }
        out.push_str("# Fix:\n");
        out.push_str(&script_for_fix(entry, 0, &f.captures, locale));
        if let Some(check) = entry.confirm.first().filter(|c| c.run.is_some()) {
            out.push_str("# Verify: run the check again; the error should be gone.\n");
            step(&mut out, check, f, locale);
        }
    }
    if items.is_empty() {
        out.push_str("\n# No known free/busy error was found.\n");
    }
    out
}

fn step(out: &mut String, s: &Step, f: &Finding, locale: &str) {
    let _ = writeln!(out, "# Run in: {}", s.shell.label());
    if let Some(text) = s.text.get(locale) {
        for line in text
            .replace("**", "")
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let _ = writeln!(out, "# {}", line.trim());
        }
    }
    if let Some(run) = &s.run {
        let _ = writeln!(out, "{}", fill(run, &f.captures).text.trim_end());
    }
}
