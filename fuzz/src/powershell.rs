//! What the remediation-script renderer's target checks: which text of a PowerShell script is
//! inert (inside a string literal or a comment, as tree-sitter tokenizes it) and which is code.
use freebusy_lsp::capture::{Captures, Key};
use freebusy_lsp::knowledge::{self, placeholder};
use freebusy_lsp::render::fill;
use freebusy_lsp::script::parse;
use std::collections::HashSet;
use std::ops::Range;

/// The script's inert spans and its code: each comment written `#`, each verbatim string `''`
/// (here-string `@''@`), each expandable string `""` around its variables and subexpressions
/// (which run), everything else as written. Two scripts with the same code differ only in what
/// their literals and comments hold.
pub struct Tokens {
    /// Byte ranges of `text` that are the literal text of a string (its quotes included).
    pub strings: Vec<Range<usize>>,
    pub comments: Vec<Range<usize>>,
    pub code: String,
}

impl Tokens {
    /// Where `value` stands in `script` (which these are the tokens of) neither inside a string
    /// literal nor in a comment (there it is the card's text: a value has no line break to leave
    /// one), if anywhere.
    pub fn unquoted(&self, script: &str, value: &str) -> Option<usize> {
        script.match_indices(value).map(|(at, _)| at).find(|&at| {
            let within = |r: &Range<usize>| r.start <= at && at + value.len() <= r.end;
            !(self.strings.iter().any(within) || self.comments.iter().any(within))
        })
    }
}

/// The tokens of `text`, parsed by the server's own tree-sitter grammar.
pub fn tokens(text: &str) -> Tokens {
    let tree = parse(text, None).expect("tree-sitter parses any text");
    // (range replaced, by what), in document order.
    let mut swaps: Vec<(Range<usize>, &'static str)> = Vec::new();
    let (mut strings, mut comments) = (Vec::new(), Vec::new());
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let descend = match node.kind() {
            "comment" => {
                swaps.push((node.byte_range(), "#"));
                comments.push(node.byte_range());
                false
            }
            "verbatim_string_characters" => {
                swaps.push((node.byte_range(), "''"));
                strings.push(node.byte_range());
                false
            }
            "verbatim_here_string_characters" => {
                swaps.push((node.byte_range(), "@''@"));
                strings.push(node.byte_range());
                false
            }
            kind @ ("expandable_string_literal" | "expandable_here_string_literal") => {
                let marks = match kind {
                    "expandable_string_literal" => ["\"", "\"", "\"\""],
                    _ => ["@\"", "\"@", "@\"\"@"],
                };
                // The literal stretches around the variables and subexpressions.
                let mut walk = node.walk();
                let mut stretches = Vec::new();
                let mut at = node.start_byte();
                for child in node.named_children(&mut walk) {
                    stretches.push(at..child.start_byte());
                    at = child.end_byte();
                }
                stretches.push(at..node.end_byte());
                let last = stretches.len() - 1;
                for (i, r) in stretches.into_iter().enumerate() {
                    let mark = match (i == 0, i == last) {
                        (true, true) => marks[2],
                        (true, false) => marks[0],
                        (false, true) => marks[1],
                        (false, false) => "",
                    };
                    strings.push(r.clone());
                    swaps.push((r, mark));
                }
                true
            }
            _ => true,
        };
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    swaps.sort_by_key(|(r, _)| r.start);
    let mut code = String::with_capacity(text.len());
    let mut at = 0;
    for (r, mark) in swaps {
        if r.start < at {
            continue;
        }
        code.push_str(&text[at..r.start]);
        code.push_str(mark);
        at = r.end;
    }
    code.push_str(&text[at..]);
    Tokens {
        strings,
        comments,
        code,
    }
}

/// The lines of code a rendered script may hold: every catalog command (confirm and fix steps),
/// filled with any subset of its values, as `code_lines` gives them.
pub struct Allowed {
    lines: HashSet<String>,
    /// The catalog's commands, unfilled: a value found here bare is the data's, not the log's.
    pub templates: String,
}

impl Allowed {
    pub fn build() -> Allowed {
        for k in Key::ALL {
            assert!(k.accepts(k.example()), "example of {k} must be accepted");
        }
        let mut lines = HashSet::new();
        let mut templates = String::new();
        for run in runs() {
            let keys: Vec<Key> = placeholder::parse(run)
                .iter()
                .filter_map(|s| match s {
                    placeholder::Segment::Value { name, .. } => Key::parse(name),
                    _ => None,
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            for subset in 0..1u32 << keys.len() {
                let captures: Captures = keys
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| subset & (1 << i) != 0)
                    .map(|(_, k)| (*k, k.example().to_string()))
                    .collect();
                let text = fill(run, &captures).text;
                let t = tokens(&text);
                if subset == 0 {
                    templates.push_str(&text);
                    templates.push('\n');
                }
                // The lines allowed are those of well-formed values in literals.
                for (k, v) in &captures {
                    let unquoted = t.unquoted(&text, v);
                    let template = fill(run, &Captures::new()).text;
                    assert!(
                        unquoted.is_none() || template.contains(v.as_str()),
                        "{k} {v:?} outside a string literal in {text:?}"
                    );
                }
                lines.extend(code_lines(&t.code));
            }
        }
        Allowed { lines, templates }
    }

    pub fn contains(&self, line: &str) -> bool {
        self.lines.contains(line)
    }
}

/// The lines of `code` that hold more than a comment, trimmed (a carriage return alone ends a
/// line for PowerShell too).
pub fn code_lines(code: &str) -> impl Iterator<Item = String> + '_ {
    code.split(['\r', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "#")
        .map(str::to_string)
}

/// Every command text of the catalog.
pub fn runs() -> impl Iterator<Item = &'static String> {
    knowledge::catalog().entries().iter().flat_map(|e| {
        e.confirm
            .iter()
            .chain(e.fixes.iter().flat_map(|f| &f.steps))
            .filter_map(|s| s.run.as_ref())
    })
}
