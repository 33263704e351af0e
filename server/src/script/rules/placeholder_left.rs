//! FB117: a documentation placeholder (`<mailbox ID>`) left in a command's arguments, directly or
//! in a hashtable or variable it takes values from. Copied from the article unchanged, the command
//! runs with the placeholder as its value (or fails to parse on `<`). Only arguments count: not
//! comments, here-strings, markup (HTML, XML), patterns (`-match '<...>'`, `[regex]`, `-replace`,
//! comparisons), script blocks handed to a command, test assertions (Pester's `Should`), text for
//! people (`Write-Host`, any `Write-*`) or display values (`'<unknown>'`).
use crate::code::Code;
use crate::finding::Finding;
use crate::script::model::{Command, Script};
use std::collections::HashSet;
use std::ops::Range;

/// Commands whose arguments are text for people or expectations, not values run: besides these,
/// every `Write-*` (`Write-Host`, and a script's own `Write-Log`, `Write-Step` ...).
const MESSAGE_COMMANDS: &[&str] = &["echo", "Read-Host", "Should", "Assert"];

/// First words of a `<...>` that a script shows for a missing value rather than asks for one.
const DISPLAY_VALUES: &[&str] = &[
    "unknown", "none", "null", "empty", "not", "missing", "blank", "n/a", "no", "redacted",
];

/// HTML tags that look like placeholders in a mail body or a report.
const HTML_TAGS: &[&str] = &[
    "a", "b", "i", "u", "p", "br", "hr", "em", "strong", "div", "span", "html", "head", "body",
    "title", "style", "table", "thead", "tbody", "tr", "td", "th", "ul", "ol", "li", "pre", "code",
    "h1", "h2", "h3", "h4", "h5", "h6", "font", "center", "small",
];

/// The longest text between `<` and `>` taken for a placeholder.
const MAX_PLACEHOLDER: usize = 80;

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for cmd in commands {
        if message_command(cmd) {
            continue;
        }
        for region in regions(script, cmd) {
            for range in placeholders(script.text, region) {
                if ignored(script, cmd, &range) || !seen.insert(range.start) {
                    continue;
                }
                out.push(placeholder_finding(script, range));
            }
        }
    }
}

fn message_command(cmd: &Command) -> bool {
    let name = cmd.name.get(..6).unwrap_or("");
    name.eq_ignore_ascii_case("Write-") || MESSAGE_COMMANDS.iter().any(|m| cmd.is(m))
}

/// The text spans holding `cmd`'s arguments: its own text after the name (less the commands
/// nested in it, seen on their own, and the script blocks it is handed: code, not values),
/// splatted values, and literals assigned to its variables.
fn regions(script: &Script, cmd: &Command) -> Vec<Range<usize>> {
    let nested = script
        .commands_in(cmd.range.clone())
        .iter()
        .filter(|c| c.range != cmd.range && within(&c.range, &cmd.range))
        .map(|c| c.range.clone());
    let blocks = cmd
        .values()
        .filter(|v| v.text.starts_with('{'))
        .map(|v| v.range.clone());
    let mut cuts: Vec<Range<usize>> = nested.chain(blocks).collect();
    cuts.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    let mut at = cmd.name_range.end.max(cmd.range.start);
    for cut in cuts {
        if cut.start > at {
            out.push(at..cut.start);
        }
        at = at.max(cut.end);
    }
    if cmd.range.end > at {
        out.push(at..cmd.range.end);
    }
    for v in cmd.values() {
        for w in [v, script.resolve(v)] {
            if !within(&w.range, &cmd.range) && !w.text.starts_with('{') {
                out.push(w.range.clone());
            }
        }
    }
    out
}

fn within(inner: &Range<usize>, outer: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// `<` + a letter + words + `>` on one line, in `region` of `text`.
fn placeholders(text: &str, region: Range<usize>) -> Vec<Range<usize>> {
    let Some(slice) = text.get(region.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, _) in slice.match_indices('<') {
        let rest = &slice[i + 1..];
        if !rest.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        let Some(close) = rest.find(|c: char| !placeholder_char(c)) else {
            continue;
        };
        if rest[close..].starts_with('>') && close <= MAX_PLACEHOLDER {
            let start = region.start + i;
            out.push(start..start + close + 2);
        }
    }
    out
}

fn placeholder_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/' | ':' | '@')
}

/// Real PowerShell, markup, a pattern or a display value rather than a placeholder: in a
/// comment, across a `-Parameter`, in a here-string or a pattern, an HTML/XML tag.
fn ignored(script: &Script, cmd: &Command, range: &Range<usize>) -> bool {
    let overlaps = |r: &Range<usize>| r.start < range.end && range.start < r.end;
    if script.comments.iter().any(overlaps) || script.patterns.iter().any(overlaps) {
        return true;
    }
    if cmd
        .params
        .iter()
        .any(|p| !p.splatted() && range.contains(&p.range.start))
    {
        return true;
    }
    let string = innermost_string(script, range);
    let in_here_string = string
        .as_ref()
        .is_some_and(|s| script.text[s.clone()].starts_with('@'));
    in_here_string || display_value(script.text, range) || is_markup(script.text, range, string)
}

/// The innermost string literal holding `range`.
fn innermost_string(script: &Script, range: &Range<usize>) -> Option<Range<usize>> {
    let upto = script.strings.partition_point(|s| s.start <= range.start);
    script.strings[..upto]
        .iter()
        .filter(|s| within(range, s))
        .min_by_key(|s| s.len())
        .cloned()
}

/// `<unknown>`, `<none>`, `<not set>`: what a script shows when a value is missing.
fn display_value(text: &str, range: &Range<usize>) -> bool {
    let inner = text[range.start + 1..range.end - 1].to_lowercase();
    let first = inner.split([' ', '-', '_']).next().unwrap_or("");
    DISPLAY_VALUES.contains(&first) || DISPLAY_VALUES.contains(&inner.as_str())
}

/// `<br>`, `<br/>`, `<b>` ... `</b>`: an HTML tag, a self-closed tag, or a tag closed later in
/// the same string (else on the same line).
fn is_markup(text: &str, range: &Range<usize>, string: Option<Range<usize>>) -> bool {
    let name = &text[range.start + 1..range.end - 1];
    if name.ends_with('/') {
        return true;
    }
    if HTML_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
        return true;
    }
    let closing = format!("</{name}>").to_lowercase();
    let end = string.map_or_else(
        || {
            text[range.end..]
                .find('\n')
                .map_or(text.len(), |i| range.end + i)
        },
        |s| s.end,
    );
    text[range.end..end].to_lowercase().contains(&closing)
}

fn placeholder_finding(script: &Script, range: Range<usize>) -> Finding {
    let shown = &script.text[range.clone()];
    let mut f = Finding::new(Code::FB117, range);
    f.note = Some(format!(
        "`{shown}` is the documentation's placeholder: put the real value in before running."
    ));
    f
}
