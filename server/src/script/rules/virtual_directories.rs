//! Virtual directory authentication and IIS: FB103, FB113.
use crate::code::Code;
use crate::finding::{Edit, Finding, Suggestion};
use crate::script::model::{Command, Param, Script, Value, ValueKind};

/// The authentication settings FB103 watches, with what the note calls them.
const AUTH_PARAMS: &[(&str, &str)] = &[
    ("OAuthAuthentication", "OAuth"),
    ("WSSecurityAuthentication", "WSSecurity"),
];

/// FB103: OAuth or WSSecurity switched off on a virtual directory and not on again.
pub fn auth_switched_off(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        for &(name, label) in AUTH_PARAMS {
            let Some(param) = cmd.param(name) else {
                continue;
            };
            if bool_value(script, param) != Some(false) || switched_on_later(script, cmd, name) {
                continue;
            }
            out.push(auth_finding(script, cmd, param, name, label));
        }
    }
}

/// The finding for `param` switched off, with the line that switches it on again.
fn auth_finding(script: &Script, cmd: &Command, param: &Param, name: &str, label: &str) -> Finding {
    let mut f = Finding::new(Code::FB103, param.full_range());
    let target = identity(cmd).map_or_else(
        || "this virtual directory".to_string(),
        |v| format!("`{}`", script.resolve(v).as_str().unwrap_or(&v.text)),
    );
    f.note = Some(format!(
        "{label} authentication is switched off on {target} and never switched on again."
    ));
    let mut line = script
        .text
        .get(cmd.statement.start..cmd.range.start)
        .unwrap_or("")
        .to_string();
    line.push_str(&cmd.name);
    if let Some(id) = identity_text(script, cmd) {
        line.push(' ');
        line.push_str(&id);
    }
    line.push_str(&format!(" -{name}:$true"));
    f.suggestions.push(Suggestion {
        title: format!("Switch {label} authentication on again"),
        edits: vec![line_after(script, cmd.statement.clone(), &line)],
    });
    f
}

/// Whether a later command of the same cmdlet sets `name` back on for the same identity.
fn switched_on_later(script: &Script, cmd: &Command, name: &str) -> bool {
    let id = identity_key(script, cmd);
    script.after(cmd).any(|later| {
        later.name.eq_ignore_ascii_case(&cmd.name)
            && identity_key(script, later) == id
            && later.param(name).is_some_and(|p| may_be_true(script, p))
    })
}

/// The literal boolean a parameter is given (through a variable too).
fn bool_value(script: &Script, param: &Param) -> Option<bool> {
    match &script.resolve(param.value.as_ref()?).kind {
        ValueKind::Bool(b) => Some(*b),
        _ => None,
    }
}

/// `$true`, or a variable whose value the script does not show (given the benefit of the doubt).
fn may_be_true(script: &Script, param: &Param) -> bool {
    let Some(value) = &param.value else {
        return false;
    };
    matches!(
        script.resolve(value).kind,
        ValueKind::Bool(true) | ValueKind::Variable(_)
    )
}

/// The identity value: `-Identity X` or the first positional.
fn identity(cmd: &Command) -> Option<&Value> {
    match cmd.param("Identity") {
        Some(p) => p.value.as_ref(),
        None => cmd.positionals.first(),
    }
}

/// The identity as written (`-Identity "X"` or `"X"`; splatted: `-Identity "X"`), to repeat it
/// on the fix line.
fn identity_text(script: &Script, cmd: &Command) -> Option<String> {
    let Some(p) = cmd.param("Identity") else {
        return script
            .text
            .get(cmd.positionals.first()?.range.clone())
            .map(str::to_string);
    };
    let value = p.value.as_ref()?;
    if p.range == value.range {
        return Some(format!("-Identity {}", value.text));
    }
    script.text.get(p.full_range()).map(str::to_string)
}

/// The identity compared case-insensitively (variables resolved); `None` when there is none.
fn identity_key(script: &Script, cmd: &Command) -> Option<String> {
    let v = script.resolve(identity(cmd)?);
    Some(v.as_str().unwrap_or(&v.text).to_lowercase())
}

/// An edit inserting `line` on a new line after the line where `statement` ends, indented like
/// the statement's first line and with the script's line ends.
pub(super) fn line_after(script: &Script, statement: std::ops::Range<usize>, line: &str) -> Edit {
    let text = script.text;
    let start = statement.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..start]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let end = statement.end.min(text.len());
    let mut at = text[end..].find('\n').map_or(text.len(), |i| end + i);
    if at > end && text.as_bytes()[at - 1] == b'\r' {
        at -= 1;
    }
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Edit {
        range: at..at,
        text: format!("{eol}{indent}{line}"),
    }
}

/// FB113: `iisreset` without `/noforce` (the query selects every `iisreset`).
pub fn iisreset_without_noforce(_script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let noforce = cmd
            .positionals
            .iter()
            .any(|v| v.text.eq_ignore_ascii_case("/noforce"));
        if noforce {
            continue;
        }
        let mut f = Finding::new(Code::FB113, cmd.range.clone());
        f.suggestions.push(Suggestion {
            title: "Add /noforce".into(),
            edits: vec![Edit {
                range: cmd.name_range.end..cmd.name_range.end,
                text: " /noforce".into(),
            }],
        });
        out.push(f);
    }
}
