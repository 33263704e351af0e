//! The script rules, by code. Each family has a query file selecting the commands its rules look
//! at (`queries/powershell/<family>.scm`, captures named `@FBnnn`) and a Rust file concluding.
mod certificates;
mod connectors;
mod hygiene;
mod identities;
mod permissions;
mod virtual_directories;

use super::model::{Command, Script};
use super::parse::language;
use crate::finding::Finding;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Query, QueryCursor, Tree};

/// A rule: the script, the commands its query selected (in source order), where to report.
pub type Rule = fn(&Script, &[&Command], &mut Vec<Finding>);

/// Every rule, by code. A code here needs a data entry `knowledge/script/<code>-*.toml`.
pub const RULES: &[(&str, Rule)] = &[
    ("FB101", certificates::smtp_certificate_prompt),
    ("FB102", certificates::auth_config_rotation),
    ("FB103", virtual_directories::auth_switched_off),
    ("FB104", connectors::ioc_disabled),
    ("FB105", permissions::calendar_default_access),
    ("FB106", permissions::working_hours),
    ("FB107", identities::immutable_id_left_set),
    ("FB108", identities::temporary_upn_left),
    ("FB109", identities::retired_modules),
    ("FB110", identities::password_never_expires),
    ("FB111", connectors::endpoint_urls),
    ("FB112", certificates::auth_service_name),
    ("FB113", virtual_directories::iisreset_without_noforce),
    ("FB114", connectors::wrong_property),
    ("FB115", connectors::refresh_metadata_once),
    ("FB116", connectors::domains_replaced),
    ("FB117", hygiene::placeholder_left),
    ("FB118", identities::literal_password),
    ("FB119", hygiene::psexec_internet_explorer),
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

/// tree-sitter's query cursor keeps the depth where a match starts in 16 bits: a command nested
/// deeper than 65,535 syntax levels would silently escape every rule. So each query run starts
/// matches at most `2 * STRIDE` levels below its root, and runs start at the root and at every
/// node `STRIDE`, `2 * STRIDE`, ... levels down: every depth is covered, each by at most two
/// runs (their captures are deduplicated), and every node is walked at most twice.
const STRIDE: u32 = 30_000;

/// The root, and every node at a multiple of `STRIDE` levels (visible nodes, as the query
/// cursor counts them).
fn query_roots(tree: &Tree) -> Vec<Node<'_>> {
    let mut roots = vec![tree.root_node()];
    let mut cursor = tree.walk();
    let mut depth = 0u32;
    loop {
        // Only into subtrees with enough nodes to reach the next multiple.
        let below = cursor.node().descendant_count().saturating_sub(1);
        let next = (depth / STRIDE + 1) * STRIDE;
        if depth as usize + below >= next as usize && cursor.goto_first_child() {
            depth += 1;
            if depth.is_multiple_of(STRIDE) {
                roots.push(cursor.node());
            }
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return roots;
            }
            depth -= 1;
        }
        if depth.is_multiple_of(STRIDE) {
            roots.push(cursor.node());
        }
    }
}

/// Runs the queries, then each rule on the commands captured under its code.
pub fn run(script: &Script, tree: &Tree) -> Vec<Finding> {
    let mut selected: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut cursor = QueryCursor::new();
    cursor.set_max_start_depth(Some(2 * STRIDE));
    for root in query_roots(tree) {
        let Some(query) = combined() else {
            break;
        };
        let names = query.capture_names();
        let mut matches = cursor.matches(query, root, script.text.as_bytes());
        while let Some(m) = matches.next() {
            for cap in m.captures() {
                let code = names[cap.index as usize];
                let Some((rule, _)) = RULES.iter().find(|(c, _)| *c == code) else {
                    continue;
                };
                let start = cap.node.start_byte();
                // Commands are in source order, and no two start at the same byte.
                if let Ok(i) = script
                    .commands
                    .binary_search_by_key(&start, |c| c.range.start)
                {
                    selected.entry(rule).or_default().push(i);
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
    out.sort_by_key(|f| (f.range.start, f.code.clone()));
    out
}

#[cfg(test)]
mod tests {
    /// tree-sitter's query cursor loses matches that start below 65,535 levels (an `if` block
    /// is three levels): every FB105 command is found at any depth, once.
    #[test]
    fn commands_nested_beyond_the_query_depth_are_still_checked() {
        const LEVELS: usize = 25_000;
        const EVERY: usize = 5_000;
        let set = "Set-MailboxFolderPermission -Identity 'room1@contoso.com:\\Calendar' -User Default -AccessRights None\n";
        let mut text = String::new();
        for level in 0..=LEVELS {
            if level % EVERY == 0 {
                text.push_str(set);
            }
            if level < LEVELS {
                text.push_str("if ($true) {\n");
            }
        }
        text.push_str(&"}\n".repeat(LEVELS));
        let (findings, _) = crate::script::analyse(&text, None);
        let lines: Vec<usize> = findings
            .iter()
            .filter(|f| f.code == "FB105")
            .map(|f| text[..f.range.start].matches('\n').count())
            .collect();
        let want: Vec<usize> = (0..=LEVELS / EVERY).map(|i| i * (EVERY + 1)).collect();
        assert_eq!(lines, want);
    }

    /// A command at every level of deep nesting: the model once asked tree-sitter for each
    /// command's parent (a walk down from the root), so 4x the levels took 56x the time. Timed:
    /// the model and the rules (tree-sitter's own parse is not ours to time).
    #[test]
    fn a_command_at_every_nesting_level_scales_linearly() {
        let time = |levels: usize| {
            let text = format!(
                "{}{}",
                "if ($true) {\nGet-Date\n".repeat(levels),
                "}\n".repeat(levels)
            );
            let tree = crate::script::parse(&text, None).unwrap();
            (0..3)
                .map(|_| {
                    let t = std::time::Instant::now();
                    let script = crate::script::Script::new(&text, &tree);
                    super::run(&script, &tree);
                    assert_eq!(script.commands.len(), levels);
                    t.elapsed()
                })
                .min()
                .unwrap()
        };
        let (small, large) = (time(1_000), time(4_000));
        let ratio = large.as_secs_f64() / small.as_secs_f64();
        assert!(
            ratio < 8.0,
            "4x the levels took {ratio:.1}x the time ({small:?} -> {large:?})"
        );
    }
}
