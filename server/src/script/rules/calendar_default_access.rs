//! FB105 calendar-default-access: `Set-`/`Add-MailboxFolderPermission` giving `Default` the right
//! `None` on a calendar folder, which hides even free/busy times from everyone (other
//! organizations included), or an `-AccessRights` value that is no access right at all, which
//! makes the cmdlet refuse the whole command. The rights a cmdlet takes are its `-AccessRights`
//! values in `knowledge/cmdlets/`; the fixes offer the two roles that share free/busy only.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::knowledge::Severity;
use crate::script::edits;
use crate::script::model::{Command, Param, Script, Value, ValueKind};

/// The two roles that share free/busy with `Default` without opening the calendar's items.
const SHARING_ROLES: [&str; 2] = ["AvailabilityOnly", "LimitedDetails"];

/// Calendar folder names as they end an `-Identity` (English and the localized `Kalender`).
const CALENDAR_SUFFIXES: &[&str] = &[":\\calendar", ":\\kalender"];

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(param) = cmd.param("AccessRights") else {
            continue;
        };
        let Some(value) = &param.value else {
            continue;
        };
        let Some(rights) = access_rights(script, value) else {
            continue;
        };
        let known = known_rights(script, cmd);
        let calendar = folder(script, cmd).map(|f| is_calendar(&f));
        let invalid = |r: &&String| !known.iter().any(|k| k.eq_ignore_ascii_case(r));
        if let Some(bad) = rights.iter().find(invalid).filter(|_| !known.is_empty()) {
            out.push(invalid_right(param, value, bad, &rights, &known, calendar));
        } else if calendar == Some(true)
            && matches!(rights.as_slice(), [r] if r.eq_ignore_ascii_case("None"))
            && user_is_default(script, cmd)
        {
            out.push(default_none(param, value));
        }
    }
}

/// The values the cmdlet's `-AccessRights` accepts (roles, then single rights), from its data.
fn known_rights<'s>(script: &Script<'s>, cmd: &Command) -> Vec<&'s str> {
    script
        .catalog
        .cmdlet(&cmd.name)
        .and_then(|c| c.param("AccessRights"))
        .map(|p| p.values.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The rights a value names, when they are all literal (`None`, `ReadItems,CreateItems`).
/// `None` for variables without a literal, expressions, and `<...>` placeholders (FB117's).
fn access_rights(script: &Script, value: &Value) -> Option<Vec<String>> {
    let value = script.resolve(value);
    let list = match &value.kind {
        ValueKind::Str(s) => s.as_str(),
        ValueKind::Array => value
            .text
            .trim()
            .trim_start_matches("@(")
            .trim_end_matches(')'),
        _ => return None,
    };
    let items: Vec<String> = list
        .split(',')
        .map(|s| s.trim().trim_matches(['"', '\'']).trim().to_string())
        .collect();
    let literal = |s: &String| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    items.iter().all(literal).then_some(items)
}

/// The folder the command changes: its identity, else the identity of a
/// `Get-MailboxFolderPermission` piped into it.
fn folder(script: &Script, cmd: &Command) -> Option<String> {
    folder_identity(script, cmd).or_else(|| {
        let prev = script.previous_stage(cmd)?;
        prev.is("Get-MailboxFolderPermission")
            .then(|| folder_identity(script, prev))
            .flatten()
    })
}

/// The literal identity of a folder command. A `<mailbox ID>:\Calendar` placeholder is split
/// into several words by the parser; they are joined again so the folder name still shows.
fn folder_identity(script: &Script, cmd: &Command) -> Option<String> {
    let value = cmd.identity()?;
    if value.text.contains('<') && !value.text.contains('>') {
        let end = cmd
            .positionals
            .iter()
            .filter(|v| v.range.start > value.range.start)
            .take_while(|v| {
                !cmd.params
                    .iter()
                    .any(|p| (value.range.end..v.range.start).contains(&p.range.start))
            })
            .find(|v| v.text.contains('>'))
            .map_or(value.range.end, |v| v.range.end);
        return script.text.get(value.range.start..end).map(str::to_string);
    }
    script.literal(value).map(str::to_string)
}

fn is_calendar(folder: &str) -> bool {
    let folder = folder.trim().to_lowercase();
    CALENDAR_SUFFIXES.iter().any(|s| folder.ends_with(s))
}

/// `-User Default`, written or carried by a piped `Get-MailboxFolderPermission -User Default`.
fn user_is_default(script: &Script, cmd: &Command) -> bool {
    let default = |c: &Command| {
        c.value("User")
            .and_then(|v| script.literal(v))
            .is_some_and(|u| u.trim().eq_ignore_ascii_case("Default"))
    };
    if cmd.param("User").is_some() {
        return default(cmd);
    }
    script
        .previous_stage(cmd)
        .is_some_and(|p| p.is("Get-MailboxFolderPermission") && default(p))
}

fn default_none(param: &Param, value: &Value) -> Finding {
    let mut f = Finding::new(Code::FB105, param.full_range());
    f.note = Some(
        "Default with None hides even free/busy times from everyone, including other organizations."
            .into(),
    );
    f.suggestions = SHARING_ROLES
        .iter()
        .map(|role| use_right(param, value, role))
        .collect();
    f
}

/// `calendar`: whether the folder is a calendar (`None` when the identity is not literal). A
/// single wrong right gets fixes: the sharing roles on a calendar, and the nearest right.
fn invalid_right(
    param: &Param,
    value: &Value,
    bad: &str,
    rights: &[String],
    known: &[&str],
    calendar: Option<bool>,
) -> Finding {
    let mut f = Finding::new(Code::FB105, param.full_range());
    f.severity = Some(Severity::Error);
    f.note = Some(format!(
        "`{bad}` is not a folder access right: the cmdlet refuses the whole command."
    ));
    if rights.len() == 1 {
        let mut choices: Vec<&str> = Vec::new();
        if calendar != Some(false) {
            choices.extend(SHARING_ROLES);
        }
        if let Some(near) = crate::text::nearest(bad, known.iter().copied(), 3) {
            if !choices.contains(&near) {
                choices.push(near);
            }
        }
        f.suggestions = choices
            .into_iter()
            .map(|c| use_right(param, value, c))
            .collect();
    }
    f
}

/// A suggestion that writes `right` in place of `value`, keeping its quotes (and quoting it
/// inside a splatted hashtable, where a bare word would not parse).
fn use_right(param: &Param, value: &Value, right: &str) -> Suggestion {
    Suggestion {
        title: format!("Use {right}"),
        edits: vec![edits::replace(
            value.range.clone(),
            edits::same_quotes(&value.text, right, param.splatted()),
        )],
    }
}
