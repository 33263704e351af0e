//! FB109 retired-modules: cmdlets of the retired MSOnline / AzureAD modules, and installing or
//! importing those modules. They stopped working against the service, so a script the article
//! inspired fails before it changes anything; the note names the Microsoft Graph PowerShell
//! successor (`knowledge/retired/`), and a call that maps one to one is rewritten.
use crate::code::Code;
use crate::finding::{Edit, Finding, Suggestion};
use crate::knowledge::{Catalog, Retired};
use crate::script::edits;
use crate::script::model::{Command, Param, Script};

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let catalog = script.catalog;
    for cmd in commands {
        if cmd.is("Import-Module") || cmd.is("Install-Module") {
            out.extend(module_load(catalog, cmd));
            continue;
        }
        let Some(module) = catalog.retired_module_of(&cmd.name) else {
            continue;
        };
        let retired = catalog.retired_cmdlet(&cmd.name);
        let mut f = Finding::new(Code::FB109, cmd.name_range.clone());
        f.note = Some(match retired {
            Some(r) => format!(
                "{} is from the retired {} module; in Microsoft Graph PowerShell: {}.",
                cmd.name,
                module.name,
                r.note.get("en").unwrap_or(&r.successor)
            ),
            None => format!(
                "{} is from the retired {} module; use its Microsoft Graph PowerShell \
                 equivalent (Microsoft.Graph modules, Connect-MgGraph).",
                cmd.name, module.name
            ),
        });
        f.suggestions
            .extend(retired.and_then(|r| graph_call(catalog, cmd, r)));
        out.push(f);
    }
}

/// `Install-Module MSOnline` / `Import-Module AzureAD`: the module name replaced.
fn module_load(catalog: &Catalog, cmd: &Command) -> Option<Finding> {
    let value = cmd.value("Name").or_else(|| cmd.first_positional())?;
    let name = value.as_str()?.trim();
    let module = catalog
        .retired_modules()
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(name))?;
    let graph = if cmd.is("Install-Module") {
        &module.install
    } else {
        &module.import
    };
    let mut f = Finding::new(Code::FB109, value.range.clone());
    f.note = Some(format!(
        "{} is retired; {} {graph} (Microsoft Graph PowerShell) instead.",
        module.name, cmd.name
    ));
    f.suggestions.push(Suggestion {
        title: format!("Use {graph}"),
        edits: vec![edits::replace(value.range.clone(), graph.as_str())],
    });
    Some(f)
}

/// The call rewritten for Microsoft Graph, when every parameter carries over.
fn graph_call(catalog: &Catalog, cmd: &Command, retired: &Retired) -> Option<Suggestion> {
    let fix = retired.fix.as_ref()?;
    if !cmd.positionals.is_empty() {
        return None;
    }
    let successor = catalog.cmdlet(&retired.successor)?;
    let mut name = retired.successor.clone();
    for (param, value) in &fix.add {
        name.push_str(&format!(" -{param} {}", edits::quote(value)));
    }
    let mut out = vec![edits::replace(cmd.name_range.clone(), name)];
    for p in &cmd.params {
        // The rename whose retired parameter `p` binds to (exact names before abbreviations).
        let (_, new) = fix
            .params
            .iter()
            .find(|(old, _)| cmd.param(old).is_some_and(|b| b.range == p.range))?;
        let switch = successor.param(new).is_some_and(|s| s.switch);
        out.extend(renamed(p, new, switch));
    }
    Some(Suggestion {
        title: format!("Use {}", retired.successor),
        edits: out,
    })
}

/// `-Old value` as `-New value`; a value given to what is a switch in Graph (`-All $true`,
/// `-AccountEnabled $false`) is joined with a colon, the only way a switch takes one.
fn renamed(p: &Param, new: &str, switch: bool) -> Option<Edit> {
    match &p.value {
        Some(v) if switch && !p.colon => Some(edits::replace(
            p.range.start..v.range.start,
            format!("-{new}:"),
        )),
        _ if p.name.eq_ignore_ascii_case(new) => None,
        _ => {
            let colon = if p.colon { ":" } else { "" };
            Some(edits::replace(p.range.clone(), format!("-{new}{colon}")))
        }
    }
}
