//! FB118 literal-password: a password written as a literal (`ConvertTo-SecureString "..."
//! -AsPlainText`, `-Password "..."`, a `Password` entry of a hashtable argument), directly or
//! through a variable. A script is copied, pasted and kept in tickets; a password in it is
//! disclosed. Where the parameter takes a SecureString (`knowledge/passwords.toml`), the fix
//! prompts for it at run time.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::knowledge::Passwords;
use crate::script::edits;
use crate::script::model::{Command, Param, Script, Value, ValueKind};
use std::ops::Range;

const PROMPT: &str = "Read-Host -AsSecureString -Prompt \"Password\"";

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let passwords = script.catalog.passwords();
    let mut found: Vec<Finding> = Vec::new();
    for cmd in commands {
        if cmd.is("ConvertTo-SecureString") {
            found.extend(plain_text_conversion(script, cmd));
            continue;
        }
        for p in &cmd.params {
            found.extend(password_param(script, passwords, cmd, p));
        }
        for v in cmd.params.iter().filter_map(|p| p.value.as_ref()) {
            password_entries(script, passwords, v, &mut found);
        }
    }
    // A splatted hashtable used by several commands is one literal: report it once.
    for f in found {
        if !out.iter().any(|o| o.code == f.code && o.range == f.range) {
            out.push(f);
        }
    }
}

/// `ConvertTo-SecureString <literal> -AsPlainText`: the literal as `-String`, positional, or
/// piped in (`"..." | ConvertTo-SecureString -AsPlainText`).
fn plain_text_conversion(script: &Script, cmd: &Command) -> Option<Finding> {
    let plain = cmd.param("AsPlainText")?;
    let given = cmd
        .value("String")
        .or_else(|| cmd.positionals.iter().find(|v| !is_bool(v)))
        .or_else(|| plain.value.as_ref().filter(|v| !is_bool(v)));
    let Some(value) = given else {
        let range = piped_literal(script, cmd)?;
        let mut f = Finding::new(Code::FB118, range);
        f.suggestions
            .push(prompt_instead(cmd.statement.start..cmd.range.end, PROMPT));
        return Some(f);
    };
    let direct = secret(value).is_some();
    if !direct && resolved_secret(script, value).is_none() {
        return None;
    }
    let mut f = Finding::new(Code::FB118, value.range.clone());
    if direct {
        f.suggestions
            .push(prompt_instead(cmd.range.clone(), PROMPT));
    } else {
        f.note = Some(assigned_note(value));
    }
    Some(f)
}

fn prompt_instead(range: Range<usize>, text: &str) -> Suggestion {
    Suggestion {
        title: "Prompt for the password at run time".into(),
        edits: vec![edits::replace(range, text)],
    }
}

/// The range of a literal string piped into `cmd` (the whole statement before it).
fn piped_literal(script: &Script, cmd: &Command) -> Option<Range<usize>> {
    let before = script.text.get(cmd.statement.start..cmd.range.start)?;
    let lead = before.len() - before.trim_start().len();
    let word = before.trim().strip_suffix('|')?.trim_end();
    let quote = word.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = word.get(1..word.len().checked_sub(1)?)?;
    let closed = word.len() >= 2 && word.ends_with(quote) && !inner.contains(quote);
    let interpolated = quote == '"' && inner.contains('$');
    if !closed || interpolated || inner.trim().is_empty() {
        return None;
    }
    let start = cmd.statement.start + lead;
    Some(start..start + word.len())
}

/// `-Password "..."` (and `-NewPassword`, `-OldPassword`, `-AccountPassword`).
fn password_param(
    script: &Script,
    passwords: &Passwords,
    cmd: &Command,
    p: &Param,
) -> Option<Finding> {
    let full = password_name(passwords, &p.name)?;
    let value = p.value.as_ref()?;
    let direct = secret(value).is_some();
    if !direct && resolved_secret(script, value).is_none() {
        return None;
    }
    let mut f = Finding::new(Code::FB118, p.full_range());
    let secure = passwords
        .secure
        .iter()
        .any(|(c, names)| cmd.is(c) && names.iter().any(|n| n.eq_ignore_ascii_case(full)));
    if !direct {
        f.note = Some(assigned_note(value));
    } else if secure {
        let prompt = format!("({PROMPT})");
        f.suggestions
            .push(prompt_instead(value.range.clone(), &prompt));
    } else {
        f.note = Some(format!(
            "-{} takes the password as plain text: read it at run time instead of storing it.",
            p.name
        ));
    }
    Some(f)
}

/// The password parameter `written` names, if any (`passw` must be written, so `-Pass` is never
/// taken for `-PassThru`).
fn password_name<'p>(passwords: &'p Passwords, written: &str) -> Option<&'p str> {
    let w = written.to_ascii_lowercase();
    if !w.contains("passw") {
        return None;
    }
    passwords
        .names
        .iter()
        .find(|full| full.to_ascii_lowercase().starts_with(&w))
        .map(String::as_str)
}

/// `@{ Password = "..." }` in an argument (`-PasswordProfile`, `-BodyParameter`), at any depth.
fn password_entries(script: &Script, passwords: &Passwords, value: &Value, out: &mut Vec<Finding>) {
    let ValueKind::Hash(entries) = &value.kind else {
        return;
    };
    for (key, v) in entries {
        if matches!(v.kind, ValueKind::Hash(_)) {
            password_entries(script, passwords, v, out);
            continue;
        }
        if !passwords.names.iter().any(|p| p.eq_ignore_ascii_case(key)) {
            continue;
        }
        let note = if secret(v).is_some() {
            format!(
                "{key} in this hashtable is plain text: read it at run time instead of storing it."
            )
        } else if resolved_secret(script, v).is_some() {
            assigned_note(v)
        } else {
            continue;
        };
        let mut f = Finding::new(Code::FB118, v.range.clone());
        f.note = Some(note);
        out.push(f);
    }
}

/// A password written out: a non-empty literal that is no `<placeholder>` (FB117's business)
/// and no `"...$var..."` (built at run time).
fn secret(value: &Value) -> Option<&str> {
    let s = value.as_str()?;
    let t = s.trim();
    let placeholder = t.starts_with('<') && t.ends_with('>');
    let interpolated = value.text.trim_start().starts_with(['"', '@']) && t.contains('$');
    let environment = from_environment(value);
    (!t.is_empty() && !placeholder && !interpolated && !environment).then_some(s)
}

/// A variable holding a literal password assigned earlier in the script.
fn resolved_secret<'s>(script: &'s Script, value: &'s Value) -> Option<&'s str> {
    if !matches!(value.kind, ValueKind::Variable(_)) || from_environment(value) {
        return None;
    }
    secret(script.resolve(value))
}

/// `$env:NAME`: read at run time.
fn from_environment(value: &Value) -> bool {
    value
        .text
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("$env:")
}

fn assigned_note(value: &Value) -> String {
    format!(
        "{} holds a password written as a literal earlier in the script.",
        value.text
    )
}

fn is_bool(v: &Value) -> bool {
    matches!(v.kind, ValueKind::Bool(_))
}
