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
    // The built-in data exactly as the binary reads it, validated: `catalog()` trusts it.
    let problems = knowledge::Catalog::embedded_problems();
    assert!(
        problems.is_empty(),
        "knowledge data problems:\n{}",
        problems.join("\n")
    );
    let catalog = knowledge::catalog();
    assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
    // Single-table files hold no entry; every other file is an entry, a cmdlet or a retired one.
    let tables = [
        "plan.toml",
        "retired-modules.toml",
        "passwords.toml",
        "ui.toml",
    ];
    assert_eq!(
        catalog.entries().len() + catalog.cmdlets().len() + catalog.retired().len(),
        knowledge::embedded_files()
            .filter(|f| !knowledge::SETTINGS_FILES.contains(f))
            .filter(|f| *f != "captures.toml" && !f.starts_with("tables/"))
            .filter(|f| !tables.contains(f))
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

fn script_findings(text: &str) -> Vec<freebusy_lsp::finding::Finding> {
    analyse(DocKind::PowerShell, text, None, &Default::default()).0
}

/// `retired/`: each cmdlet is flagged FB109 under its module with its successor named; each
/// one-to-one rename, applied, writes the successor with parameters its data lists by their
/// full names (a switch given a value by `-Name:value`), and the result is no longer flagged.
#[test]
fn retired_cmdlets_are_flagged_and_their_fixes_write_real_parameters() {
    use freebusy_lsp::finding::apply_edits;
    let catalog = knowledge::catalog();
    assert!(catalog.retired().len() >= 20, "retired/ is loaded");
    let mut failures = Vec::new();
    for r in catalog.retired() {
        let calls: Vec<String> = match &r.fix {
            None => vec![r.name.clone()],
            Some(fix) if fix.params.is_empty() => vec![r.name.clone()],
            Some(fix) => fix
                .params
                .iter()
                .map(|(old, _)| format!("{} -{old} 'x'", r.name))
                .collect(),
        };
        for call in calls {
            let found = script_findings(&call);
            let Some(f) = found.iter().find(|f| f.code == Code::FB109) else {
                failures.push(format!("{call}: not flagged"));
                continue;
            };
            let named = f.note.as_deref().unwrap_or("");
            if !named.contains(&r.successor) || catalog.retired_module_of(&r.name).is_none() {
                failures.push(format!("{call}: note {named:?}"));
            }
            match (&r.fix, f.suggestions.first()) {
                (None, None) => {}
                (Some(_), Some(s)) => {
                    let fixed = apply_edits(&call, s.edits.clone());
                    failures.extend(successor_problems(&r.successor, &fixed));
                }
                (fix, s) => failures.push(format!("{call}: fix {fix:?} but suggestion {s:?}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What is wrong with `fixed`, a call of `successor` a fix wrote.
fn successor_problems(successor: &str, fixed: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !fixed.starts_with(&format!("{successor} ")) && fixed != successor {
        out.push(format!("{fixed:?} does not call {successor}"));
    }
    if script_findings(fixed).iter().any(|f| f.code == Code::FB109) {
        out.push(format!("{fixed:?} is still flagged"));
    }
    let data = knowledge::catalog().cmdlet(successor).unwrap();
    let words: Vec<&str> = fixed.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let Some(name) = word.strip_prefix('-') else {
            continue;
        };
        let (name, joined) = name
            .split_once(':')
            .map_or((name, false), |(n, _)| (n, true));
        let separate_value = !joined && words.get(i + 1).is_some_and(|w| !w.starts_with('-'));
        match data.params.iter().find(|p| p.name == name) {
            None => out.push(format!("{fixed:?}: {successor} has no -{name}")),
            Some(p) if p.switch && separate_value => {
                out.push(format!("{fixed:?}: switch -{name} takes no separate value"))
            }
            Some(_) => {}
        }
    }
    out
}

/// `retired-modules.toml`: installing or importing each module is flagged and replaced by the
/// module's install or import successor.
#[test]
fn retired_modules_are_flagged_and_replaced() {
    use freebusy_lsp::finding::apply_edits;
    let modules = knowledge::catalog().retired_modules();
    assert!(!modules.is_empty());
    for m in modules {
        for (verb, want) in [("Install-Module", &m.install), ("Import-Module", &m.import)] {
            let call = format!("{verb} {}", m.name);
            let found = script_findings(&call);
            let f = found.iter().find(|f| f.code == Code::FB109);
            let s = f.and_then(|f| f.suggestions.first()).expect(&call);
            assert_eq!(
                apply_edits(&call, s.edits.clone()),
                format!("{verb} {want}")
            );
        }
    }
}

/// `passwords.toml`: a literal for each password parameter is flagged; where it takes a
/// SecureString the fix prompts, elsewhere the finding only says so.
#[test]
fn password_parameters_are_flagged_and_secure_ones_prompt() {
    let passwords = knowledge::catalog().passwords();
    assert!(!passwords.names.is_empty() && !passwords.secure.is_empty());
    let mut failures = Vec::new();
    let mut check = |call: String, fix: bool| {
        let found = script_findings(&call);
        match found.iter().find(|f| f.code == Code::FB118) {
            Some(f) if f.suggestions.is_empty() != fix => {}
            other => failures.push(format!("{call}: {other:?}")),
        }
    };
    for (cmdlet, params) in &passwords.secure {
        for p in params {
            check(format!("{cmdlet} -{p} 'Spring!42'"), true);
        }
    }
    for name in &passwords.names {
        check(format!("Set-Contoso -{name} 'Spring!42'"), false);
        check(
            format!("Set-Contoso -Body @{{ {name} = 'Spring!42' }}"),
            false,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A retired file whose fix writes a parameter its successor lacks, names no module, or has no
/// successor data is reported, and left out.
#[test]
fn bad_retired_data_is_reported() {
    let cmdlet = "name = \"Get-MgUser\"\nwhere = \"entra\"\nsummary.en = \"x\"\n[[param]]\nname = \"UserId\"\n";
    let modules = "[[module]]\nname = \"MSOnline\"\nprefix = \"Msol\"\ninstall = \"Microsoft.Graph\"\nimport = \"Microsoft.Graph.Users\"\n";
    let files = [
        ("cmdlets/Get-MgUser.toml", cmdlet),
        ("retired-modules.toml", modules),
        (
            "retired/Get-MsolUser.toml",
            "name = \"Get-MsolUser\"\nsuccessor = \"Get-MgUser\"\n[fix]\nparams = [[\"ObjectId\", \"Nope\"]]\n",
        ),
        (
            "retired/Get-AzureADUser.toml",
            "name = \"Get-AzureADUser\"\nsuccessor = \"Get-MgUser\"\n",
        ),
        (
            "retired/Get-MsolDomain.toml",
            "name = \"Get-MsolDomain\"\nsuccessor = \"Get-MgDomain\"\n[fix]\n",
        ),
    ];
    let catalog = knowledge::Catalog::from_files(files);
    let problems = catalog.problems.join("\n");
    for want in [
        "retired/Get-MsolUser.toml: Get-MgUser has no parameter Nope",
        "retired/Get-AzureADUser.toml: the name carries no retired module's prefix",
        "retired/Get-MsolDomain.toml: a fix needs cmdlets/Get-MgDomain.toml",
    ] {
        assert!(problems.contains(want), "{want} not in:\n{problems}");
    }
    assert!(catalog.retired().is_empty());
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

/// A card part, a cmdlet text or a fixed word without its Swedish (or with a command translated)
/// is a problem the catalog test reports.
#[test]
fn a_missing_or_translated_swedish_text_is_a_problem() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge/");
    let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).unwrap();
    let entry_name = "errors/FB019-too-many-calendar-entries.toml";
    let cmdlet_name = "cmdlets/Test-FederationTrust.toml";
    let (entry, ui) = (read(entry_name), read("ui.toml"));
    // Alone, the cmdlet's related codes are unknown: leave them out.
    let cmdlet: String = read(cmdlet_name)
        .lines()
        .filter(|l| !l.starts_with("related = "))
        .map(|l| format!("{l}\n"))
        .collect();
    let load = |entry: &str, cmdlet: &str, ui: &str| {
        knowledge::Catalog::from_files([
            (entry_name, entry),
            (cmdlet_name, cmdlet),
            ("ui.toml", ui),
        ])
        .problems
    };
    assert_eq!(load(&entry, &cmdlet, &ui), Vec::<String>::new());

    // The Swedish text of the first fix step, the Server parameter and a card heading removed.
    let without_line_after = |text: &str, marker: &str, prefix: &str| {
        let at = text.find(marker).unwrap();
        let start = at + text[at..].find(&format!("\n{prefix}")).unwrap();
        let end = start + 1 + text[start + 1..].find('\n').unwrap();
        format!("{}{}", &text[..start], &text[end..])
    };
    let problems = load(
        &without_line_after(&entry, "[[fix.step]]", "sv = "),
        &without_line_after(&cmdlet, "name = \"UserIdentity\"", "sv = "),
        &without_line_after(&ui, "[sv]", "\"card.confirm\""),
    );
    let expected = [
        "FB019-too-many-calendar-entries.toml: fix 1 step 1 has no sv text",
        "Test-FederationTrust.toml: param UserIdentity has no sv text",
        "ui.toml: [sv] lacks \"card.confirm\"",
    ];
    for want in expected {
        assert!(
            problems.iter().any(|p| p.contains(want)),
            "{want}: {problems:?}"
        );
    }

    // A command inside backticks must read the same in every language.
    let translated = entry.replacen("`the actual size`", "`den faktiska storleken`", 2);
    let translated = translated.replacen("`den faktiska storleken`", "`the actual size`", 1);
    let problems = load(&translated, &cmdlet, &ui);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("confirm 1: the sv text lacks the code span the actual size")),
        "{problems:?}"
    );
}
