//! What a card tells an administrator to run, checked against the mistakes that cost trust: an
//! upload that wipes a service principal's other keys, steps for the shared principal that no
//! longer work, a 401 probe that throws in Windows PowerShell 5.1, a PsExec window that closes
//! before it can be read. Every rule reads the embedded catalog, so a new card is checked too.
use freebusy_lsp::knowledge::{self, Entry, Kind, Step};
use freebusy_lsp::render::fill;

/// The shared first-party principal of Exchange Online: refused for EWS since October 31, 2025.
const SHARED_PRINCIPAL: &str = "00000002-0000-0ff1-ce00-000000000000";

/// One place a command appears: a confirm step, or a whole fix (its runs read together, because a
/// fix is inserted whole and its steps share variables).
struct Place<'a> {
    entry: &'a Entry,
    what: String,
    /// The commands with every placeholder left at its default.
    run: String,
    /// The title and the English texts of the steps.
    text: String,
}

fn en(step: &Step) -> &str {
    step.text.get("en").map_or("", String::as_str)
}

fn places() -> Vec<Place<'static>> {
    let mut out = Vec::new();
    for entry in knowledge::catalog().entries() {
        if entry.kind == Kind::Script {
            continue;
        }
        for (i, step) in entry.confirm.iter().enumerate() {
            let Some(run) = &step.run else { continue };
            out.push(Place {
                entry,
                what: format!("confirm {}", i + 1),
                run: fill(run, &Default::default()).text,
                text: en(step).to_string(),
            });
        }
        for (i, fix) in entry.fixes.iter().enumerate() {
            let runs: Vec<String> = fix
                .steps
                .iter()
                .filter_map(|s| s.run.as_deref())
                .map(|r| fill(r, &Default::default()).text)
                .collect();
            let mut text = fix.title.get("en").cloned().unwrap_or_default();
            for step in &fix.steps {
                text.push('\n');
                text.push_str(en(step));
            }
            out.push(Place {
                entry,
                what: format!("fix {}", i + 1),
                run: runs.join("\n"),
                text,
            });
        }
    }
    out
}

/// Checks every place with `rule`; the failures name the card and the place.
fn check(rule: impl Fn(&Place) -> Option<String>) {
    let failures: Vec<String> = places()
        .iter()
        .filter_map(|p| rule(p).map(|why| format!("{} {}: {why}", p.entry.code, p.what)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

#[test]
fn uploads_to_the_shared_principal_are_marked_as_the_old_model() {
    check(|p| {
        let run = lower(&p.run);
        let uploads = run.contains("new-msolserviceprincipalcredential")
            || run.contains("set-msolserviceprincipal")
            || (run.contains("update-mgserviceprincipal") && run.contains("-keycredentials"));
        let shared = run.contains(SHARED_PRINCIPAL) || run.contains("update-mgserviceprincipal");
        (uploads && shared && !lower(&p.text).contains("old model"))
            .then(|| "uploads to the shared principal without calling it the old model".into())
    });
}

#[test]
fn key_uploads_read_the_existing_keys_and_append() {
    check(|p| {
        let run = lower(&p.run);
        let update = ["update-mgserviceprincipal", "update-mgapplication"]
            .iter()
            .filter_map(|c| run.find(c))
            .min()?;
        if !run[update..].contains("-keycredentials") {
            return None;
        }
        let read = ["get-mgserviceprincipal", "get-mgapplication"]
            .iter()
            .filter_map(|c| run.find(c))
            .filter(|&at| at < update && run[at..update].contains("keycredentials"))
            .min();
        match read {
            None => Some("writes -KeyCredentials without reading the keys it holds first".into()),
            Some(at) if !run[at..update].contains("+=") => {
                Some("writes -KeyCredentials without appending to the keys it read".into())
            }
            Some(_) => None,
        }
    });
}

#[test]
fn thumbprints_are_read_from_custom_key_identifier_as_text() {
    check(|p| {
        let run = &p.run;
        (run.contains("CustomKeyIdentifier") && !run.contains("[System.Convert]::ToBase64String"))
            .then(|| {
                "reads CustomKeyIdentifier without ToBase64String (it holds the thumbprint text)"
                    .into()
            })
    });
}

/// An OAuth card is one that has the OAuth test among its checks; it must first find the model.
#[test]
fn oauth_cards_first_ask_which_model_the_organization_is_on() {
    let mut failures = Vec::new();
    for entry in knowledge::catalog().entries() {
        let runs = |s: &Step| s.run.clone().unwrap_or_default();
        // A card that also runs the DAuth tests (a failed test of any kind) is not an OAuth card.
        let tests = |name: &str| entry.confirm.iter().any(|s| runs(s).contains(name));
        let oauth = tests("Test-OAuthConnectivity")
            && !tests("Test-OrganizationRelationship")
            && !tests("Test-FederationTrust");
        if !oauth {
            continue;
        }
        let first = entry.confirm.first().map(runs).unwrap_or_default();
        if !(first.contains("Get-AuthServer") && first.contains("ExchangeOnpremAsThirdPartyAppId"))
        {
            failures.push(format!(
                "{}: the first check does not tell the two models apart",
                entry.code
            ));
        }
        let text: String = entry.confirm.iter().map(en).collect();
        if !text.contains(SHARED_PRINCIPAL) || !text.contains("October 31, 2025") {
            failures.push(format!(
                "{}: does not say the shared principal is blocked since October 31, 2025",
                entry.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn password_profiles_are_set_with_the_permission_they_need() {
    check(|p| {
        let run = lower(&p.run);
        let at = run.find(" -passwordprofile ")?;
        let connect = run[..at].rfind("connect-mggraph")?;
        let scopes = &run[connect..at];
        (!scopes.contains("user-passwordprofile.readwrite.all")
            && !scopes.contains("directory.accessasuser.all"))
        .then(|| "sets -PasswordProfile without User-PasswordProfile.ReadWrite.All".into())
    });
}

#[test]
fn web_probes_read_a_401_in_windows_powershell() {
    check(|p| {
        let run = lower(&p.run);
        if !run.contains("invoke-webrequest") || run.contains("psexec") {
            return None;
        }
        (!run.contains("catch"))
            .then(|| "Invoke-WebRequest throws on a 401 in Windows PowerShell 5.1: catch it".into())
    });
}

#[test]
fn psexec_windows_stay_open() {
    check(|p| {
        let run = lower(&p.run);
        let interactive = run.contains("psexec") && run.contains(" -i ");
        (interactive && !run.contains("-noexit") && !run.contains("out-file"))
            .then(|| "PsExec -i closes its window as the command ends: add -NoExit".into())
    });
}

#[test]
fn setting_overrides_are_created_with_a_reason() {
    check(|p| {
        let run = lower(&p.run);
        (run.contains("new-settingoverride") && !run.contains("-reason"))
            .then(|| "New-SettingOverride requires -Reason".into())
    });
}

/// The relationship takes the Autodiscover URL with `/WSSecurity`, the connector without.
#[test]
fn autodiscover_endpoints_have_the_form_of_their_object() {
    check(|p| {
        for line in p.run.lines() {
            let l = lower(line);
            let value = |param: &str| {
                l.split_once(param).map(|(_, v)| {
                    v.split_whitespace()
                        .next()
                        .unwrap_or("")
                        .trim_matches(['"', '\''])
                        .to_string()
                })
            };
            if let Some(v) = value("-targetautodiscoverepr ") {
                if v.contains("autodiscover.svc") && !v.ends_with("/wssecurity") {
                    return Some(format!("relationship endpoint without /WSSecurity: {line}"));
                }
            }
            if let Some(v) = value("-discoveryendpoint ") {
                if v.ends_with("/wssecurity") {
                    return Some(format!("connector endpoint with /WSSecurity: {line}"));
                }
            }
        }
        None
    });
}

/// The wizard's names contain spaces (`O365 to On-premises - <GUID>`): unquoted, they split.
#[test]
fn relationship_and_connector_names_are_quoted() {
    check(|p| {
        for line in p.run.lines() {
            let l = lower(line);
            if !(l.starts_with("set-organizationrelationship")
                || l.starts_with("set-intraorganizationconnector"))
            {
                continue;
            }
            let arg = l.split_once(' ').map_or("", |(_, rest)| rest).trim_start();
            let arg = arg.strip_prefix("-identity ").unwrap_or(arg).trim_start();
            if !arg.starts_with(['"', '\'']) {
                return Some(format!("the name is not quoted: {line}"));
            }
        }
        None
    });
}

#[test]
fn no_card_says_the_smtp_prompt_breaks_mail_flow() {
    check(|p| {
        lower(&p.text)
            .contains("breaks mail flow")
            .then(|| "claims that accepting the SMTP prompt breaks mail flow".into())
    });
}

/// The article's own upload step was prose: a step that speaks of uploading to the shared
/// principal must say it is the old model too.
#[test]
fn steps_that_speak_of_uploading_to_the_shared_principal_say_it_is_the_old_model() {
    let mut failures = Vec::new();
    for entry in knowledge::catalog().entries() {
        let fixes = entry.fixes.iter().flat_map(|f| {
            let title = f.title.get("en").cloned().unwrap_or_default();
            f.steps.iter().map(move |s| (title.clone(), s))
        });
        let confirms = entry.confirm.iter().map(|s| (String::new(), s));
        for (title, step) in confirms.chain(fixes) {
            let text = lower(en(step));
            let upload = text.contains("upload") && text.contains(SHARED_PRINCIPAL);
            if upload && !text.contains("old model") && !lower(&title).contains("old model") {
                failures.push(format!("{}: {}", entry.code, en(step)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
