//! Virtual directory authentication and IIS: FB103, FB113.
use crate::finding::{Edit, Finding, Suggestion};
use crate::script::model::{Command, Script};

/// FB103: OAuth or WSSecurity switched off on a virtual directory and not on again.
pub fn auth_switched_off(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB113: `iisreset` without `/noforce` (the query selects every `iisreset`).
pub fn iisreset_without_noforce(_script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let noforce = cmd
            .positionals
            .iter()
            .any(|v| v.text.eq_ignore_ascii_case("/noforce"));
        if noforce {
            continue;
        }
        let mut f = Finding::new("FB113", cmd.range.clone());
        f.suggestions.push(Suggestion {
            title: "Add /noforce".into(),
            edits: vec![Edit {
                range: cmd.name_range.end..cmd.name_range.end,
                text: " /noforce".into(),
            }],
        });
        out.push(f);
    }
}
