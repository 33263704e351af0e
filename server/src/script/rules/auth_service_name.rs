//! FB112: `Set-AuthConfig -ServiceName` set (directly or through a variable) to anything but
//! Exchange Online's application ID. Exchange presents that name in its OAuth tokens; with any
//! other, Exchange Online does not take them and cross-premises free/busy fails.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::script::edits;
use crate::script::model::{Command, Script};
use crate::well_known::EXCHANGE_ONLINE_APP_ID;

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(p) = cmd.param("ServiceName") else {
            continue;
        };
        let Some(written) = &p.value else {
            continue;
        };
        let Some(name) = script.literal(written).map(str::trim) else {
            continue;
        };
        let unknown = name.contains('$') || (name.starts_with('<') && name.ends_with('>'));
        if unknown || name.eq_ignore_ascii_case(EXCHANGE_ONLINE_APP_ID) {
            continue;
        }
        let mut f = Finding::new(Code::FB112, p.full_range());
        f.note = Some(format!(
            "`{name}`{} is not Exchange Online's application ID `{EXCHANGE_ONLINE_APP_ID}`.",
            whose(name)
        ));
        f.suggestions.push(Suggestion {
            title: format!("Use \"{EXCHANGE_ONLINE_APP_ID}\""),
            edits: vec![edits::replace(
                written.range.clone(),
                format!("\"{EXCHANGE_ONLINE_APP_ID}\""),
            )],
        });
        out.push(f);
    }
}

/// The other first-party service an ID belongs to, for the note (they share the suffix).
fn whose(name: &str) -> &'static str {
    match name.get(..8) {
        Some("00000003") => " (SharePoint Online's ID)",
        Some("00000004") => " (Skype for Business Online's ID)",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn half_typed_lines_do_not_panic() {
        crate::script::rules::analyse_each(&[
            "Set-AuthConfig -ServiceName \"",
            "Set-AuthConfig -ServiceName:",
            "$p = @{ ServiceName = }\nSet-AuthConfig @p",
        ]);
    }
}
