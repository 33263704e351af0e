//! Loads every knowledge entry and checks it: well-formed, complete, and recognizing its own
//! article messages as itself and nothing else.
use freebusy_lsp::analysis::analyse;
use freebusy_lsp::code::Code;
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
            .filter(|f| *f != "plan.toml" && !f.starts_with("tables/"))
            .count()
    );
}

#[test]
fn all_article_errors_are_present() {
    let catalog = knowledge::catalog();
    let missing: Vec<String> = (1..=32)
        .map(|n| format!("FB{n:03}"))
        .filter(|c| {
            Code::parse(c)
                .and_then(|c| catalog.get(c))
                .is_none_or(|e| e.kind != Kind::Error)
        })
        .collect();
    assert!(missing.is_empty(), "missing error entries: {missing:?}");
}

#[test]
fn signatures_compile_together() {
    Scanner::new(knowledge::catalog()).expect("one regex for all signatures");
}

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
            let want_low = entry.kind == Kind::Triage;
            let ok = found.len() == 1
                && found[0].code == entry.code
                && (found[0].confidence == Confidence::Low) == want_low;
            if !ok {
                failures.push(format!(
                    "{} ({}) example: found {codes:?}\n  {}",
                    entry.code,
                    ex.lang,
                    ex.text.trim()
                ));
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
        match catalog.get(*code) {
            Some(e) if e.kind == Kind::Script => {}
            _ => failures.push(format!(
                "{code}: no script entry in server/knowledge/script/"
            )),
        }
        let captured = rules::queries()
            .0
            .iter()
            .any(|(_, q)| q.capture_names().contains(&code.as_str()));
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
                !is_code || rules::RULES.iter().any(|(c, _)| c.as_str() == *name),
                "{file}: @{name} is not a rule"
            );
        }
    }
}

#[test]
fn endpoint_and_property_tables_name_real_parameters() {
    let catalog = knowledge::catalog();
    let endpoints = catalog.endpoints();
    assert!(!endpoints.is_empty());
    let takers = [
        "Set-IntraOrganizationConnector",
        "Set-OrganizationRelationship",
    ];
    for e in endpoints {
        let known = takers
            .iter()
            .filter_map(|c| catalog.cmdlet(c))
            .any(|c| c.params.iter().any(|p| p.name == e.name));
        assert!(known, "{} is no parameter of {takers:?}", e.name);
    }
    let wrong = catalog.wrong_properties();
    assert!(!wrong.is_empty());
    for w in wrong {
        assert!(catalog.cmdlet(&w.cmdlet).is_some(), "{}", w.cmdlet);
        // The property that holds the value is one the matching Set- cmdlet sets.
        let set = w.cmdlet.replacen("Get-", "Set-", 1);
        let setter = catalog.cmdlet(&set).expect(&set);
        assert!(
            setter.params.iter().any(|p| p.name == w.right),
            "{set} -{}",
            w.right
        );
    }
    let bad = knowledge::Catalog::from_files([
        (
            knowledge::ENDPOINTS,
            "[[endpoint]]\nname = \"A\"\npaths = [\"ews\"]\n[[endpoint]]\nname = \"a\"\npaths = [\"/b\"]\n",
        ),
        (
            knowledge::WRONG_PROPERTIES,
            "[[property]]\ncmdlet = \"Get-Nothing\"\nname = \"A\"\nright = \"a\"\n",
        ),
    ]);
    // A path without `/`, a name twice, an unknown cmdlet, a wrong name equal to the right one.
    assert_eq!(bad.problems.len(), 4, "{:?}", bad.problems);
}
