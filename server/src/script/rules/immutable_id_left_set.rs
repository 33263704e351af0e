//! FB107 immutable-id-left-set: `Set-RemoteMailbox` / `Set-Mailbox -ImmutableId <value>` with no
//! later reset to `$null` for the same identity. The article's toggle sets the ImmutableId only
//! until the next synchronization has matched the objects; left set, it keeps tying the mailbox
//! to the temporary value and delegation-token requests fail.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::script::edits;
use crate::script::model::{Command, Script, Value, ValueKind};

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for (i, cmd) in commands.iter().enumerate() {
        let Some(param) = cmd.param("ImmutableId") else {
            continue;
        };
        let Some(value) = &param.value else {
            continue;
        };
        if clears(script, value) {
            continue;
        }
        let identity = cmd.identity();
        let reset = commands[i + 1..]
            .iter()
            .any(|later| resets(script, cmd, identity, later));
        if reset {
            continue;
        }
        let mut f = Finding::new(Code::FB107, param.full_range());
        match identity {
            Some(id) => {
                f.note = Some(format!(
                    "Nothing later in the script sets the ImmutableId of {} back to $null.",
                    script.literal(id).unwrap_or(&id.text)
                ));
                f.suggestions.push(reset_fix(script, cmd, id));
            }
            None => {
                f.note =
                    Some("Nothing later in the script sets the ImmutableId back to $null.".into())
            }
        }
        out.push(f);
    }
}

/// Whether `later` (same cmdlet as `cmd`) sets the ImmutableId of the same identity to `$null`.
fn resets(script: &Script, cmd: &Command, identity: Option<&Value>, later: &Command) -> bool {
    let cleared = later
        .value("ImmutableId")
        .is_some_and(|v| clears(script, v));
    let same_object = match (identity, later.identity()) {
        (Some(a), Some(b)) => script.same(a, b),
        _ => false,
    };
    later.name.eq_ignore_ascii_case(&cmd.name) && cleared && same_object
}

/// `$null` or an empty string: the value that clears the attribute.
fn clears(script: &Script, value: &Value) -> bool {
    let value = script.resolve(value);
    value.kind == ValueKind::Null || value.as_str().is_some_and(|s| s.trim().is_empty())
}

/// The article's toggle: set back to `$null` after the synchronization that follows (then
/// synchronize again), or right after the statement when none follows before the next
/// ImmutableId change (and always for `Set-Mailbox`: Exchange Online objects are not synced).
fn reset_fix(script: &Script, cmd: &Command, id: &Value) -> Suggestion {
    let mut lines = vec![format!(
        "{} -Identity {} -ImmutableId $null",
        cmd.name, id.text
    )];
    let after = match sync_after(script, cmd) {
        Some(sync) => {
            lines.push("Start-ADSyncSyncCycle -PolicyType Delta".into());
            sync.statement.clone()
        }
        None => cmd.statement.clone(),
    };
    Suggestion {
        title: "Set ImmutableId back to $null".into(),
        edits: vec![edits::insert_after(script.text, after, &lines)],
    }
}

/// The `Start-ADSyncSyncCycle` that synchronizes what `cmd` (a `Set-RemoteMailbox`) changed.
fn sync_after<'s>(script: &'s Script, cmd: &Command) -> Option<&'s Command> {
    if !cmd.is("Set-RemoteMailbox") {
        return None;
    }
    script
        .after(cmd)
        .filter(|c| c.statement.start >= cmd.statement.end)
        .take_while(|c| c.param("ImmutableId").is_none())
        .find(|c| c.is("Start-ADSyncSyncCycle"))
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyse;
    use crate::document::DocKind;
    use crate::finding::apply_edits;

    /// The reset lands after the synchronization, indented like the statement, in CRLF.
    #[test]
    fn reset_after_the_sync_keeps_crlf_and_indentation() {
        let text = "if ($x) {\r\n    Set-RemoteMailbox -Identity u@contoso.com -ImmutableId t@contoso.onmicrosoft.com\r\n    Start-ADSyncSyncCycle -PolicyType Delta\r\n}\r\n";
        let (found, _) = analyse(DocKind::PowerShell, text, None, &Default::default());
        let fix = found[0].suggestions[0].edits.clone();
        assert_eq!(
            apply_edits(text, fix),
            "if ($x) {\r\n    Set-RemoteMailbox -Identity u@contoso.com -ImmutableId t@contoso.onmicrosoft.com\r\n    Start-ADSyncSyncCycle -PolicyType Delta\r\n    Set-RemoteMailbox -Identity u@contoso.com -ImmutableId $null\r\n    Start-ADSyncSyncCycle -PolicyType Delta\r\n}\r\n"
        );
    }
}
