//! Text from a log never runs: for every command template of the catalog (confirm and fix steps),
//! whatever a log makes the scanner capture, the rendered command has the PowerShell syntax tree
//! of the template filled with well-formed values (the value is one literal), or the captured
//! value was refused and the `<placeholder>` stayed.
mod support;

use freebusy_lsp::capture::{Captures, Key};
use freebusy_lsp::knowledge::{self, placeholder};
use freebusy_lsp::render::fill;
use freebusy_lsp::script::parse;

/// Hostile values written by hand: command separators, subexpressions, every quote, escapes,
/// line breaks, comments, and values that pass validation but are PowerShell operators bare.
const HOSTILE: &[&str] = &[
    "x;calc.exe;$(Stop-Computer)@contoso.com",
    "a'; Stop-Computer; '@contoso.com",
    "a\"; Stop-Computer; \"@contoso.com",
    "a`\"$(Stop-Computer)@contoso.com",
    "a\u{2019};Stop-Computer;\u{2018}@contoso.com",
    "jon@contoso.com\nStop-Computer",
    "jon@contoso.com # comment",
    "https://a.contoso.com/x?a=1&b=2#frag",
    "https://a.contoso.com/';Stop-Computer;'",
    "https://a.contoso.com/$(Stop-Computer)",
    "EXCH01 -Confirm:$false",
    "EXCH01|Stop-Computer",
    "@(Stop-Computer)",
    "--%",
    "<mailbox ID>",
    "",
];

/// Node kinds in document order: the shape of the script, whatever its literal text.
fn shape(text: &str) -> Vec<String> {
    let tree = parse(text, None).expect("tree-sitter parses any text");
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        out.push(cursor.node().kind().to_string());
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

/// Every `run` of the catalog with at least one named placeholder.
fn templates() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in knowledge::catalog().entries() {
        let runs = e.confirm.iter().filter_map(|c| c.run.clone()).chain(
            e.fixes
                .iter()
                .flat_map(|f| f.steps.iter().filter_map(|s| s.run.clone())),
        );
        for run in runs {
            let named = placeholder::parse(&run)
                .iter()
                .any(|s| matches!(s, placeholder::Segment::Value { name, .. } if !name.is_empty()));
            if named {
                out.push((e.code.to_string(), run));
            }
        }
    }
    out
}

/// A small deterministic generator of strings from a hostile alphabet (no crate needed).
fn random_values(n: usize) -> Vec<String> {
    const ALPHABET: &[char] = &[
        'a', 'Z', '0', '9', '@', '.', '-', '_', '/', ':', '\'', '"', '`', '$', '(', ')', '{', '}',
        ';', '|', '&', '#', '<', '>', ' ', '\n', '\r', ',', '=', '%', '+', '?', '\u{2019}',
        '\u{201C}', '\\', '*',
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|_| {
            let len = (next() % 40) as usize;
            let body: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            // Half of them look like the kind they claim to be.
            match next() % 4 {
                0 => format!("{body}@contoso.com"),
                1 => format!("https://mail.contoso.com/{body}"),
                _ => body,
            }
        })
        .collect()
}

#[test]
fn no_captured_text_changes_the_shape_of_a_command() {
    let templates = templates();
    assert!(
        templates.len() > 20,
        "too few templates: {}",
        templates.len()
    );
    let mut values: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    values.extend(random_values(300));
    let mut failures = Vec::new();
    for (code, run) in &templates {
        let reference: Captures = Key::ALL.iter().map(|k| (*k, k.example().into())).collect();
        let good = fill(run, &reference);
        assert!(
            good.unfilled.len() < placeholder::parse(run).len(),
            "{code}: {run}"
        );
        let expected = shape(&good.text);
        let unfilled = fill(run, &Captures::new()).text;
        for value in &values {
            let hostile: Captures = Key::ALL.iter().map(|k| (*k, value.clone())).collect();
            let text = fill(run, &hostile).text;
            if text == unfilled || shape(&text) == expected {
                continue;
            }
            // Some keys took the value, others refused it: each placeholder must be one or the
            // other, never a third shape. Check key by key.
            let per_key_ok = Key::ALL.iter().all(|k| {
                let mut one = reference.clone();
                one.insert(*k, value.clone());
                let t = fill(run, &one).text;
                shape(&t) == expected || {
                    let mut refused = reference.clone();
                    refused.remove(k);
                    t == fill(run, &refused).text
                }
            });
            if !per_key_ok {
                failures.push(format!("{code}: {value:?} gives\n{text}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} commands change shape:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_value_is_written_only_when_its_key_accepts_it() {
    let mut c = Captures::new();
    c.insert(
        Key::Address,
        "x;calc.exe;$(Stop-Computer)@contoso.com".into(),
    );
    c.insert(Key::EwsUrl, "https://a.contoso.com/$(Stop-Computer)".into());
    c.insert(Key::Thumbprint, "ABC".into());
    for (code, run) in templates() {
        let text = fill(&run, &c).text;
        assert!(!text.contains("Stop-Computer"), "{code}: {text}");
        assert!(!text.contains("ABC"), "{code}: {text}");
    }
}
