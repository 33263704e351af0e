//! The script rules, by code. Each family has a query file selecting the commands its rules look
//! at (`queries/powershell/<family>.scm`, captures named `@FBnnn`) and a Rust file concluding.
mod auth_config_rotation;
mod auth_service_name;
mod calendar_default_access;
mod domains_replaced;
mod endpoint_url_shape;
mod iisreset_without_noforce;
mod immutable_id_left_set;
mod ioc_disabled;
mod literal_password;
mod password_never_expires;
mod placeholder_left;
mod psexec_internet_explorer;
mod refresh_metadata_once;
mod retired_modules;
mod shared_principal_upload;
mod smtp_certificate_prompt;
mod temporary_upn_left;
mod vdir_auth_left_off;
mod working_hours;
mod wrong_property;

use super::model::{Command, Script};
use super::parse::language;
use crate::code::Code;
use crate::finding::Finding;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Query, QueryCursor, Tree};

/// A rule: the script, the commands its query selected (in source order), where to report.
pub type Rule = fn(&Script, &[&Command], &mut Vec<Finding>);

/// Every rule, by code. A code here needs a data entry `knowledge/script/<code>-*.toml`.
pub const RULES: &[(Code, Rule)] = &[
    (Code::FB101, smtp_certificate_prompt::check),
    (Code::FB102, auth_config_rotation::check),
    (Code::FB103, vdir_auth_left_off::check),
    (Code::FB104, ioc_disabled::check),
    (Code::FB105, calendar_default_access::check),
    (Code::FB106, working_hours::check),
    (Code::FB107, immutable_id_left_set::check),
    (Code::FB108, temporary_upn_left::check),
    (Code::FB109, retired_modules::check),
    (Code::FB110, password_never_expires::check),
    (Code::FB111, endpoint_url_shape::check),
    (Code::FB112, auth_service_name::check),
    (Code::FB113, iisreset_without_noforce::check),
    (Code::FB114, wrong_property::check),
    (Code::FB115, refresh_metadata_once::check),
    (Code::FB116, domains_replaced::check),
    (Code::FB117, placeholder_left::check),
    (Code::FB118, literal_password::check),
    (Code::FB119, psexec_internet_explorer::check),
    (Code::FB120, shared_principal_upload::check),
];

/// Compiled family queries by file name, and problems compiling them (tests fail on any).
pub type Queries = (Vec<(String, Query)>, Vec<String>);

/// The compiled family queries.
pub fn queries() -> &'static Queries {
    static Q: OnceLock<Queries> = OnceLock::new();
    Q.get_or_init(|| {
        let mut ok = Vec::new();
        let mut problems = Vec::new();
        for (name, source) in crate::knowledge::embedded_queries() {
            match Query::new(&language(), source) {
                Ok(q) => ok.push((name.to_string(), q)),
                Err(e) => problems.push(format!("queries/powershell/{name}: {e}")),
            }
        }
        (ok, problems)
    })
}

/// Every family's patterns in one query, so the tree is walked once, not once per family.
fn combined() -> Option<&'static Query> {
    static Q: OnceLock<Option<Query>> = OnceLock::new();
    Q.get_or_init(|| {
        let files = crate::knowledge::embedded_queries();
        let source: Vec<&str> = files.iter().map(|(_, s)| *s).collect();
        Query::new(&language(), &source.join("\n")).ok()
    })
    .as_ref()
}

/// Runs the queries, then each rule on the commands captured under its code.
pub fn run(script: &Script, tree: &Tree) -> Vec<Finding> {
    let mut selected: BTreeMap<Code, Vec<usize>> = BTreeMap::new();
    let mut cursor = QueryCursor::new();
    if let Some(query) = combined() {
        let names = query.capture_names();
        let mut matches = cursor.matches(query, tree.root_node(), script.text.as_bytes());
        while let Some(m) = matches.next() {
            for cap in m.captures() {
                let Some(code) = Code::parse(names[cap.index as usize]) else {
                    continue;
                };
                let start = cap.node.start_byte();
                // Commands are in source order, and no two start at the same byte.
                if let Ok(i) = script
                    .commands
                    .binary_search_by_key(&start, |c| c.range.start)
                {
                    selected.entry(code).or_default().push(i);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (code, rule) in RULES {
        let Some(mut idx) = selected.remove(code) else {
            continue;
        };
        idx.sort_unstable();
        idx.dedup();
        let commands: Vec<&Command> = idx.iter().map(|&i| &script.commands[i]).collect();
        rule(script, &commands, &mut out);
    }
    out.sort_by_key(|f| (f.range.start, f.code));
    out
}

/// `text` with the first suggestion of every `code` finding applied (for the rules' unit tests).
#[cfg(test)]
pub(crate) fn fixed(text: &str, code: Code) -> String {
    let (found, _) = super::analyse(text, None);
    let edits: Vec<_> = found
        .into_iter()
        .filter(|f| f.code == code)
        .filter_map(|f| f.suggestions.into_iter().next())
        .flat_map(|s| s.edits)
        .collect();
    crate::finding::apply_edits(text, edits)
}

/// Analyses each text (half-typed lines in the rules' unit tests: none may panic).
#[cfg(test)]
pub(crate) fn analyse_each(texts: &[&str]) {
    for text in texts {
        let _ = super::analyse(text, None);
    }
}
