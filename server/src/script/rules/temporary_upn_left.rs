//! FB108 temporary-upn-left: a UPN changed to a temporary `*.onmicrosoft.com` name and never
//! changed back. The article's round trip through the tenant domain repairs a federated user's
//! cloud identity only when the user gets the original UPN back; left half-done, the user signs
//! in and is looked up under the wrong name.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::knowledge::Catalog;
use crate::script::edits;
use crate::script::model::{Command, Param, Script, Value};

/// The Microsoft Graph call that renames a user: cmdlet, the user, the new UPN. The retired
/// cmdlets that do the same are those whose fix renames parameters to these (`retired/`).
const RENAME: (&str, &str, &str) = ("Update-MgUser", "UserId", "UserPrincipalName");

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let catalog = script.catalog;
    for (i, cmd) in commands.iter().enumerate() {
        let Some(change) = upn_change(catalog, cmd) else {
            continue;
        };
        let Some(temp) = &change.upn.value else {
            continue;
        };
        if !script.literal(temp).is_some_and(temporary) {
            continue;
        }
        let back = commands[i + 1..]
            .iter()
            .filter_map(|c| upn_change(catalog, c))
            .any(|later| changes_back(script, &change, temp, &later));
        if back {
            continue;
        }
        out.push(finding(script, cmd, &change, temp));
    }
}

/// A UPN change as a command writes it: the parameters naming the user and the new UPN.
struct UpnChange<'c> {
    user: Option<&'c Value>,
    upn: &'c Param,
    user_param: &'c str,
    upn_param: &'c str,
}

/// The rename `cmd` makes, in its own parameter names: Graph's, or a retired cmdlet's that
/// map onto them.
fn upn_change<'c>(catalog: &'c Catalog, cmd: &'c Command) -> Option<UpnChange<'c>> {
    let (graph, user_id, upn_name) = RENAME;
    let (users, upn_param): (Vec<&str>, &str) = if cmd.is(graph) {
        (vec![user_id], upn_name)
    } else {
        let retired = catalog.retired_cmdlet(&cmd.name)?;
        let fix = retired
            .fix
            .as_ref()
            .filter(|_| retired.successor == graph)?;
        let renamed_to = |to: &str| -> Vec<&'c str> {
            let old = fix.params.iter().filter(|(_, new)| new == to);
            old.map(|(old, _)| old.as_str()).collect()
        };
        (renamed_to(user_id), *renamed_to(upn_name).first()?)
    };
    let upn = cmd.param(upn_param)?;
    let user = users
        .iter()
        .find_map(|p| cmd.value(p))
        .or_else(|| cmd.first_positional());
    Some(UpnChange {
        user,
        upn,
        user_param: users.first().copied()?,
        upn_param,
    })
}

/// Whether `later` renames the same user (by the temporary or the original name) to a UPN that
/// is not temporary (a value the script does not spell out counts as a change back).
fn changes_back(script: &Script, first: &UpnChange, temp: &Value, later: &UpnChange) -> bool {
    let Some(new) = &later.upn.value else {
        return false;
    };
    let Some(user) = later.user else {
        return false;
    };
    let same_user = script.same(user, temp) || first.user.is_some_and(|o| script.same(user, o));
    same_user && !script.literal(new).is_some_and(temporary)
}

fn finding(script: &Script, cmd: &Command, change: &UpnChange, temp: &Value) -> Finding {
    let mut f = Finding::new(Code::FB108, change.upn.full_range());
    let shown = |v: &Value| script.literal(v).unwrap_or(&v.text).to_string();
    f.note = Some(match change.user {
        Some(user) => format!(
            "{} keeps the temporary UPN {}: nothing later in the script changes it back.",
            shown(user),
            shown(temp)
        ),
        None => format!(
            "The temporary UPN {} is never changed back later in the script.",
            shown(temp)
        ),
    });
    // The change back needs the original UPN, spelled out (an object ID is no UPN).
    let original = change.user.filter(|u| {
        script
            .literal(u)
            .is_some_and(|s| s.contains('@') && !temporary(s))
    });
    if let Some(original) = original {
        let line = format!(
            "{} -{} {} -{} {}",
            cmd.name, change.user_param, temp.text, change.upn_param, original.text
        );
        f.suggestions.push(Suggestion {
            title: format!("Change the UPN back to {}", shown(original)),
            edits: vec![edits::insert_after(
                script.text,
                cmd.statement.clone(),
                &[line],
            )],
        });
    }
    f
}

/// A `*.onmicrosoft.com` name (`user@contoso.mail.onmicrosoft.com`).
fn temporary(upn: &str) -> bool {
    upn.trim()
        .to_ascii_lowercase()
        .ends_with(".onmicrosoft.com")
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyse;
    use crate::document::DocKind;
    use crate::finding::apply_edits;

    #[test]
    fn change_back_keeps_crlf_and_the_retired_cmdlets_names() {
        let text = "Set-MsolUserPrincipalName -UserPrincipalName u@contoso.com -NewUserPrincipalName u@contoso.onmicrosoft.com\r\nGet-Date\r\n";
        let (found, _) = analyse(DocKind::PowerShell, text, None, &Default::default());
        let f = found
            .iter()
            .find(|f| f.code == crate::code::Code::FB108)
            .unwrap();
        assert_eq!(
            apply_edits(text, f.suggestions[0].edits.clone()),
            "Set-MsolUserPrincipalName -UserPrincipalName u@contoso.com -NewUserPrincipalName u@contoso.onmicrosoft.com\r\nSet-MsolUserPrincipalName -UserPrincipalName u@contoso.onmicrosoft.com -NewUserPrincipalName u@contoso.com\r\nGet-Date\r\n"
        );
    }

    /// The Graph call the change back writes binds to real parameters of Update-MgUser.
    #[test]
    fn the_graph_rename_names_real_parameters() {
        let (cmdlet, user, upn) = super::RENAME;
        let data = crate::knowledge::catalog().cmdlet(cmdlet).unwrap();
        for p in [user, upn] {
            assert!(data.params.iter().any(|d| d.name == p), "{cmdlet} -{p}");
        }
    }
}
