//! FB117: a documentation placeholder (`<mailbox ID>`) left in a command's arguments, directly or
//! in a hashtable or variable it takes values from. Copied from the article unchanged, the command
//! runs with the placeholder as its value (or fails to parse on `<`). Only arguments count: not
//! comments, here-strings, markup (HTML, XML), patterns (`-match '<...>'`, `[regex]`, `-replace`,
//! comparisons), script blocks handed to a command, test assertions (Pester's `Should`), text for
//! people (`Write-Host`, any `Write-*`) or display values (`'<unknown>'`).
use crate::code::Code;
use crate::finding::Finding;
use crate::script::model::{holding, merged, Command, Script};
use std::collections::HashSet;
use std::ops::Range;

/// Commands whose arguments are text for people, expectations or filters, not values run: besides
/// these, every `Write-*` (`Write-Host`, and a script's own `Write-Log`, `Write-Step` ...).
const MESSAGE_COMMANDS: &[&str] = &[
    "echo",
    "Read-Host",
    "Should",
    "Assert",
    "Where-Object",
    "where",
    "?",
];

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

/// Where a `<name>` is not a value, as sorted disjoint spans (one binary search per placeholder).
struct Inert {
    /// Comments and patterns.
    text: Vec<Range<usize>>,
    /// The outermost string literals.
    strings: Vec<Range<usize>>,
}

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let inert = Inert {
        text: merged(script.comments.iter().chain(&script.patterns).cloned()),
        strings: merged(script.strings.iter().cloned()),
    };
    let mut seen = HashSet::new();
    // A literal several commands take (through a variable) is read once.
    let mut read_elsewhere = HashSet::new();
    for cmd in commands {
        if message_command(cmd) {
            continue;
        }
        let mut params: Vec<usize> = cmd
            .params
            .iter()
            .filter(|p| !p.splatted())
            .map(|p| p.range.start)
            .collect();
        params.sort_unstable();
        for region in regions(script, cmd) {
            if !within(&region, &cmd.range) && !read_elsewhere.insert(region.start) {
                continue;
            }
            for range in placeholders(script.text, region) {
                if ignored(script, &inert, &params, &range) || !seen.insert(range.start) {
                    continue;
                }
                out.push(placeholder_finding(script, range));
            }
        }
    }
}

/// `Write-*` commands that write values somewhere rather than show text.
const WRITES_VALUES: &[&str] = &["Write-EventLog"];

fn message_command(cmd: &Command) -> bool {
    let name = cmd.name.get(..6).unwrap_or("");
    let writes_text =
        name.eq_ignore_ascii_case("Write-") && !WRITES_VALUES.iter().any(|w| cmd.is(w));
    writes_text || MESSAGE_COMMANDS.iter().any(|m| cmd.is(m))
}

/// The text spans holding `cmd`'s arguments: its own text after the name (less the commands
/// nested in it, seen on their own; the script blocks it is handed, code rather than values; a
/// `-Pattern`), splatted values, and literals assigned to its variables.
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
    // `Select-String -Pattern '<tr>'`: a regular expression.
    let pattern = cmd
        .is("Select-String")
        .then(|| cmd.value("Pattern"))
        .flatten()
        .map(|v| v.range.clone());
    let mut cuts: Vec<Range<usize>> = nested.chain(blocks).chain(pattern).collect();
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
/// comment or a pattern, across a `-Parameter` (`params`: where the command's own tokens start,
/// sorted), in a here-string, an HTML/XML tag.
fn ignored(script: &Script, inert: &Inert, params: &[usize], range: &Range<usize>) -> bool {
    let near = |at: usize| holding(&inert.text, at);
    if near(range.start).or_else(|| near(range.end - 1)).is_some() {
        return true;
    }
    let first = params.partition_point(|&p| p < range.start);
    if params.get(first).is_some_and(|&p| p < range.end) {
        return true;
    }
    let string = holding(&inert.strings, range.start).filter(|s| within(range, s));
    let in_here_string = string.is_some_and(|s| script.text[s.clone()].starts_with('@'));
    in_here_string || display_value(script.text, range) || is_markup(script.text, range, string)
}

/// `<unknown>`, `<none>`, `<not set>`: what a script shows when a value is missing.
fn display_value(text: &str, range: &Range<usize>) -> bool {
    let inner = text[range.start + 1..range.end - 1].to_lowercase();
    let first = inner.split([' ', '-', '_']).next().unwrap_or("");
    DISPLAY_VALUES.contains(&first) || DISPLAY_VALUES.contains(&inner.as_str())
}

/// How far after a tag its closing tag is looked for: a bounded neighbourhood keeps the rule
/// linear in long strings.
const CLOSING_WITHIN: usize = 4096;

/// `<br>`, `<br/>`, `<b>` ... `</b>`: an HTML tag, a self-closed tag, or a tag closed later in
/// the same string (else on the same line), within `CLOSING_WITHIN` bytes.
fn is_markup(text: &str, range: &Range<usize>, string: Option<&Range<usize>>) -> bool {
    let name = &text[range.start + 1..range.end - 1];
    if name.ends_with('/') {
        return true;
    }
    if HTML_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
        return true;
    }
    let closing = format!("</{name}>").to_lowercase();
    let mut end = (range.end + CLOSING_WITHIN).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let after = &text[range.end..end];
    let scope = match string {
        Some(s) => &after[..s.end.clamp(range.end, end) - range.end],
        None => after.split('\n').next().unwrap_or(""),
    };
    scope.to_lowercase().contains(&closing)
}

fn placeholder_finding(script: &Script, range: Range<usize>) -> Finding {
    let shown = &script.text[range.clone()];
    let mut f = Finding::new(Code::FB117, range);
    f.note = Some(format!(
        "`{shown}` is the documentation's placeholder: put the real value in before running."
    ));
    f
}

#[cfg(test)]
mod tests {
    use crate::code::Code;

    /// Every placeholder is judged with binary searches and a bounded look-ahead: many of them
    /// in a long string, in many strings, behind many parameters, and in one literal many
    /// commands take, scale linearly (4x the input under 8x the time).
    #[test]
    fn many_placeholders_scale_linearly() {
        let text = |n: usize| {
            format!(
                "$body = \"{}\"\nSet-X -A {}\n{}Set-Z {}\n",
                "<tag> <x/> ".repeat(n),
                "'<a>' -eq $b ".repeat(n),
                "Set-Y -Body $body\n".repeat(n / 10),
                "-P '<value>' ".repeat(n),
            )
        };
        let time = |n: usize| {
            let text = text(n);
            let tree = crate::script::parse(&text, None).unwrap();
            super::super::cpu_time(|| {
                let script = crate::script::Script::new(&text, &tree, crate::knowledge::catalog());
                let found = crate::script::rules::run(&script, &tree);
                assert_eq!(
                    found.iter().filter(|f| f.code == Code::FB117).count(),
                    2 * n,
                    "each <tag> and each -P value"
                );
            })
        };
        super::super::assert_linear("placeholders", time);
    }
}
