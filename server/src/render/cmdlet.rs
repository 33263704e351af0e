//! The card of a cmdlet: what it does in a free/busy investigation, where it runs, its key
//! parameters and the codes it relates to.
use crate::knowledge::{catalog, Cmdlet};
use crate::locale::{fmt, text as ui};
use std::fmt::Write;

pub fn cmdlet_card(c: &Cmdlet, locale: &str) -> String {
    let shell = c.shell.label_in(locale);
    let runs_in = fmt(locale, "cmdlet.runs-in", &[("shell", &shell)]);
    let mut out = format!("### {}\n\n*{runs_in}*\n\n", c.name);
    if let Some(s) = c.summary.get(locale) {
        let _ = writeln!(out, "{}\n", s.trim());
    }
    // The parameters the data explains; the rest of a full list only binds and completes.
    let key: Vec<_> = c
        .params
        .iter()
        .filter(|p| !p.hidden && p.text.get(locale).is_some())
        .collect();
    if !key.is_empty() {
        let _ = writeln!(out, "**{}**", ui(locale, "cmdlet.key-parameters"));
        for p in key {
            let _ = write!(out, "- `-{}`", p.name);
            if p.value_type() == crate::knowledge::schema::ValueType::Switch {
                let _ = write!(out, " ({})", ui(locale, "cmdlet.switch"));
            }
            if !p.values.is_empty() {
                let _ = write!(out, " {}", p.values.join(" | "));
            }
            if let Some(t) = p.text.get(locale) {
                let _ = write!(out, ": {}", t.trim());
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if !c.related.is_empty() {
        let related: Vec<String> = c
            .related
            .iter()
            .map(
                |code| match catalog().get(*code).and_then(|e| e.title.get(locale)) {
                    Some(t) => format!("{code} ({t})"),
                    None => code.to_string(),
                },
            )
            .collect();
        let _ = writeln!(
            out,
            "**{}** {}",
            ui(locale, "card.related"),
            related.join(" · ")
        );
    }
    out
}
