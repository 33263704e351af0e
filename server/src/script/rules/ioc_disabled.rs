//! FB104: `Set-IntraOrganizationConnector -Enabled $false`. Free/busy through the connector then
//! stops using OAuth and falls back to the organization relationship (DAuth): a way to test, but
//! left in a script it quietly changes how every lookup authenticates.
use crate::code::Code;
use crate::finding::Finding;
use crate::script::model::{Command, Script, ValueKind};

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(param) = cmd.param("Enabled") else {
            continue;
        };
        let off = param
            .value
            .as_ref()
            .is_some_and(|v| script.resolve(v).kind == ValueKind::Bool(false));
        if !off {
            continue;
        }
        let mut f = Finding::new(Code::FB104, param.full_range());
        f.note = Some(
            "Free/busy through this connector stops using OAuth and falls back to the \
             organization relationship (DAuth)."
                .into(),
        );
        out.push(f);
    }
}
