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
            .filter(|f| *f != "plan.toml" && *f != "captures.toml" && !f.starts_with("tables/"))
            .count()
    );
}

#[test]
fn time_zone_table_is_loaded_and_checked() {
    let zones = knowledge::catalog().time_zones();
    assert!(
        zones.windows.len() > 100,
        "{} Windows ids",
        zones.windows.len()
    );
    assert_eq!(
        zones.windows_id(" w. europe standard time "),
        Some("W. Europe Standard Time")
    );
    assert_eq!(
        zones.from_iana("europe/stockholm"),
        Some("W. Europe Standard Time")
    );
    let bad = knowledge::Catalog::from_files([(
        knowledge::TIME_ZONES,
        "windows = [\"UTC\", \"utc\"]\n[iana]\n\"Europe/Oslo\" = \"W. Europe Standard Time\"\n",
    )]);
    assert_eq!(bad.problems.len(), 2, "{:?}", bad.problems);
}

#[test]
fn folder_permission_cmdlets_list_the_access_rights() {
    for name in ["Set-MailboxFolderPermission", "Add-MailboxFolderPermission"] {
        let rights = knowledge::catalog()
            .cmdlet(name)
            .and_then(|c| c.param("AccessRights"))
            .map(|p| p.values.clone())
            .unwrap_or_default();
        for role in ["None", "AvailabilityOnly", "LimitedDetails", "Reviewer"] {
            assert!(rights.iter().any(|r| r == role), "{name}: no {role}");
        }
    }
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
/// A script example, like a rule's documentation example in biome, flags exactly one thing: itself.
#[test]
fn every_analysed_entry_fires_on_its_examples() {
    let mut failures = Vec::new();
    for entry in knowledge::catalog()
        .entries()
        .iter()
        .filter(|e| !e.kind.by_signature())
    {
        let script = entry.kind == Kind::Script;
        let doc = if script {
            DocKind::PowerShell
        } else {
            DocKind::Text
        };
        for ex in &entry.examples {
            let (found, _) = analyse(doc, &ex.text, None, &Default::default());
            let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
            let ok = if script {
                codes == [entry.code.as_str()]
            } else {
                found.iter().any(|f| f.code == entry.code)
            };
            if !ok {
                failures.push(format!(
                    "{} example: found {codes:?}\n  {}",
                    entry.code, ex.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each script entry shows the safe form of what it flags (`[[valid]]`), and that form is quiet:
/// no finding of any rule.
#[test]
fn every_script_entry_has_valid_examples_that_produce_nothing() {
    let mut failures = Vec::new();
    for entry in knowledge::catalog()
        .entries()
        .iter()
        .filter(|e| e.kind == Kind::Script)
    {
        if entry.valid.is_empty() {
            failures.push(format!("{}: no [[valid]] example", entry.code));
        }
        for ex in &entry.valid {
            let (found, _) = analyse(DocKind::PowerShell, &ex.text, None, &Default::default());
            if !found.is_empty() {
                let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
                failures.push(format!(
                    "{} valid example: found {codes:?}\n  {}",
                    entry.code, ex.text
                ));
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
