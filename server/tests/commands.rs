//! Every command the product can emit binds to exactly one parameter set of its cmdlet, as the
//! official reference describes it (`knowledge/cmdlets/*.toml`): card steps (confirm and fix,
//! placeholders filled with well-formed sample values), the scripts a quick fix inserts
//! (`render::script_for_fix`), the remediation plan of every text fixture, and what each script
//! rule's quick fix writes into its fixture. A cmdlet without data fails, so every emitted
//! cmdlet gets some; a step's cmdlet must exist in the shell the step names.
mod support;

use freebusy_lsp::analysis::analyse_file;
use freebusy_lsp::capture::{Captures, Key};
use freebusy_lsp::finding::{apply_edits, Edit};
use freebusy_lsp::knowledge::placeholder::Quotes;
use freebusy_lsp::knowledge::{self, Shell};
use freebusy_lsp::render::{fill, remediation_plan, script_for_fix};
use freebusy_lsp::script::signature::{bind, resolve, Context, Target};
use freebusy_lsp::script::{parse, Command, Script, ValueKind};
use support::fixture;

/// Commands that are no cmdlets, with why they are not bound.
const NOT_CMDLETS: &[(&str, &str)] = &[
    (
        "iisreset",
        "an executable (iisreset.exe), no PowerShell parameters",
    ),
    (
        "PsExec",
        "Sysinternals executable; its switches are not PowerShell's",
    ),
    (
        ".\\Setup",
        "Exchange Setup (Setup.exe); its /switches are not PowerShell parameters",
    ),
    (
        "psexec64",
        "Sysinternals executable; its switches are not PowerShell's",
    ),
    (
        ".\\HealthChecker.ps1",
        "a CSS-Exchange script, not a module cmdlet",
    ),
    (
        ".\\ConfigureExchangeHybridApplication.ps1",
        "a CSS-Exchange script, not a module cmdlet",
    ),
];

/// The text with each bare `<placeholder>` the user must replace written as one quoted value:
/// as written it is a redirection, and the person replaces it with one value before running.
fn stand_ins(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('#') {
            out.push_str(line);
            continue;
        }
        let mut quotes = Quotes::Bare;
        let mut rest = line;
        while let Some(c) = rest.chars().next() {
            let placeholder = (quotes == Quotes::Bare && c == '<')
                .then(|| rest.find('>'))
                .flatten()
                .filter(|&end| rest[1..end].starts_with(char::is_alphabetic));
            if let Some(end) = placeholder {
                out.push('\'');
                out.push_str(&rest[..=end]);
                out.push('\'');
                rest = &rest[end + 1..];
                continue;
            }
            quotes = quotes.after(&rest[..c.len_utf8()]);
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// A piece of emitted PowerShell: where it comes from, its text, the shell it runs in if known.
struct Emitted {
    origin: String,
    text: String,
    shell: Option<Shell>,
    /// Only names and values are ours to check (a user's command a fix changed).
    partial: bool,
}

fn samples() -> Captures {
    Key::ALL.iter().map(|k| (*k, k.example().into())).collect()
}

fn from_cards(out: &mut Vec<Emitted>) {
    let captures = samples();
    for e in knowledge::catalog().entries() {
        let steps = e.confirm.iter().map(|s| ("confirm", s)).chain(
            e.fixes
                .iter()
                .flat_map(|f| f.steps.iter().map(|s| ("fix", s))),
        );
        for (kind, step) in steps {
            if let Some(run) = &step.run {
                out.push(Emitted {
                    origin: format!("{} {kind} step", e.code),
                    text: fill(run, &captures).text,
                    shell: Some(step.shell),
                    partial: false,
                });
            }
        }
        for i in 0..e.fixes.len() {
            out.push(Emitted {
                origin: format!("{} fix script {i}", e.code),
                text: script_for_fix(e, i, &captures, "en"),
                shell: None,
                partial: false,
            });
        }
    }
}

fn from_plans(out: &mut Vec<Emitted>) {
    for dir in ["scan", "logs", "output"] {
        for path in fixture::files(&fixture::root().join(dir)) {
            let text = fixture::parse(&std::fs::read_to_string(&path).unwrap()).text;
            let name = path.to_string_lossy().to_string();
            let findings = analyse_file(&name, &text);
            if findings.is_empty() {
                continue;
            }
            out.push(Emitted {
                origin: format!("plan of {name}"),
                text: remediation_plan(&name, &text, &findings, "en"),
                shell: None,
                partial: false,
            });
        }
    }
}

/// What the quick fixes write: each statement of the fixed script with a command the original
/// lacks. A command whose name the fix wrote is checked whole; one the fix only changed (a value,
/// a parameter) is the user's: only its names and values are checked, not its set.
fn from_quick_fixes(out: &mut Vec<Emitted>) {
    for path in fixture::files(&fixture::root().join("script")) {
        let text = fixture::parse(&std::fs::read_to_string(&path).unwrap()).text;
        let name = path.to_string_lossy().to_string();
        let edits: Vec<Edit> = analyse_file(&name, &text)
            .iter()
            .filter_map(|f| f.suggestions.first())
            .flat_map(|s| s.edits.clone())
            .collect();
        if edits.is_empty() {
            continue;
        }
        let written = written_ranges(&edits);
        let fixed = apply_edits(&text, edits);
        let before = command_texts(&text);
        let tree = parse(&fixed, None).unwrap();
        let script = Script::new(&fixed, &tree, knowledge::catalog());
        let mut seen = Vec::new();
        for c in &script.commands {
            if before.contains(&fixed[c.range.clone()].to_string()) || seen.contains(&c.statement) {
                continue;
            }
            seen.push(c.statement.clone());
            let whole = written
                .iter()
                .any(|r| r.start <= c.name_range.start && c.name_range.end <= r.end);
            out.push(Emitted {
                origin: format!("quick fix in {name}"),
                text: fixed[c.statement.clone()].to_string(),
                shell: None,
                partial: !whole,
            });
        }
    }
}

/// Where the edits' texts stand in the edited text (`apply_edits` applies them back to front).
fn written_ranges(edits: &[Edit]) -> Vec<std::ops::Range<usize>> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut shift: isize = 0;
    let mut out = Vec::new();
    for e in sorted {
        let start = (e.range.start as isize + shift) as usize;
        out.push(start..start + e.text.len());
        shift += e.text.len() as isize - e.range.len() as isize;
    }
    out
}

fn command_texts(text: &str) -> Vec<String> {
    let tree = parse(text, None).unwrap();
    let s = Script::new(text, &tree, knowledge::catalog());
    s.commands
        .iter()
        .map(|c| text[c.range.clone()].to_string())
        .collect()
}

/// A splat whose hashtable the model could not see: its parameters are unknown.
fn unresolved_splat(s: &Script, c: &Command) -> bool {
    c.positionals.iter().any(|v| match &v.kind {
        ValueKind::Splat(name) => s
            .assignment_before(name, v.range.start)
            .is_none_or(|a| !matches!(a.value.kind, ValueKind::Hash(_))),
        _ => false,
    })
}

fn emitted() -> Vec<Emitted> {
    let mut out = Vec::new();
    from_cards(&mut out);
    from_plans(&mut out);
    from_quick_fixes(&mut out);
    out
}

/// Binds every command of one emitted text; failures say where and why.
fn check(
    e: &Emitted,
    bound: &mut usize,
    skipped: &mut Vec<&'static str>,
    failures: &mut Vec<String>,
) {
    let text = stand_ins(&e.text);
    let tree = parse(&text, None).unwrap();
    let s = Script::new(&text, &tree, knowledge::catalog());
    for c in &s.commands {
        if let Some((n, _)) = NOT_CMDLETS.iter().find(|(n, _)| c.is(n)) {
            skipped.push(n);
            continue;
        }
        if c.name.starts_with(['"', '\'']) {
            continue; // a program by its quoted path (`& "C:\Tools\PsExec.exe"`)
        }
        if knowledge::catalog().retired().iter().any(|r| c.is(&r.name)) {
            continue; // a retired module's cmdlet, written as the user wrote it: FB109 flags it
        }
        let line = &text[c.range.clone()];
        let Some(cmdlet) = knowledge::catalog().cmdlet(&c.name) else {
            failures.push(format!("{}: no data for {}: {line}", e.origin, c.name));
            continue;
        };
        if let Some(shell) = e.shell {
            if !cmdlet.exists_in(shell) {
                failures.push(format!(
                    "{}: {} does not exist in {shell:?}: {line}",
                    e.origin, cmdlet.name
                ));
            }
            for p in c
                .params
                .iter()
                .filter_map(|p| match resolve(cmdlet, &p.name) {
                    Ok(Target::Own(p)) => Some(p),
                    _ => None,
                })
            {
                // The Exchange server's prompt is the Exchange Management Shell.
                let here = if shell == Shell::Windows {
                    Shell::OnPremises
                } else {
                    shell
                };
                if !p.available.is_empty() && !p.available.contains(&here) {
                    failures.push(format!(
                        "{}: -{} of {} does not exist in {shell:?}: {line}",
                        e.origin, p.name, cmdlet.name
                    ));
                }
            }
        }
        let ctx = Context {
            complete: !e.partial && !unresolved_splat(&s, c),
        };
        let b = bind(c, cmdlet, ctx);
        if b.problems.is_empty() && (b.set.is_some() || !ctx.complete) {
            *bound += 1;
        } else {
            let why: Vec<String> = b
                .problems
                .iter()
                .map(|p| p.problem.message(&cmdlet.name))
                .collect();
            failures.push(format!("{}: {line}\n    {}", e.origin, why.join("\n    ")));
        }
    }
}

#[test]
fn every_emitted_command_binds_to_one_parameter_set() {
    let all = emitted();
    assert!(all.len() > 100, "too few emitted texts: {}", all.len());
    let mut failures = Vec::new();
    let mut bound = 0;
    let mut skipped = Vec::new();
    for e in &all {
        check(e, &mut bound, &mut skipped, &mut failures);
    }
    // The allow-list stays as short as what is emitted.
    for (n, _) in NOT_CMDLETS.iter().filter(|(n, _)| !skipped.contains(n)) {
        failures.push(format!(
            "{n} is allowed but never emitted: drop it from NOT_CMDLETS"
        ));
    }
    failures.sort();
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(bound > 200, "only {bound} commands bound");
    eprintln!("{} emitted texts, {bound} commands bound", all.len());
}

/// The binder says no where PowerShell would: one command per problem, and good ones that bind.
#[test]
fn the_binder_refuses_what_powershell_refuses() {
    let cases: &[(&str, Option<&str>)] = &[
        ("Get-Mailbox -Identity jon", Some("Identity")),
        ("Get-Mailbox jon -ResultSize Unlimited", Some("Identity")),
        ("Get-Mailbox -Anr jon", Some("AnrSet")),
        ("Get-Mailbox", Some("Identity")),
        ("Get-MgUser -UserId jon@contoso.com -Property Id", Some("Get")),
        ("Get-MgUser -Filter \"x eq 'y'\" -All", Some("List")),
        ("Get-ExchangeCertificate | Where-Object { $_.Services -match 'SMTP' }", Some("ScriptBlockSet")),
        ("Restart-Service MSExchangeServiceHost", Some("Default")),
        // Positions count across the sets: the first argument goes to position 0 (-Name).
        ("Get-Command ExSetup.exe", Some("AllCommandSet")),
        ("Get-Service | Where-Object Status -eq Running", Some("EqualSet")),
        ("Get-Service | Where-Object Status -like Run*", Some("LikeSet")),
        ("Set-OrganizationRelationship 'O365 to On-premises*' -TargetSharingEpr https://mail.contoso.com/ews/exchange.asmx", Some("(all)")),
        ("Get-Mailbox -Identitty jon", None),
        ("Get-Mailbox -In jon", None),
        ("Get-Mailbox -Identity jon -Anr jon", None),
        ("Get-MgUser -UserId jon -Filter x", None),
        ("Set-OrganizationRelationship x -FreeBusyAccessLevel Everything", None),
        ("Set-OrganizationRelationship x -Enabled true", None),
        ("Set-OrganizationRelationship x -Force $false", None),
        ("Set-OrganizationRelationship -Enabled $true", None),
        ("Restart-Service a b", None),
        ("Get-Mailbox -Identity a -Identity b", None),
        ("Install-Module Microsoft.Graph -Scope Everyone", None),
    ];
    let mut wrong = Vec::new();
    for (text, want) in cases {
        let tree = parse(text, None).unwrap();
        let s = Script::new(text, &tree, knowledge::catalog());
        let c = &s.commands[s.commands.len() - 1];
        let cmdlet = knowledge::catalog().cmdlet(&c.name).unwrap();
        let b = bind(c, cmdlet, Context { complete: true });
        let got = b.problems.is_empty().then(|| b.set.clone()).flatten();
        if got.as_deref() != *want {
            wrong.push(format!(
                "{text}: want {want:?}, got {got:?} {:?}",
                b.problems
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
