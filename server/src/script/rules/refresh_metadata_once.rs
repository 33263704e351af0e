//! FB115: `Set-FederationTrust -RefreshMetadata` run once. The article's procedure refreshes the
//! federation metadata twice (the first run may fetch what the second completes); a script that
//! does it once, outside a loop, is one step short. The fix runs the same statement again.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::script::edits;
use crate::script::model::{Command, Script};

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let refreshes: Vec<&&Command> = commands
        .iter()
        .filter(|c| c.param("RefreshMetadata").is_some())
        .collect();
    let [cmd] = refreshes.as_slice() else {
        return;
    };
    if cmd.in_loop {
        return;
    }
    let mut f = Finding::new(Code::FB115, cmd.range.clone());
    f.note = Some("The metadata is refreshed once; the procedure runs the refresh twice.".into());
    let statement = script
        .text
        .get(cmd.statement.clone())
        .unwrap_or("")
        .trim_end();
    f.suggestions.push(Suggestion {
        title: "Run the refresh a second time".into(),
        edits: vec![edits::insert_after(
            script.text,
            cmd.statement.clone(),
            &[statement.to_string()],
        )],
    });
    out.push(f);
}
