//! FB116: a domain list (`-TargetAddressDomains`, `-DomainNames`) given a plain value on a `Set-`
//! cmdlet. A plain value replaces every domain already listed, so the other domains silently lose
//! free/busy; `@{Add=...}` adds to the list. Which parameters are such lists is cmdlet data
//! (`domain_list = true` in `knowledge/cmdlets/`).
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::script::edits;
use crate::script::model::{Command, Script, Value, ValueKind};

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let catalog = script.catalog;
    for cmd in commands {
        let Some(cmdlet) = catalog.cmdlet(&cmd.name) else {
            continue;
        };
        for list in cmdlet.params.iter().filter(|p| p.domain_list) {
            let Some(param) = cmd.param(&list.name) else {
                continue;
            };
            let Some(value) = &param.value else {
                continue;
            };
            if !replaces(script, value) {
                continue;
            }
            let mut f = Finding::new(Code::FB116, param.full_range());
            f.note = Some(format!(
                "`-{}` set to a plain value replaces every domain already listed.",
                list.name
            ));
            f.suggestions.push(Suggestion {
                title: "Add to the list instead".into(),
                edits: vec![edits::replace(value.range.clone(), add(script, value))],
            });
            out.push(f);
        }
    }
}

/// A plain value or list. A hashtable (`@{add=...}`) edits the list; `$null`, `""` and unknown
/// values are left alone.
fn replaces(script: &Script, value: &Value) -> bool {
    match &script.resolve(value).kind {
        ValueKind::Str(s) => !s.trim().is_empty(),
        ValueKind::Array => true,
        _ => false,
    }
}

/// `@{add=...}` around the value: a variable as it is, each list item quoted.
fn add(script: &Script, value: &Value) -> String {
    if matches!(value.kind, ValueKind::Variable(_)) {
        return edits::add_to_list(std::slice::from_ref(&value.text));
    }
    let items: Vec<String> = value
        .items()
        .into_iter()
        .map(|r| format!("\"{}\"", &script.text[r]))
        .collect();
    edits::add_to_list(&items)
}
