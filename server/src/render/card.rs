//! The card: what an entry means, why it happens, how to confirm it and how to fix it (Markdown).
use super::script::fill;
use crate::capture::Captures;
use crate::code::Code;
use crate::knowledge::{catalog, Entry, Kind, Step};
use crate::locale::{fmt, text as ui};
use std::fmt::Write;

/// Renders `entry`'s card in `locale`, commands filled from `captures` where known.
pub fn card(entry: &Entry, locale: &str, captures: &Captures) -> String {
    let mut out = String::new();
    let title = entry.title.get(locale).map_or("", String::as_str);
    let _ = writeln!(out, "### {} · {}\n", entry.code, title);
    let kind = match entry.kind {
        Kind::Error => "kind.error",
        Kind::Triage => "kind.triage",
        Kind::Script => "kind.script",
        Kind::Log => "kind.log",
        Kind::Output => "kind.output",
    };
    let direction = catalog()
        .ui(locale, &format!("direction.{}", entry.direction))
        .map_or_else(|| entry.direction.replace("->", " → "), str::to_string);
    let _ = writeln!(
        out,
        "*{} · {} · `{}`*\n",
        ui(locale, kind),
        direction,
        entry.id
    );
    if let Some(meaning) = entry.meaning.get(locale) {
        let _ = writeln!(out, "{}\n", meaning.trim());
    }
    if !entry.candidates.is_empty() {
        let _ = writeln!(out, "**{}**", ui(locale, "card.could-be"));
        for code in &entry.candidates {
            let _ = writeln!(out, "- {}", code_with_title(*code, locale));
        }
        out.push('\n');
    }
    if let Some(causes) = entry.causes.get(locale) {
        let heading = if entry.kind == Kind::Script {
            "card.why-it-matters"
        } else {
            "card.why-it-happens"
        };
        let _ = writeln!(out, "**{}**", ui(locale, heading));
        for c in causes {
            let _ = writeln!(out, "- {c}");
        }
        out.push('\n');
    }
    if entry.kind == Kind::Script {
        if let Some(ex) = entry.examples.first() {
            let _ = writeln!(
                out,
                "**{}**\n```powershell\n{}\n```\n",
                ui(locale, "card.example"),
                ex.text.trim()
            );
        }
    }
    if !entry.confirm.is_empty() {
        let heading = if entry.kind == Kind::Triage {
            "card.tells-apart"
        } else {
            "card.confirm"
        };
        let _ = writeln!(out, "**{}**", ui(locale, heading));
        steps(&mut out, &entry.confirm, locale, captures);
    }
    for fix in &entry.fixes {
        let title = fix.title.get(locale).map_or("", String::as_str);
        let _ = writeln!(out, "**{}**", fmt(locale, "card.fix", &[("title", title)]));
        steps(&mut out, &fix.steps, locale, captures);
    }
    if !entry.related.is_empty() {
        let related: Vec<String> = entry
            .related
            .iter()
            .map(|c| code_with_title(*c, locale))
            .collect();
        let _ = writeln!(
            out,
            "**{}** {}\n",
            ui(locale, "card.related"),
            related.join(" · ")
        );
    }
    let _ = writeln!(out, "[{}]({})", ui(locale, "card.article"), entry.doc);
    out
}

fn steps(out: &mut String, steps: &[Step], locale: &str, captures: &Captures) {
    for (i, step) in steps.iter().enumerate() {
        let text = step.text.get(locale).map_or("", String::as_str).trim();
        let _ = writeln!(
            out,
            "{}. *{}*: {}",
            i + 1,
            step.shell.label_in(locale),
            text
        );
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
