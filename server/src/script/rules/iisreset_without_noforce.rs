//! FB113 iisreset-without-noforce: `iisreset` run without `/noforce` (the query selects every
//! `iisreset`). Without it IIS kills worker processes that do not stop in time, cutting off the
//! requests in flight; with it IIS refuses to reset instead. The fix adds `/noforce`.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::script::edits;
use crate::script::model::{Command, Script};

pub fn check(_script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let noforce = cmd
            .positionals
            .iter()
            .any(|v| v.text.eq_ignore_ascii_case("/noforce"));
        if noforce {
            continue;
        }
        let at = cmd.name_range.end;
        let mut f = Finding::new(Code::FB113, cmd.range.clone());
        f.suggestions.push(Suggestion {
            title: "Add /noforce".into(),
            edits: vec![edits::replace(at..at, " /noforce")],
        });
        out.push(f);
    }
}
