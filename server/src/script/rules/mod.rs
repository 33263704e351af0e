//! The script rules, by code. Each family has a query file selecting the commands its rules look
//! at (`queries/powershell/<family>.scm`, captures named `@FBnnn`) and a Rust file concluding.
mod auth_config_rotation;
mod auth_service_name;
mod calendar_default_access;
mod cmdlet_parameters;
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
use tree_sitter::{Node, Query, QueryCursor, Tree};

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
    (Code::FB121, cmdlet_parameters::check),
];

/// Compiled family queries by file name, and problems compiling them (tests fail on any).
pub type Queries = (Vec<(String, Query)>, Vec<String>);

/// The compiled family queries, and every problem compiling them or their combination.
pub fn queries() -> &'static Queries {
    &compiled().0
}

/// Every family's patterns in one query, so the tree is walked once, not once per family.
fn combined() -> Option<&'static Query> {
    compiled().1.as_ref()
}

/// The family queries, one at a time and combined. A query that does not compile is reported
/// on stderr once (and fails the catalog test), never dropped in silence.
fn compiled() -> &'static (Queries, Option<Query>) {
    static Q: OnceLock<(Queries, Option<Query>)> = OnceLock::new();
    Q.get_or_init(|| {
        let files = crate::knowledge::embedded_queries();
        let mut ok = Vec::new();
        let mut problems = Vec::new();
        for (name, source) in files {
            match Query::new(&language(), source) {
                Ok(q) => ok.push((name.to_string(), q)),
                Err(e) => problems.push(format!("queries/powershell/{name}: {e}")),
            }
        }
        let source: Vec<&str> = files.iter().map(|(_, s)| *s).collect();
        let combined = Query::new(&language(), &source.join("\n"))
            .map_err(|e| problems.push(format!("queries/powershell (combined): {e}")))
            .ok();
        for p in &problems {
            eprintln!("freebusy-lsp: {p}");
        }
        ((ok, problems), combined)
    })
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
    let mut selected: BTreeMap<Code, Vec<usize>> = BTreeMap::new();
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

/// Fails unless 4x the input (4,000 against 1,000 of `what`) takes under 8x the time.
#[cfg(test)]
pub(crate) fn assert_linear(what: &str, time: impl Fn(usize) -> std::time::Duration) {
    let (small, large) = (time(1_000), time(4_000));
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    assert!(
        ratio < 8.0,
        "4x the {what} took {ratio:.1}x the time ({small:?} -> {large:?})"
    );
}

/// The fastest of three runs of `f`, in this thread's CPU time: the other tests running on the
/// same cores (and a shared machine's load) do not count, as wall time would.
#[cfg(test)]
pub(crate) fn cpu_time(mut f: impl FnMut()) -> std::time::Duration {
    (0..3)
        .map(|_| {
            let start = thread_cpu();
            f();
            thread_cpu().saturating_sub(start)
        })
        .min()
        .expect("three runs")
}

#[cfg(all(test, unix))]
fn thread_cpu() -> std::time::Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to write.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    std::time::Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[cfg(all(test, not(unix)))]
fn thread_cpu() -> std::time::Duration {
    std::time::UNIX_EPOCH.elapsed().unwrap_or_default()
}

/// Analyses each text (half-typed lines in the rules' unit tests: none may panic).
#[cfg(test)]
pub(crate) fn analyse_each(texts: &[&str]) {
    for text in texts {
        let _ = super::analyse(text, None);
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;

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
            .filter(|f| f.code == Code::FB105)
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
            super::cpu_time(|| {
                let script = crate::script::Script::new(&text, &tree, crate::knowledge::catalog());
                super::run(&script, &tree);
                assert_eq!(script.commands.len(), levels);
            })
        };
        super::assert_linear("levels", time);
    }
}
