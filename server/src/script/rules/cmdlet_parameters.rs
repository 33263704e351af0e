//! FB121 cmdlet-parameters: a command that PowerShell would refuse to bind, judged from the
//! cmdlet's data (`knowledge/cmdlets/*.toml`) without the module loaded: a parameter the cmdlet
//! does not have or an abbreviation that fits several, parameters of two parameter sets, a value
//! outside the parameter's enumeration, a word where a Boolean goes, a value written after a
//! switch. A missing mandatory parameter is left alone (PowerShell prompts for it), and so is
//! every cmdlet without data and every command with a splat the model cannot see into.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::knowledge::catalog;
use crate::script::edits;
use crate::script::model::{Command, Script, ValueKind};
use crate::script::signature::{bind, Context, Located, Problem};

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(cmdlet) = catalog().cmdlet(&cmd.name) else {
            continue;
        };
        if hidden_parameters(script, cmd) {
            continue;
        }
        let binding = bind(cmd, cmdlet, Context { complete: false });
        for l in binding.problems.iter().filter(|l| reported(&l.problem)) {
            out.push(finding(script, cmd, &cmdlet.name, l));
        }
    }
}

/// Parameters the model cannot list: a splat of something other than a literal hashtable
/// assigned before (`@args`, `@PSBoundParameters`, a hashtable built in a loop).
fn hidden_parameters(script: &Script, cmd: &Command) -> bool {
    cmd.positionals.iter().any(|v| match &v.kind {
        ValueKind::Splat(name) => script
            .assignment_before(name, v.range.start)
            .is_none_or(|a| !matches!(a.value.kind, ValueKind::Hash(_))),
        _ => false,
    })
}

/// Values another rule judges with its own message and fix: (parameter, why).
const JUDGED_ELSEWHERE: &[(&str, &str)] = &[(
    "AccessRights",
    "FB105 names the folder access right meant, with the calendar's context",
)];

/// What a user's script gets told: what PowerShell refuses as written. Missing mandatory
/// parameters (a prompt), sets left open and positional arguments (the data may not know every
/// positional slot) are not.
fn reported(p: &Problem) -> bool {
    match p {
        Problem::Missing { .. }
        | Problem::AmbiguousSet { .. }
        | Problem::ExtraPositional { .. } => false,
        Problem::NotAllowed { param, .. } => !JUDGED_ELSEWHERE
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case(param)),
        _ => true,
    }
}

fn finding(script: &Script, cmd: &Command, cmdlet: &str, l: &Located) -> Finding {
    let mut f = Finding::new(Code::FB121, l.range.clone());
    f.note = Some(l.problem.message(cmdlet));
    f.suggestions = suggestions(script, cmd, l);
    f
}

/// "Did you mean": the nearest parameter name or allowed value, each candidate of an ambiguous
/// abbreviation, the switch's value joined with a colon.
fn suggestions(script: &Script, cmd: &Command, l: &Located) -> Vec<Suggestion> {
    let text = script.text;
    let token = text.get(l.range.clone()).unwrap_or("");
    let colon = if token.ends_with(':') { ":" } else { "" };
    let splatted = cmd
        .params
        .iter()
        .any(|p| p.range == l.range && p.splatted());
    let rename = |name: &str| Suggestion {
        title: format!("Use -{name}"),
        edits: vec![edits::replace(l.range.clone(), format!("-{name}{colon}"))],
    };
    match &l.problem {
        Problem::Unknown {
            nearest: Some(n), ..
        } if !splatted => vec![rename(n)],
        Problem::Ambiguous { candidates, .. } if !splatted => likely(script, cmd, l, candidates)
            .into_iter()
            .map(rename)
            .collect(),
        Problem::NotAllowed {
            nearest: Some(n), ..
        } => vec![Suggestion {
            title: format!("Use {n}"),
            edits: vec![edits::replace(l.range.clone(), n.clone())],
        }],
        Problem::SwitchValue { param, value } => vec![Suggestion {
            title: format!("Write -{param}:{value}"),
            edits: vec![edits::replace(l.range.clone(), format!("-{param}:{value}"))],
        }],
        _ => Vec::new(),
    }
}

/// The candidates of an ambiguous abbreviation that can take what is written after it, those
/// whose enumeration holds the value first.
fn likely<'c>(
    script: &Script,
    cmd: &Command,
    l: &Located,
    candidates: &'c [String],
) -> Vec<&'c str> {
    use crate::knowledge::schema::ValueType;
    let Some(cmdlet) = catalog().cmdlet(&cmd.name) else {
        return Vec::new();
    };
    let written = cmd.params.iter().find(|p| p.range == l.range);
    let value = written.and_then(|p| p.value.as_ref());
    let word = value.and_then(|v| script.literal(v));
    let mut out: Vec<(bool, &str)> = Vec::new();
    for name in candidates {
        let Some(p) = cmdlet.params.iter().find(|p| p.name == *name) else {
            out.push((false, name));
            continue;
        };
        let switch = p.value_type() == ValueType::Switch;
        let colon = written.is_some_and(|w| w.colon);
        if value.is_some() && switch && !colon || value.is_none() && !switch {
            continue;
        }
        let listed = |w: &str| p.values.iter().any(|x| x.eq_ignore_ascii_case(w));
        match word {
            Some(w) if !p.values.is_empty() && !listed(w) => continue,
            Some(_) if p.value_type() == ValueType::Bool => continue,
            Some(w) => out.push((listed(w), name)),
            None => out.push((false, name)),
        }
    }
    out.sort_by_key(|(listed, _)| !listed);
    out.into_iter().map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::rules::{analyse_each, fixed};

    #[test]
    fn misspelt_names_and_values_get_the_nearest() {
        let t = "Set-OrganizationRelationship x -FreeBusyAcessLevel LimitedDetail\n";
        let once = fixed(t, Code::FB121);
        assert_eq!(
            fixed(&once, Code::FB121),
            "Set-OrganizationRelationship x -FreeBusyAccessLevel LimitedDetails\n"
        );
        assert_eq!(
            fixed(
                "Set-OrganizationRelationship x -Force $false\n",
                Code::FB121
            ),
            "Set-OrganizationRelationship x -Force:$false\n"
        );
    }

    #[test]
    fn unknown_cmdlets_and_hidden_splats_are_left_alone() {
        let quiet = [
            "Set-Whatever -Frobnicate 1\n",
            "Get-Mailbox @args -Frobnicate 1\n",
            "Get-Mailbox @PSBoundParameters\n",
            "Set-OrganizationRelationship\n",
        ];
        for t in quiet {
            let (found, _) = crate::script::analyse(t, None);
            assert!(
                found.iter().all(|f| f.code != Code::FB121),
                "{t}: {found:?}"
            );
        }
        analyse_each(&["Get-Mailbox -", "Get-Mailbox -:", "Get-Mailbox @", "fl -"]);
    }
}
