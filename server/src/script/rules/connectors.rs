//! Organization relationships, intra-organization connectors, federation: FB104, FB111, FB114,
//! FB115, FB116.
use crate::code::Code;
use crate::finding::{Edit, Finding, Suggestion};
use crate::knowledge::Severity;
use crate::script::edits;
use crate::script::model::{binds, Command, Param, Script, Value, ValueKind};
use std::ops::Range;

/// FB104: `Set-IntraOrganizationConnector ... -Enabled $false`.
pub fn ioc_disabled(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(param) = cmd.param("Enabled") else {
            continue;
        };
        let off = param
            .value
            .as_ref()
            .is_some_and(|v| script.resolve(v).kind == ValueKind::Bool(false));
        if off {
            let mut f = Finding::new(Code::FB104, param.full_range());
            f.note = Some(
                "Free/busy through this connector stops using OAuth and falls back to the \
                 organization relationship (DAuth)."
                    .into(),
            );
            out.push(f);
        }
    }
}

/// The endpoint parameters FB111 checks: the paths a URL may end in, and how the note says it.
const ENDPOINTS: &[(&str, &[&str], &str)] = &[
    (
        "TargetSharingEpr",
        &["/ews/exchange.asmx"],
        "`/ews/exchange.asmx`",
    ),
    (
        "TargetAutodiscoverEpr",
        AUTODISCOVER_PATHS,
        "`/autodiscover/autodiscover.svc` (or `.../autodiscover.svc/WSSecurity`)",
    ),
    (
        "DiscoveryEndpoint",
        AUTODISCOVER_PATHS,
        "`/autodiscover/autodiscover.svc` (or `.../autodiscover.svc/WSSecurity`)",
    ),
];

const AUTODISCOVER_PATHS: &[&str] = &[
    "/autodiscover/autodiscover.svc",
    "/autodiscover/autodiscover.svc/wssecurity",
];

/// FB111: endpoint URLs of the wrong shape: `http://` (error) or the wrong path (warning).
pub fn endpoint_urls(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        for &(name, paths, shape) in ENDPOINTS {
            let Some(param) = cmd.param(name) else {
                continue;
            };
            if let Some(f) = endpoint_finding(script, param, name, paths, shape) {
                out.push(f);
            }
        }
    }
}

/// The finding for one endpoint parameter, if its literal URL has the wrong scheme or path.
fn endpoint_finding(
    script: &Script,
    param: &Param,
    name: &str,
    paths: &[&str],
    shape: &str,
) -> Option<Finding> {
    let value = script.resolve(param.value.as_ref()?);
    let url = value.as_str()?.trim();
    if url.is_empty() || url.contains('<') {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    let http = lower.starts_with("http://");
    let path_ok = paths.iter().any(|p| lower.ends_with(p));
    if lower.starts_with("https://") && path_ok {
        return None;
    }
    let mut f = Finding::new(Code::FB111, param.full_range());
    let shape = format!("an https URL ending in {shape}");
    let note = match (http, path_ok) {
        (true, true) => format!("`-{name}` uses plain http; the endpoint must be https."),
        (true, false) => {
            format!("`-{name}` uses plain http and the wrong path: it must be {shape}.")
        }
        (false, _) => format!("`-{name}` must be {shape}."),
    };
    f.note = Some(note);
    f.severity = Some(if http {
        Severity::Error
    } else {
        Severity::Warning
    });
    let scheme = value.text.to_ascii_lowercase().find("http://");
    if let (true, Some(i)) = (http, scheme) {
        let at = value.range.start + i;
        f.suggestions.push(Suggestion {
            title: "Use https".into(),
            edits: vec![Edit {
                range: at..at + "http://".len(),
                text: "https://".into(),
            }],
        });
    }
    Some(f)
}

/// Property names the article gives the wrong object: (source cmdlet, wrong name, right name).
const WRONG_PROPERTIES: &[(&str, &str, &str)] = &[
    (
        "Get-IntraOrganizationConnector",
        "TargetAutodiscoverEpr",
        "DiscoveryEndpoint",
    ),
    (
        "Get-OrganizationRelationship",
        "DiscoveryEndpoint",
        "TargetAutodiscoverEpr",
    ),
];

/// Pipeline stages that pass the objects through unchanged (looked through to find the source).
const FILTERS: &[&str] = &["Where-Object", "where", "?", "Sort-Object", "sort"];

/// FB114: a property the object does not have (`Get-IntraOrganizationConnector | FL TargetAutodiscoverEpr`).
pub fn wrong_property(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(source) = pipeline_source(script, cmd) else {
            continue;
        };
        let Some(&(cmdlet, wrong, right)) = WRONG_PROPERTIES.iter().find(|(c, ..)| source.is(c))
        else {
            continue;
        };
        for range in property_names(script, cmd) {
            if !script.text[range.clone()].eq_ignore_ascii_case(wrong) {
                continue;
            }
            let mut f = Finding::new(Code::FB114, range.clone());
            f.note = Some(format!(
                "`{cmdlet}` has no `{wrong}` property: the value is under `{right}`."
            ));
            f.suggestions.push(Suggestion {
                title: format!("Show {right}"),
                edits: vec![Edit {
                    range,
                    text: right.into(),
                }],
            });
            out.push(f);
        }
    }
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
fn property_names(script: &Script, cmd: &Command) -> Vec<Range<usize>> {
    let named = cmd.params.iter().filter(|p| {
        ["Property", "ExpandProperty"]
            .iter()
            .any(|full| binds(&p.name, full, &cmd.name))
    });
    let values = cmd
        .positionals
        .iter()
        .chain(named.filter_map(|p| p.value.as_ref()));
    values.flat_map(|v| list_items(script, v)).collect()
}

/// The items of a written list (`a`, `"a","b"`, `@('a', 'b')`), each trimmed of quotes and space.
fn list_items(script: &Script, value: &Value) -> Vec<Range<usize>> {
    let Some(text) = script.text.get(value.range.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split(',') {
        let trim: &[char] = &['@', '(', ')', '"', '\'', ' ', '\t', '\r', '\n'];
        let lead = piece.len() - piece.trim_start_matches(trim).len();
        let core = piece.trim_matches(trim);
        if !core.is_empty() {
            let s = value.range.start + start + lead;
            out.push(s..s + core.len());
        }
        start += piece.len() + 1;
    }
    out
}

/// FB115: `Set-FederationTrust -RefreshMetadata` run once.
pub fn refresh_metadata_once(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let refreshes: Vec<&&Command> = commands
        .iter()
        .filter(|c| c.param("RefreshMetadata").is_some())
        .collect();
    let [cmd] = refreshes.as_slice() else {
        return;
    };
    if in_loop(script, cmd.range.start) {
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

/// Whether offset `at` stands inside a `{ }` block of a loop (`foreach`, `for`, `while`, `do`,
/// `ForEach-Object`, `%`): a command written once there may run several times.
fn in_loop(script: &Script, at: usize) -> bool {
    let text = script.text.get(..at).unwrap_or("");
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in text.char_indices() {
        if script.comments.iter().any(|r| r.contains(&i)) {
            continue;
        }
        match c {
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.iter().any(|&i| loop_head(&text[..i]))
}

/// Whether the text before a `{` ends with a loop header.
fn loop_head(before: &str) -> bool {
    let mut head = before.trim_end();
    // `foreach (...) {`, `for (...) {`, `while (...) {`: the keyword before the parentheses.
    if head.ends_with(')') {
        let mut depth = 0usize;
        for (i, c) in head.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                head = head[..i].trim_end();
                break;
            }
        }
    }
    let word = head
        .rsplit(|c: char| c.is_whitespace() || c == '|' || c == ';' || c == '{')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        word.as_str(),
        "foreach" | "for" | "while" | "do" | "foreach-object" | "%"
    )
}

/// The domain-list parameters FB116 checks, by cmdlet.
const DOMAIN_LISTS: &[(&str, &str)] = &[
    ("Set-IntraOrganizationConnector", "TargetAddressDomains"),
    ("Set-OrganizationRelationship", "DomainNames"),
];

/// FB116: `-TargetAddressDomains` / `-DomainNames` given a plain value.
pub fn domains_replaced(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(&(_, name)) = DOMAIN_LISTS.iter().find(|(c, _)| cmd.is(c)) else {
            continue;
        };
        let Some(param) = cmd.param(name) else {
            continue;
        };
        let Some(value) = &param.value else {
            continue;
        };
        // A hashtable (`@{add=...}`) edits the list; `$null`, `""` and unknown values are left.
        let replaced = match &script.resolve(value).kind {
            ValueKind::Str(s) => !s.trim().is_empty(),
            ValueKind::Array => true,
            _ => false,
        };
        if !replaced {
            continue;
        }
        let mut f = Finding::new(Code::FB116, param.full_range());
        f.note = Some(format!(
            "`-{name}` set to a plain value replaces every domain already listed."
        ));
        f.suggestions.push(Suggestion {
            title: "Add to the list instead".into(),
            edits: vec![Edit {
                range: value.range.clone(),
                text: add_hash(script, value),
            }],
        });
        out.push(f);
    }
}

/// `@{add=...}` around the value: a variable as it is, each list item quoted.
fn add_hash(script: &Script, value: &Value) -> String {
    if matches!(value.kind, ValueKind::Variable(_)) {
        return format!("@{{add={}}}", value.text);
    }
    let items: Vec<String> = list_items(script, value)
        .into_iter()
        .map(|r| format!("\"{}\"", &script.text[r]))
        .collect();
    format!("@{{add={}}}", items.join(","))
}
