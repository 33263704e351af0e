//! The card: what an entry means, why it happens, how to confirm it and how to fix it (Markdown).
use super::script::fill;
use crate::capture::Captures;
use crate::code::Code;
use crate::knowledge::{catalog, Entry, Kind, Step};
use std::fmt::Write;

/// Renders `entry`'s card in `locale`, commands filled from `captures` where known.
pub fn card(entry: &Entry, locale: &str, captures: &Captures) -> String {
    let mut out = String::new();
    let title = entry.title.get(locale).map_or("", String::as_str);
    let _ = writeln!(out, "### {} · {}\n", entry.code, title);
    let kind = match entry.kind {
        Kind::Error => "error",
        Kind::Triage => "several errors print this",
        Kind::Script => "script rule",
        Kind::Log => "log finding",
        Kind::Output => "cmdlet output finding",
    };
    let _ = writeln!(
        out,
        "*{} · {} · `{}`*\n",
        kind,
        entry
            .direction
            .replace("->", " → ")
            .replace("onprem", "on-premises"),
        entry.id
    );
    if let Some(meaning) = entry.meaning.get(locale) {
        let _ = writeln!(out, "{}\n", meaning.trim());
    }
    if !entry.candidates.is_empty() {
        out.push_str("**Could be**\n");
        for code in &entry.candidates {
            let _ = writeln!(out, "- {}", code_with_title(*code, locale));
        }
        out.push('\n');
    }
    if let Some(causes) = entry.causes.get(locale) {
        out.push_str(if entry.kind == Kind::Script {
            "**Why it matters**\n"
        } else {
            "**Why it happens**\n"
        });
        for c in causes {
            let _ = writeln!(out, "- {c}");
        }
        out.push('\n');
    }
    if entry.kind == Kind::Script {
        if let Some(ex) = entry.examples.first() {
            let _ = writeln!(out, "**Example**\n```powershell\n{}\n```\n", ex.text.trim());
        }
    }
    if !entry.confirm.is_empty() {
        out.push_str(if entry.kind == Kind::Triage {
            "**The check that tells them apart**\n"
        } else {
            "**How to confirm**\n"
        });
        steps(&mut out, &entry.confirm, locale, captures);
    }
    for fix in &entry.fixes {
        let _ = writeln!(
            out,
            "**Fix: {}**",
            fix.title.get(locale).map_or("", String::as_str)
        );
        steps(&mut out, &fix.steps, locale, captures);
    }
    if !entry.related.is_empty() {
        let related: Vec<String> = entry
            .related
            .iter()
            .map(|c| code_with_title(*c, locale))
            .collect();
        let _ = writeln!(out, "**Related:** {}\n", related.join(" · "));
    }
    let _ = writeln!(out, "[Article section]({})", entry.doc);
    out
}

fn steps(out: &mut String, steps: &[Step], locale: &str, captures: &Captures) {
    for (i, step) in steps.iter().enumerate() {
        let text = step.text.get(locale).map_or("", String::as_str).trim();
        let _ = writeln!(out, "{}. *{}*: {}", i + 1, step.shell.label(), text);
        if let Some(run) = &step.run {
            let _ = writeln!(out, "   ```powershell");
            for line in fill(run, captures).text.trim().lines() {
                let _ = writeln!(out, "   {line}");
            }
            let _ = writeln!(out, "   ```");
        }
    }
    out.push('\n');
}

fn code_with_title(code: Code, locale: &str) -> String {
    match catalog().get(code).and_then(|e| e.title.get(locale)) {
        Some(title) => format!("{code} ({title})"),
        None => code.to_string(),
    }
}
