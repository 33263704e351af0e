//! Remediation scripts: a fix's steps as PowerShell, values filled from the finding.
use crate::capture::{Captures, Key};
use crate::knowledge::placeholder::{self, Quotes, Segment};
use crate::knowledge::{Entry, Shell};
use crate::script::edits;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// A command with its values filled in, and which placeholders stayed unfilled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub text: String,
    pub unfilled: Vec<String>,
}

/// Fills `{{name|<default>}}` from `captures`. A value goes in only when it is well formed for
/// its key (`Key::accepts`), written as a PowerShell literal for where it stands: single-quoted
/// in bare command text, as it is inside a string (the validation admits no quote, `$` or
/// backtick). Anything else keeps its `<default>` text, which the script rules flag.
pub fn fill(run: &str, captures: &Captures) -> Filled {
    let mut text = String::new();
    let mut unfilled = Vec::new();
    let mut quotes = Quotes::Bare;
    for seg in placeholder::parse(run) {
        match seg {
            Segment::Text(t) => {
                quotes = quotes.after(t);
                text.push_str(t);
            }
            Segment::Value { name, default } => {
                let value = Key::parse(name)
                    .and_then(|k| captures.get(&k).filter(|v| k.accepts(v)).map(|v| (k, v)));
                match value {
                    Some((_, v)) if quotes == Quotes::Bare => text.push_str(&edits::quote(v)),
                    Some((_, v)) => text.push_str(v),
                    None => {
                        text.push_str(default);
                        unfilled.push(default.to_string());
                    }
                }
            }
        }
    }
    Filled { text, unfilled }
}

/// The PowerShell for fix number `fix` of `entry`: a header, then each step as comments and its
/// command. Lines end with `\n`.
pub fn script_for_fix(entry: &Entry, fix: usize, captures: &Captures, locale: &str) -> String {
    let Some(f) = entry.fixes.get(fix) else {
        return String::new();
    };
    let title = f.title.get(locale).map_or("", String::as_str);
    let mut out = format!("# --- {} {}: {} ---\n", entry.code, entry.id, title);
    let mut shell: Option<Shell> = None;
    for (i, step) in f.steps.iter().enumerate() {
        if shell != Some(step.shell) {
            let label = step.shell.label_in(locale);
            let run_in = crate::locale::fmt(locale, "script.run-in", &[("shell", &label)]);
            out.push_str(&format!("# {run_in}\n"));
            shell = Some(step.shell);
        }
        let text = step.text.get(locale).map_or("", String::as_str);
        let number = format!("{}. ", i + 1);
        for (n, line) in plain(text)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
        {
            let lead = if n == 0 {
                number.clone()
            } else {
                " ".repeat(number.len())
            };
            out.push_str(&format!("# {lead}{}\n", line.trim_end()));
        }
        if let Some(run) = &step.run {
            out.push_str(fill(run, captures).text.trim_end());
            out.push('\n');
        }
    }
    out
}

/// A card's Markdown as the plain text of a script comment (no backticks, stars or link
/// syntax), wrapped to 96 columns. Remembered: the texts are the catalog's steps, a few hundred
/// that never change, and rendering them again was a quarter of a code action's work.
pub(crate) fn plain(text: &str) -> Arc<str> {
    /// More texts than the catalog holds: past it, a text is rendered and not kept.
    const MOST: usize = 4096;
    static SEEN: LazyLock<Mutex<HashMap<String, Arc<str>>>> = LazyLock::new(Default::default);
    let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(p) = seen.get(text) {
        return p.clone();
    }
    let p: Arc<str> = crate::terminal::markdown::render(text, Some(96), false).into();
    if seen.len() < MOST {
        seen.insert(text.to_owned(), p.clone());
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_values_and_keeps_placeholders() {
        let mut c = Captures::new();
        c.insert(Key::Address, "jon@contoso.com".to_string());
        let f = fill(
            "Get-Mailbox {{address|<mailbox ID>}} -X {{host|<host>}}",
            &c,
        );
        assert_eq!(f.text, "Get-Mailbox 'jon@contoso.com' -X <host>");
        assert_eq!(f.unfilled, vec!["<host>".to_string()]);
    }

    #[test]
    fn values_inside_strings_are_written_as_they_are() {
        let mut c = Captures::new();
        c.insert(Key::Server, "EXCH01".to_string());
        c.insert(Key::Address, "jon@contoso.com".to_string());
        let f = fill(
            r#"Set-X "{{server|<S>}}\ews (Exchange Back End)" -F 'a:{{address|<a>}}' -G {{address|<a>}}"#,
            &c,
        );
        assert_eq!(
            f.text,
            r#"Set-X "EXCH01\ews (Exchange Back End)" -F 'a:jon@contoso.com' -G 'jon@contoso.com'"#
        );
    }

    #[test]
    fn a_value_from_a_log_that_is_not_of_its_kind_stays_a_placeholder() {
        let mut c = Captures::new();
        c.insert(
            Key::Address,
            "x;calc.exe;$(Stop-Computer)@contoso.com".to_string(),
        );
        c.insert(Key::EwsUrl, "https://a.com/';Stop-Computer;'".to_string());
        let f = fill(
            "Set-MailContact -Identity {{address|<contact>}} -U {{ews_url|<url>}}",
            &c,
        );
        assert_eq!(f.text, "Set-MailContact -Identity <contact> -U <url>");
    }
}
