//! Remediation scripts: a fix's steps as PowerShell, values filled from the finding.
use crate::knowledge::placeholder::{self, Segment};
use crate::knowledge::{Entry, Shell};
use std::collections::BTreeMap;

/// A command with its values filled in, and which placeholders stayed unfilled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub text: String,
    pub unfilled: Vec<String>,
}

/// Fills `{{name|<default>}}` from `captures`; an unknown value keeps its `<default>` text.
pub fn fill(run: &str, captures: &BTreeMap<String, String>) -> Filled {
    let mut text = String::new();
    let mut unfilled = Vec::new();
    for seg in placeholder::parse(run) {
        match seg {
            Segment::Text(t) => text.push_str(t),
            Segment::Value { name, default } => match captures.get(name) {
                Some(v) if !name.is_empty() => text.push_str(v),
                _ => {
                    text.push_str(default);
                    unfilled.push(default.to_string());
                }
            },
        }
    }
    Filled { text, unfilled }
}

/// The PowerShell for fix number `fix` of `entry`: a header, then each step as comments and its
/// command. Lines end with `\n`.
pub fn script_for_fix(
    entry: &Entry,
    fix: usize,
    captures: &BTreeMap<String, String>,
    locale: &str,
) -> String {
    let Some(f) = entry.fixes.get(fix) else {
        return String::new();
    };
    let title = f.title.get(locale).map_or("", String::as_str);
    let mut out = format!("# --- {} {}: {} ---\n", entry.code, entry.id, title);
    let mut shell: Option<Shell> = None;
    for (i, step) in f.steps.iter().enumerate() {
        if shell != Some(step.shell) {
            out.push_str(&format!("# Run in: {}\n", step.shell.label()));
            shell = Some(step.shell);
        }
        let text = step.text.get(locale).map_or("", String::as_str);
        for line in plain(text).lines().filter(|l| !l.trim().is_empty()) {
            out.push_str(&format!("# {}. {}\n", i + 1, line.trim()));
        }
        if let Some(run) = &step.run {
            out.push_str(fill(run, captures).text.trim_end());
            out.push('\n');
        }
    }
    out
}

/// Markdown emphasis is noise in a script comment.
fn plain(text: &str) -> String {
    text.replace("**", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_values_and_keeps_placeholders() {
        let mut c = BTreeMap::new();
        c.insert("address".to_string(), "jon@contoso.com".to_string());
        let f = fill(
            "Get-Mailbox {{address|<mailbox ID>}} -X {{host|<host>}}",
            &c,
        );
        assert_eq!(f.text, "Get-Mailbox jon@contoso.com -X <host>");
        assert_eq!(f.unfilled, vec!["<host>".to_string()]);
    }
}
