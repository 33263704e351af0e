//! FB103 vdir-auth-left-off: OAuth or WSSecurity authentication switched off on an EWS or
//! Autodiscover virtual directory and not switched on again later in the script for the same
//! directory. The article toggles them off and straight back on to reset them; left off, hybrid
//! free/busy stops authenticating. The fix repeats the command with the setting back on.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::script::edits;
use crate::script::model::{Command, Param, Script};

/// The authentication settings watched, with what the note calls them.
const AUTH_PARAMS: &[(&str, &str)] = &[
    ("OAuthAuthentication", "OAuth"),
    ("WSSecurityAuthentication", "WSSecurity"),
];

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        for &(name, label) in AUTH_PARAMS {
            let Some(param) = cmd.param(name) else {
                continue;
            };
            if !is_off(script, param) || switched_on_later(script, cmd, name) {
                continue;
            }
            out.push(finding(script, cmd, param, name, label));
        }
    }
}

/// Given a value known to be `$false` (a bare switch or an unknown variable is not).
fn is_off(script: &Script, param: &Param) -> bool {
    param.value.is_some() && script.switch(param) == Some(false)
}

/// Whether a later command of the same cmdlet may set `name` back on for the same directory
/// (`$true`, or a value the script does not show: given the benefit of the doubt).
fn switched_on_later(script: &Script, cmd: &Command, name: &str) -> bool {
    script.after(cmd).any(|later| {
        later.name.eq_ignore_ascii_case(&cmd.name)
            && script.same_target(cmd, later)
            && later
                .param(name)
                .is_some_and(|p| p.value.is_some() && !is_off(script, p))
    })
}

/// The finding for `param` switched off, with the line that switches it on again.
fn finding(script: &Script, cmd: &Command, param: &Param, name: &str, label: &str) -> Finding {
    let mut f = Finding::new(Code::FB103, param.full_range());
    let target = cmd.identity().map_or_else(
        || "this virtual directory".to_string(),
        |v| format!("`{}`", script.literal(v).unwrap_or(&v.text)),
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
        edits: vec![edits::insert_after(
            script.text,
            cmd.statement.clone(),
            &[line],
        )],
    });
    f
}

/// The identity as written (`-Identity "X"` or `"X"`; splatted: `-Identity "X"`), to repeat it
/// on the fix line.
fn identity_text(script: &Script, cmd: &Command) -> Option<String> {
    let Some(p) = cmd.param("Identity") else {
        return script
            .text
            .get(cmd.first_positional()?.range.clone())
            .map(str::to_string);
    };
    let value = p.value.as_ref()?;
    if p.splatted() {
        return Some(format!("-Identity {}", value.text));
    }
    script.text.get(p.full_range()).map(str::to_string)
}
