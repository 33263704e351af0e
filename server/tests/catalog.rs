//! Loads every knowledge entry and checks it: well-formed, complete, and recognizing its own
//! article messages as itself and nothing else.
use freebusy_lsp::analysis::analyse;
use freebusy_lsp::document::DocKind;
use freebusy_lsp::knowledge::{self, Kind};
use freebusy_lsp::scan::{self, Confidence, Scanner};
use freebusy_lsp::script::rules;

#[test]
fn data_has_no_problems() {
    let catalog = knowledge::catalog();
    assert!(
        catalog.problems.is_empty(),
        "knowledge data problems:\n{}",
        catalog.problems.join("\n")
    );
    assert_eq!(
        catalog.entries().len() + catalog.cmdlets().len(),
        knowledge::embedded_files()
            .filter(|f| !knowledge::SETTINGS_FILES.contains(f))
            .count()
    );
}

#[test]
fn all_article_errors_are_present() {
    let catalog = knowledge::catalog();
    let missing: Vec<String> = (1..=32)
        .map(|n| format!("FB{n:03}"))
        .filter(|c| catalog.get(c).is_none_or(|e| e.kind != Kind::Error))
        .collect();
    assert!(missing.is_empty(), "missing error entries: {missing:?}");
}

#[test]
fn signatures_compile_together() {
    Scanner::new(knowledge::catalog()).expect("one regex for all signatures");
}

/// A line of free/busy context (an availability event) put above an example.
const CONTEXT_LINE: &str = "Event 4002, MSExchange Availability: GetUserAvailability failed.";

/// Each example is found as its own entry and nothing else. A triage entry is low confidence. An
/// error entry is high confidence, unless the example holds only generic text (`generic = true`)
/// and no free/busy context: then it is low with the generic note, and becomes high once an
/// availability event stands above it.
#[test]
fn every_example_is_recognized_as_its_own_entry_only() {
    let mut failures = Vec::new();
    for entry in knowledge::catalog().entries() {
        if !entry.kind.by_signature() {
            continue;
        }
        for ex in &entry.examples {
            let found = scan::scan(&ex.text);
            let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
            let one = found.len() == 1 && found[0].code == entry.code;
            let ok = one
                && match entry.kind {
                    Kind::Triage => found[0].confidence == Confidence::Low,
                    _ if found[0].confidence == Confidence::High => true,
                    _ => found[0].note.as_deref() == Some(scan::GENERIC_NOTE),
                };
            let in_context = format!("{CONTEXT_LINE}\n{}", ex.text);
            let found_in = scan::scan(&in_context);
            let want = if entry.kind == Kind::Triage {
                Confidence::Low
            } else {
                Confidence::High
            };
            let ok_in = found_in.len() == 1
                && found_in[0].code == entry.code
                && found_in[0].confidence == want;
            if !ok || !ok_in {
                let codes_in: Vec<String> = found_in
                    .iter()
                    .map(|f| format!("{} {:?}", f.code, f.confidence))
                    .collect();
                failures.push(format!(
                    "{} ({}) example: found {codes:?}, in context {codes_in:?}\n  {}",
                    entry.code,
                    ex.lang,
                    ex.text.trim()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A generic signature that holds a context marker would always find its own context.
#[test]
fn generic_signatures_hold_no_context_marker() {
    let catalog = knowledge::catalog();
    assert!(
        !catalog.context_markers().is_empty(),
        "context.toml has no marker"
    );
    let markers: Vec<(String, regex::Regex)> = catalog
        .context_markers()
        .iter()
        .map(|m| {
            let c = knowledge::pattern::compile(m, "m").unwrap();
            (
                m.clone(),
                regex::Regex::new(&format!("(?i){}", c.plain)).unwrap(),
            )
        })
        .collect();
    let mut failures = Vec::new();
    for entry in catalog.entries() {
        for sig in entry.signatures.iter().filter(|s| s.generic) {
            for (m, re) in &markers {
                if re.is_match(&sig.text) {
                    failures.push(format!("{}: {:?} holds marker {m:?}", entry.code, sig.text));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_script_rule_has_data_a_query_and_fires_on_its_examples() {
    let catalog = knowledge::catalog();
    let (_, problems) = rules::queries();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let mut failures = Vec::new();
    for (code, _) in rules::RULES {
        match catalog.get(code) {
            Some(e) if e.kind == Kind::Script => {}
            _ => failures.push(format!(
                "{code}: no script entry in server/knowledge/script/"
            )),
        }
        let captured = rules::queries()
            .0
            .iter()
            .any(|(_, q)| q.capture_names().contains(code));
        if !captured {
            failures.push(format!(
                "{code}: no query in queries/powershell/ captures @{code}"
            ));
        }
    }
    for entry in catalog.entries().iter().filter(|e| e.kind == Kind::Script) {
        if !rules::RULES.iter().any(|(c, _)| *c == entry.code) {
            failures.push(format!("{}: data without a rule", entry.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Script rules, log and output findings: each example (a script, a log, pasted output) is flagged.
#[test]
fn every_analysed_entry_fires_on_its_examples() {
    let mut failures = Vec::new();
    for entry in knowledge::catalog()
        .entries()
        .iter()
        .filter(|e| !e.kind.by_signature())
    {
        let doc = if entry.kind == Kind::Script {
            DocKind::PowerShell
        } else {
            DocKind::Text
        };
        for ex in &entry.examples {
            let (found, _) = analyse(doc, &ex.text, None, &Default::default());
            if !found.iter().any(|f| f.code == entry.code) {
                failures.push(format!("{} example not flagged: {:?}", entry.code, ex.text));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn query_captures_name_rules() {
    for (file, q) in &rules::queries().0 {
        for name in q.capture_names() {
            let is_code = name.len() == 5 && name.starts_with("FB");
            assert!(
                !is_code || rules::RULES.iter().any(|(c, _)| c == name),
                "{file}: @{name} is not a rule"
            );
        }
    }
}
