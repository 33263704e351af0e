//! FB102: the `Set-AuthConfig` certificate rotation with a step missing or out of order. A new
//! certificate staged with `-NewCertificateThumbprint` and never published waits for its effective
//! date while the old one stays in use; `-ClearPreviousCertificate` run before the
//! `-PublishCertificate` of the same rotation clears the wrong one, and publishing afterwards makes
//! the old certificate the previous one again. A `-WhatIf` run is no step.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::lines::LineIndex;
use crate::script::edits;
use crate::script::model::{Command, Script};
use std::ops::Range;

const PUBLISH: &str = "Set-AuthConfig -PublishCertificate";

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let found = match step(script, cmd) {
            Step::New => unpublished(script, cmd),
            Step::Clear => cleared_early(script, cmd),
            _ => None,
        };
        out.extend(found);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    New,
    Publish,
    Clear,
    Other,
}

/// What a command does in a certificate rotation (a `-WhatIf` run does nothing).
fn step(script: &Script, cmd: &Command) -> Step {
    if !cmd.is("Set-AuthConfig") || on(script, cmd, "WhatIf", false) {
        return Step::Other;
    }
    if cmd.param("NewCertificateThumbprint").is_some() {
        Step::New
    } else if on(script, cmd, "PublishCertificate", true) {
        Step::Publish
    } else if on(script, cmd, "ClearPreviousCertificate", false) {
        Step::Clear
    } else {
        Step::Other
    }
}

/// Whether switch `full` is on; `unknown` when its value cannot be told.
fn on(script: &Script, cmd: &Command, full: &str, unknown: bool) -> bool {
    cmd.param(full)
        .is_some_and(|p| script.switch(p).unwrap_or(unknown))
}

/// The rotation steps of kind `kind` that start in `range`, in order.
fn steps_in<'s>(
    script: &'s Script,
    range: Range<usize>,
    kind: Step,
) -> impl Iterator<Item = &'s Command> + 's {
    script
        .commands_in(range)
        .iter()
        .filter(move |c| step(script, c) == kind)
}

/// `-NewCertificateThumbprint` with no `-PublishCertificate` after it.
fn unpublished(script: &Script, cmd: &Command) -> Option<Finding> {
    if script.after(cmd).any(|c| step(script, c) == Step::Publish) {
        return None;
    }
    let thumbprint = cmd.param("NewCertificateThumbprint")?;
    let mut f = Finding::new(Code::FB102, thumbprint.full_range());
    f.note = Some(
        "Nothing later publishes the new certificate: it waits for its effective date and the previous one stays in use."
            .into(),
    );
    f.suggestions.push(Suggestion {
        title: format!("Add {PUBLISH} after it"),
        edits: vec![edits::insert_after(
            script.text,
            cmd.statement.clone(),
            &[PUBLISH.into()],
        )],
    });
    Some(f)
}

/// `-ClearPreviousCertificate` before the `-PublishCertificate` of the same rotation.
fn cleared_early(script: &Script, cmd: &Command) -> Option<Finding> {
    let at = cmd.range.start;
    // The rotation this clear belongs to starts at the nearest -NewCertificateThumbprint before it.
    let from = script
        .commands_in(0..at)
        .iter()
        .rev()
        .find(|c| step(script, c) == Step::New)
        .map_or(0, |c| c.range.start);
    let to = steps_in(script, at + 1..usize::MAX, Step::New)
        .next()
        .map_or(usize::MAX, |c| c.range.start);
    if steps_in(script, from..at, Step::Publish).next().is_some() {
        return None;
    }
    let publish = steps_in(script, at + 1..to, Step::Publish).next()?;
    let clear = cmd.param("ClearPreviousCertificate")?;
    let mut f = Finding::new(Code::FB102, clear.full_range());
    let line = LineIndex::new(script.text).line(publish.range.start) + 1;
    f.note = Some(format!(
        "Runs before the `-PublishCertificate` on line {line}: publishing afterwards makes the old certificate the previous one again."
    ));
    f.suggestions.push(reorder(script.text, cmd, publish));
    Some(f)
}

/// Moves the clearing statement after the publishing one when it has its line(s) to itself; else
/// publishes before clearing.
fn reorder(text: &str, clear: &Command, publish: &Command) -> Suggestion {
    let stmt = clear.statement.clone();
    if let Some(moved) = edits::move_after(text, stmt.clone(), publish.statement.clone()) {
        return Suggestion {
            title: format!("Move it after {PUBLISH}"),
            edits: moved,
        };
    }
    Suggestion {
        title: format!("Add {PUBLISH} before it"),
        edits: vec![edits::insert_before(text, stmt, &[PUBLISH.into()])],
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn half_typed_lines_do_not_panic() {
        crate::script::rules::analyse_each(&[
            "Set-AuthConfig -NewCertificateThumbprint",
            "Set-AuthConfig -ClearPreviousCertificate\nSet-AuthConfig -Pub",
            "Set-AuthConfig -WhatIf:",
            "if ($x) { Set-AuthConfig -NewCertificateThumbprint $t }",
        ]);
    }
}
