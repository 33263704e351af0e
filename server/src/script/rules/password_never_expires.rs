//! FB110 password-never-expires: password expiry switched off (`-PasswordNeverExpires $true`,
//! `-PasswordPolicies DisablePasswordExpiration`, also inside a `-BodyParameter` hashtable).
//! The article offers it as a workaround for an expired password that breaks the sync; left in
//! place it weakens the account for good.
use crate::code::Code;
use crate::finding::Finding;
use crate::script::model::{Command, Script, Value, ValueKind};
use std::ops::Range;

/// The parameters that name the user in MSOnline, AzureAD and Microsoft Graph, for the note.
const USER_PARAMS: &[&str] = &["UserPrincipalName", "ObjectId", "UserId"];

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(range) = expiry_off(script, cmd) else {
            continue;
        };
        let mut f = Finding::new(Code::FB110, range);
        let user = USER_PARAMS
            .iter()
            .find_map(|p| cmd.value(p))
            .or_else(|| cmd.first_positional());
        if let Some(user) = user {
            let shown = script.literal(user).unwrap_or(&user.text);
            f.note = Some(format!("The password of {shown} will never expire."));
        }
        out.push(f);
    }
}

/// Where `cmd` switches expiry off: the parameter, or the hashtable entry that does it.
fn expiry_off(script: &Script, cmd: &Command) -> Option<Range<usize>> {
    if let Some(p) = cmd.param("PasswordNeverExpires") {
        let on = p
            .value
            .as_ref()
            .is_some_and(|v| script.resolve(v).kind == ValueKind::Bool(true));
        if on {
            return Some(p.full_range());
        }
    }
    if let Some(p) = cmd.param("PasswordPolicies") {
        if p.value.as_ref().is_some_and(|v| disables_expiry(script, v)) {
            return Some(p.full_range());
        }
    }
    // `-BodyParameter @{ PasswordPolicies = "DisablePasswordExpiration" }`
    cmd.params
        .iter()
        .filter_map(|p| p.value.as_ref())
        .filter_map(|v| match &v.kind {
            ValueKind::Hash(entries) => Some(entries),
            _ => None,
        })
        .flatten()
        .find(|(k, v)| k.eq_ignore_ascii_case("PasswordPolicies") && disables_expiry(script, v))
        .map(|(_, v)| v.range.clone())
}

fn disables_expiry(script: &Script, value: &Value) -> bool {
    script
        .literal(value)
        .is_some_and(|s| s.to_ascii_lowercase().contains("disablepasswordexpiration"))
}
