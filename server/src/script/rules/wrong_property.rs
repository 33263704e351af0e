//! FB114: a Format-/Select- stage naming a property the object before it does not have
//! (`Get-IntraOrganizationConnector | FL TargetAutodiscoverEpr`). PowerShell prints nothing for
//! it, which reads as "not set"; the value is under another name on that object. Which names the
//! article puts on the wrong object is data (`knowledge/tables/properties.toml`).
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::knowledge::WrongProperty;
use crate::script::edits;
use crate::script::model::{Command, Script};
use std::ops::Range;

/// Pipeline stages that pass the objects through unchanged (looked through to find the source).
const FILTERS: &[&str] = &["Where-Object", "where", "?", "Sort-Object", "sort"];

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let catalog = script.catalog;
    for cmd in commands {
        let Some(source) = pipeline_source(script, cmd) else {
            continue;
        };
        let Some(wrong) = catalog
            .wrong_properties()
            .iter()
            .find(|w| source.is(&w.cmdlet))
        else {
            continue;
        };
        for range in property_names(cmd) {
            if script.text[range.clone()].eq_ignore_ascii_case(&wrong.name) {
                out.push(finding(wrong, range));
            }
        }
    }
}

fn finding(wrong: &WrongProperty, range: Range<usize>) -> Finding {
    let WrongProperty {
        cmdlet,
        name,
        right,
    } = wrong;
    let mut f = Finding::new(Code::FB114, range.clone());
    f.note = Some(format!(
        "`{cmdlet}` has no `{name}` property: the value is under `{right}`."
    ));
    f.suggestions.push(Suggestion {
        title: format!("Show {right}"),
        edits: vec![edits::replace(range, right.clone())],
    });
    f
}

/// The command that produces the objects `cmd` receives, looking through filters.
fn pipeline_source<'s>(script: &'s Script, cmd: &Command) -> Option<&'s Command> {
    let mut prev = script.previous_stage(cmd)?;
    while FILTERS.iter().any(|f| prev.is(f)) {
        prev = script.previous_stage(prev)?;
    }
    Some(prev)
}

/// The ranges of the property names a Format-/Select- command is given (positional or
/// `-Property` / `-ExpandProperty`), each list item on its own, without quotes.
fn property_names(cmd: &Command) -> Vec<Range<usize>> {
    let named = ["Property", "ExpandProperty"]
        .into_iter()
        .filter_map(|full| cmd.value(full));
    cmd.positionals
        .iter()
        .chain(named)
        .flat_map(|v| v.items())
        .collect()
}
