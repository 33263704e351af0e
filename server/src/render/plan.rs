//! A remediation script for a whole document: each distinct problem found, in the order of
//! `knowledge/plan.toml` (reachability, endpoints, trust, identities, mailboxes), with where to run
//! it, the check that confirms it, the fix, and the check again to verify. Values come from the
//! text; the rest stay `<placeholders>`, which the script rules flag until they are replaced.
use super::script::{fill, script_for_fix};
use crate::finding::{document_captures, with_document, Confidence, Finding};
use crate::knowledge::{catalog, Entry, Kind, Step};
use crate::lines::LineIndex;
use crate::locale::{fmt, text as ui};
use std::collections::HashMap;
use std::fmt::Write;

pub fn remediation_plan(name: &str, text: &str, findings: &[Finding], locale: &str) -> String {
    let mut out = comment(&fmt(locale, "plan.header", &[("name", name)]));
    // One block per distinct fix: a log with a thousand identical failures needs one.
    let mut items: Vec<(&Entry, &Finding, String, usize)> = Vec::new();
    let mut index: HashMap<(crate::code::Code, String), usize> = HashMap::new();
    let document = document_captures(findings);
    let completed: Vec<Finding> = findings
        .iter()
        .map(|f| Finding {
            captures: with_document(&f.captures, &document),
            ..f.clone()
        })
        .collect();
    for f in &completed {
        let Some(entry) = catalog().get(f.code) else {
            continue;
        };
        // Script rules fix in place; a log summary or a proven test result points elsewhere.
        let summary = matches!(entry.kind, Kind::Log | Kind::Output)
            && f.effective_severity() == crate::knowledge::Severity::Information;
        // An error found with low confidence is generic text with no free/busy context near it.
        let unplaced = entry.kind == Kind::Error && f.confidence == Confidence::Low;
        if entry.kind == Kind::Script || entry.fixes.is_empty() || summary || unplaced {
            continue;
        }
        let fix = script_for_fix(entry, entry.fix_for(&f.captures), &f.captures, locale);
        match index.get(&(entry.code, fix.clone())) {
            Some(&i) => items[i].3 += 1,
            None => {
                index.insert((entry.code, fix.clone()), items.len());
                items.push((entry, f, fix, 0));
            }
        }
    }
    items.sort_by_key(|(e, f, _, _)| (catalog().plan_rank(e.code), f.range.start));
    let lines = LineIndex::new(text);
    for (n, (entry, f, fix, more)) in items.iter().enumerate() {
        let line = lines.line(f.range.start) + 1;
        let title = entry.title.get(locale).map_or("", String::as_str);
        let (n, line, more) = ((n + 1).to_string(), line.to_string(), more.to_string());
        let key = if more == "0" {
            "plan.item"
        } else {
            "plan.item-more"
        };
        let code = entry.code.to_string();
        let item = [("n", n.as_str()), ("code", &code), ("title", title)];
        let item = fmt(
            locale,
            key,
            &[&item[..], &[("line", &line), ("more", &more)]].concat(),
        );
        let _ = write!(out, "\n# ===== {item} =====\n");
        // The check that fits this block's fix; the fix's own closing test, when it repeats
        // the check, is the verification.
        let check = matching_check(entry, entry.fix_for(&f.captures));
        if let Some(check) = check {
            out.push_str(&comment(&ui(locale, "plan.check")));
            step(&mut out, check, f, locale);
        }
        out.push_str(&comment(&ui(locale, "plan.fix")));
        // A fix that ends by running the check again says so instead of repeating it.
        let rerun = check
            .and_then(|c| c.run.as_deref())
            .map(|run| format!("{}\n", fill(run, &f.captures).text.trim()));
        match rerun {
            Some(run) => {
                out.push_str(&fix.replacen(&run, "", 1));
                out.push_str(&comment(&ui(locale, "plan.verify")));
            }
            None => out.push_str(fix),
        }
    }
    if items.is_empty() {
        out.push('\n');
        out.push_str(&comment(&ui(locale, "plan.nothing")));
    }
    out
}

/// The confirm step of `entry` that checks what fix route `fix` changes: the one naming most of
/// the fix's cmdlet nouns (`Get-AuthServer` for `Set-AuthServer`), the first on a tie.
fn matching_check(entry: &Entry, fix: usize) -> Option<&Step> {
    let nouns = |run: &str| -> Vec<String> {
        run.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter_map(|w| w.split_once('-').map(|(_, noun)| noun.to_ascii_lowercase()))
            .filter(|n| !n.is_empty())
            .collect()
    };
    let fixed: Vec<String> = entry
        .fixes
        .get(fix)
        .into_iter()
        .flat_map(|f| &f.steps)
        .filter_map(|s| s.run.as_deref())
        .flat_map(nouns)
        .collect();
    let score = |s: &Step| {
        s.run
            .as_deref()
            .map_or(0, |r| nouns(r).iter().filter(|n| fixed.contains(n)).count())
    };
    let best = entry.confirm.iter().map(score).max()?;
    entry.confirm.iter().find(|s| score(s) == best)
}

/// Each line of `text` as a PowerShell comment. A carriage return alone ends a line for
/// PowerShell too (a file name may hold one), so it starts a new comment.
fn comment(text: &str) -> String {
    text.lines()
        .flat_map(|l| l.split('\r'))
        .map(|l| format!("# {l}\n"))
        .collect()
}

fn step(out: &mut String, s: &Step, f: &Finding, locale: &str) {
    let shell = s.shell.label_in(locale);
    out.push_str(&comment(&fmt(
        locale,
        "script.run-in",
        &[("shell", &shell)],
    )));
    if let Some(text) = s.text.get(locale) {
        for line in super::script::plain(text)
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let _ = writeln!(out, "# {}", line.trim_end());
        }
    }
    if let Some(run) = &s.run {
        let _ = writeln!(out, "{}", fill(run, &f.captures).text.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_break_in_the_document_name_stays_in_the_comment() {
        for name in [
            "a\rStop-Computer.log",
            "a\nStop-Computer.log",
            "a\r\nStop-Computer.log",
        ] {
            let plan = remediation_plan(name, "", &[], "en");
            for line in plan.split(['\r', '\n']).filter(|l| !l.is_empty()) {
                assert!(
                    line.starts_with('#'),
                    "{name:?} gives the code line {line:?}"
                );
            }
        }
    }
}
