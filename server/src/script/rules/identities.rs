//! Users, UPNs, passwords and the retired modules: FB107, FB108, FB109, FB110, FB118.
use crate::code::Code;
use crate::finding::{Edit, Finding, Suggestion};
use crate::script::model::{binds, Command, Param, Script, Value, ValueKind};
use std::ops::Range;

// ---------------------------------------------------------------------------------------------
// FB107

/// FB107: `Set-RemoteMailbox` / `Set-Mailbox -ImmutableId <value>` with no later reset to
/// `$null` for the same identity.
pub fn immutable_id_left_set(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for (i, cmd) in commands.iter().enumerate() {
        let Some(param) = arg(cmd, "ImmutableId") else {
            continue;
        };
        let Some(value) = &param.value else {
            continue;
        };
        if clears(script, value) {
            continue;
        }
        let identity = identity(cmd);
        let reset = commands[i + 1..]
            .iter()
            .any(|later| resets(script, cmd, identity, later));
        if reset {
            continue;
        }
        let mut f = Finding::new(Code::FB107, param.full_range());
        match identity {
            Some(id) => {
                f.note = Some(format!(
                    "Nothing later in the script sets the ImmutableId of {} back to $null.",
                    literal(script, id).unwrap_or(&id.text)
                ));
                f.suggestions.push(immutable_id_reset(script, cmd, id));
            }
            None => {
                f.note =
                    Some("Nothing later in the script sets the ImmutableId back to $null.".into())
            }
        }
        out.push(f);
    }
}

/// Whether `later` (same cmdlet as `cmd`) sets the ImmutableId of the same identity to `$null`.
fn resets(script: &Script, cmd: &Command, identity: Option<&Value>, later: &Command) -> bool {
    let cleared = arg_value(later, "ImmutableId").is_some_and(|v| clears(script, v));
    let same_object = match (identity, self::identity(later)) {
        (Some(a), Some(b)) => same(script, a, b),
        _ => false,
    };
    later.name.eq_ignore_ascii_case(&cmd.name) && cleared && same_object
}

/// `$null` or an empty string: the value that clears the attribute.
fn clears(script: &Script, value: &Value) -> bool {
    let value = script.resolve(value);
    value.kind == ValueKind::Null || value.as_str().is_some_and(|s| s.trim().is_empty())
}

/// The article's toggle: set back to `$null` after the synchronization that follows (then
/// synchronize again), or right after the statement when none follows before the next
/// ImmutableId change (and always for `Set-Mailbox`: Exchange Online objects are not synced).
fn immutable_id_reset(script: &Script, cmd: &Command, id: &Value) -> Suggestion {
    let mut lines = vec![format!(
        "{} -Identity {} -ImmutableId $null",
        cmd.name, id.text
    )];
    let at = match sync_after(script, cmd) {
        Some(sync) => {
            lines.push("Start-ADSyncSyncCycle -PolicyType Delta".into());
            sync.statement.end
        }
        None => cmd.statement.end,
    };
    Suggestion {
        title: "Set ImmutableId back to $null".into(),
        edits: vec![add_lines_after(script.text, at, &lines)],
    }
}

/// The `Start-ADSyncSyncCycle` that synchronizes what `cmd` (a `Set-RemoteMailbox`) changed.
fn sync_after<'s>(script: &'s Script, cmd: &Command) -> Option<&'s Command> {
    if !cmd.is("Set-RemoteMailbox") {
        return None;
    }
    script
        .after(cmd)
        .filter(|c| c.statement.start >= cmd.statement.end)
        .take_while(|c| arg(c, "ImmutableId").is_none())
        .find(|c| c.is("Start-ADSyncSyncCycle"))
}

// ---------------------------------------------------------------------------------------------
// FB108

/// A UPN change as a command writes it: the parameters naming the user and the new UPN.
struct UpnChange<'c> {
    user: Option<&'c Value>,
    upn: &'c Param,
    user_param: &'static str,
    upn_param: &'static str,
}

/// The cmdlets that rename a user, with the parameter naming the user and the one for the UPN.
const UPN_CMDLETS: &[(&str, &str, &str)] = &[
    ("Set-AzureADUser", "ObjectId", "UserPrincipalName"),
    (
        "Set-MsolUserPrincipalName",
        "UserPrincipalName",
        "NewUserPrincipalName",
    ),
    ("Update-MgUser", "UserId", "UserPrincipalName"),
];

/// FB108: a UPN changed to a temporary `*.onmicrosoft.com` name and never changed back.
pub fn temporary_upn_left(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for (i, cmd) in commands.iter().enumerate() {
        let Some(change) = upn_change(cmd) else {
            continue;
        };
        let Some(temp) = &change.upn.value else {
            continue;
        };
        if !literal(script, temp).is_some_and(temporary) {
            continue;
        }
        let back = commands[i + 1..]
            .iter()
            .filter_map(|c| upn_change(c))
            .any(|later| changes_back(script, &change, temp, &later));
        if back {
            continue;
        }
        out.push(temporary_upn_finding(script, cmd, &change, temp));
    }
}

fn upn_change(cmd: &Command) -> Option<UpnChange<'_>> {
    let &(_, user_param, upn_param) = UPN_CMDLETS.iter().find(|(name, ..)| cmd.is(name))?;
    let upn = arg(cmd, upn_param)?;
    let user = arg_value(cmd, user_param)
        .or_else(|| arg_value(cmd, "ObjectId"))
        .or_else(|| first_positional(cmd));
    Some(UpnChange {
        user,
        upn,
        user_param,
        upn_param,
    })
}

/// Whether `later` renames the same user (by the temporary or the original name) to a UPN that
/// is not temporary (a value the script does not spell out counts as a change back).
fn changes_back(script: &Script, first: &UpnChange, temp: &Value, later: &UpnChange) -> bool {
    let Some(new) = &later.upn.value else {
        return false;
    };
    let Some(user) = later.user else {
        return false;
    };
    let same_user = same(script, user, temp) || first.user.is_some_and(|o| same(script, user, o));
    same_user && !literal(script, new).is_some_and(temporary)
}

fn temporary_upn_finding(
    script: &Script,
    cmd: &Command,
    change: &UpnChange,
    temp: &Value,
) -> Finding {
    let mut f = Finding::new(Code::FB108, change.upn.full_range());
    let shown = |v: &Value| literal(script, v).unwrap_or(&v.text).to_string();
    f.note = Some(match change.user {
        Some(user) => format!(
            "{} keeps the temporary UPN {}: nothing later in the script changes it back.",
            shown(user),
            shown(temp)
        ),
        None => format!(
            "The temporary UPN {} is never changed back later in the script.",
            shown(temp)
        ),
    });
    // The change back needs the original UPN, spelled out (an object ID is no UPN).
    let original = change
        .user
        .filter(|u| literal(script, u).is_some_and(|s| s.contains('@') && !temporary(s)));
    if let Some(original) = original {
        let line = format!(
            "{} -{} {} -{} {}",
            cmd.name, change.user_param, temp.text, change.upn_param, original.text
        );
        f.suggestions.push(Suggestion {
            title: format!("Change the UPN back to {}", shown(original)),
            edits: vec![add_lines_after(script.text, cmd.statement.end, &[line])],
        });
    }
    f
}

/// A `*.onmicrosoft.com` name (`user@contoso.mail.onmicrosoft.com`).
fn temporary(upn: &str) -> bool {
    upn.trim()
        .to_ascii_lowercase()
        .ends_with(".onmicrosoft.com")
}

// ---------------------------------------------------------------------------------------------
// FB109

/// A retired cmdlet and what replaces it in Microsoft Graph PowerShell.
struct Successor {
    retired: &'static str,
    /// Named in the note.
    graph: &'static str,
    /// When the call maps one to one: the text replacing the cmdlet name, and the parameters
    /// renamed. Any other parameter, or a positional argument, leaves the fix out.
    fix: Option<(&'static str, &'static [(&'static str, &'static str)])>,
}

const CONNECT: &str = "Connect-MgGraph -Scopes \"User.ReadWrite.All\"";

/// The retired MSOnline / AzureAD cmdlets this rule knows a Microsoft Graph equivalent for.
const SUCCESSORS: &[Successor] = &[
    Successor {
        retired: "Connect-MsolService",
        graph: "Connect-MgGraph",
        fix: Some((CONNECT, &[])),
    },
    Successor {
        retired: "Connect-AzureAD",
        graph: "Connect-MgGraph",
        fix: Some((CONNECT, &[])),
    },
    Successor {
        retired: "Disconnect-AzureAD",
        graph: "Disconnect-MgGraph",
        fix: Some(("Disconnect-MgGraph", &[])),
    },
    Successor {
        retired: "Get-MsolUser",
        graph: "Get-MgUser",
        fix: Some((
            "Get-MgUser",
            &[
                ("UserPrincipalName", "UserId"),
                ("ObjectId", "UserId"),
                ("All", "All"),
            ],
        )),
    },
    Successor {
        retired: "Get-AzureADUser",
        graph: "Get-MgUser",
        fix: Some((
            "Get-MgUser",
            &[
                ("ObjectId", "UserId"),
                ("Filter", "Filter"),
                ("All", "All"),
                ("Top", "Top"),
            ],
        )),
    },
    Successor {
        retired: "Set-AzureADUser",
        graph: "Update-MgUser",
        fix: Some((
            "Update-MgUser",
            &[
                ("ObjectId", "UserId"),
                ("UserPrincipalName", "UserPrincipalName"),
                ("PasswordPolicies", "PasswordPolicies"),
                ("AccountEnabled", "AccountEnabled"),
                ("DisplayName", "DisplayName"),
                ("UsageLocation", "UsageLocation"),
            ],
        )),
    },
    Successor {
        retired: "Set-MsolUserPrincipalName",
        graph: "Update-MgUser -UserPrincipalName",
        fix: Some((
            "Update-MgUser",
            &[
                ("UserPrincipalName", "UserId"),
                ("ObjectId", "UserId"),
                ("NewUserPrincipalName", "UserPrincipalName"),
            ],
        )),
    },
    Successor {
        retired: "Set-MsolUser",
        graph: "Update-MgUser (-PasswordNeverExpires $true becomes -PasswordPolicies DisablePasswordExpiration)",
        fix: Some((
            "Update-MgUser",
            &[
                ("UserPrincipalName", "UserId"),
                ("ObjectId", "UserId"),
                ("DisplayName", "DisplayName"),
                ("UsageLocation", "UsageLocation"),
            ],
        )),
    },
    Successor {
        retired: "Set-MsolUserPassword",
        graph: "Update-MgUser -PasswordProfile @{ ForceChangePasswordNextSignIn = $false } (or Password)",
        fix: None,
    },
    Successor {
        retired: "Set-AzureADUserPassword",
        graph: "Update-MgUser -PasswordProfile",
        fix: None,
    },
    Successor {
        retired: "Get-MsolServicePrincipalCredential",
        graph: "Get-MgServicePrincipal -Filter \"appId eq '...'\" and its KeyCredentials (scope Application.Read.All)",
        fix: None,
    },
    Successor {
        retired: "Get-MsolServicePrincipal",
        graph: "Get-MgServicePrincipal",
        fix: None,
    },
    Successor {
        retired: "Get-AzureADServicePrincipal",
        graph: "Get-MgServicePrincipal",
        fix: Some((
            "Get-MgServicePrincipal",
            &[
                ("ObjectId", "ServicePrincipalId"),
                ("Filter", "Filter"),
                ("All", "All"),
            ],
        )),
    },
    Successor {
        retired: "Get-MsolDomain",
        graph: "Get-MgDomain",
        fix: Some(("Get-MgDomain", &[("DomainName", "DomainId")])),
    },
    Successor {
        retired: "Get-AzureADDomain",
        graph: "Get-MgDomain",
        fix: Some(("Get-MgDomain", &[("Name", "DomainId")])),
    },
    Successor {
        retired: "Get-MsolDomainFederationSettings",
        graph: "Get-MgDomainFederationConfiguration",
        fix: None,
    },
    Successor {
        retired: "Set-MsolDomainAuthentication",
        graph: "Update-MgDomain / New-MgDomainFederationConfiguration",
        fix: None,
    },
    Successor {
        retired: "Get-MsolCompanyInformation",
        graph: "Get-MgOrganization",
        fix: Some(("Get-MgOrganization", &[])),
    },
    Successor {
        retired: "Get-AzureADTenantDetail",
        graph: "Get-MgOrganization",
        fix: Some(("Get-MgOrganization", &[])),
    },
    Successor {
        retired: "Get-MsolAccountSku",
        graph: "Get-MgSubscribedSku",
        fix: Some(("Get-MgSubscribedSku", &[])),
    },
    Successor {
        retired: "New-MsolUser",
        graph: "New-MgUser",
        fix: None,
    },
    Successor {
        retired: "New-AzureADUser",
        graph: "New-MgUser",
        fix: None,
    },
    Successor {
        retired: "Remove-MsolUser",
        graph: "Remove-MgUser",
        fix: Some((
            "Remove-MgUser",
            &[("UserPrincipalName", "UserId"), ("ObjectId", "UserId")],
        )),
    },
    Successor {
        retired: "Remove-AzureADUser",
        graph: "Remove-MgUser",
        fix: Some(("Remove-MgUser", &[("ObjectId", "UserId")])),
    },
    Successor {
        retired: "Get-MsolGroup",
        graph: "Get-MgGroup",
        fix: Some(("Get-MgGroup", &[("ObjectId", "GroupId"), ("All", "All")])),
    },
    Successor {
        retired: "Get-AzureADGroup",
        graph: "Get-MgGroup",
        fix: Some((
            "Get-MgGroup",
            &[("ObjectId", "GroupId"), ("Filter", "Filter"), ("All", "All")],
        )),
    },
    Successor {
        retired: "Set-MsolUserLicense",
        graph: "Set-MgUserLicense",
        fix: None,
    },
    Successor {
        retired: "Set-AzureADUserLicense",
        graph: "Set-MgUserLicense",
        fix: None,
    },
];

/// The retired modules, and what `Install-Module` / `Import-Module` takes instead (importing
/// all of `Microsoft.Graph` exceeds Windows PowerShell's function limit: the users module).
const RETIRED_MODULES: &[&str] = &["MSOnline", "AzureAD", "AzureADPreview"];
const GRAPH_INSTALL: &str = "Microsoft.Graph";
const GRAPH_IMPORT: &str = "Microsoft.Graph.Users";

/// FB109: cmdlets of the retired MSOnline / AzureAD modules, and installing or importing them.
pub fn retired_modules(_script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        if cmd.is("Import-Module") || cmd.is("Install-Module") {
            out.extend(retired_module_load(cmd));
            continue;
        }
        let lower = cmd.name.to_ascii_lowercase();
        let module = if lower.contains("-msol") {
            "MSOnline"
        } else if lower.contains("-azuread") {
            "AzureAD"
        } else {
            continue;
        };
        let successor = SUCCESSORS.iter().find(|s| cmd.is(s.retired));
        let mut f = Finding::new(Code::FB109, cmd.name_range.clone());
        f.note = Some(match successor {
            Some(s) => format!(
                "{} is from the retired {module} module; in Microsoft Graph PowerShell: {}.",
                cmd.name, s.graph
            ),
            None => format!(
                "{} is from the retired {module} module; use its Microsoft Graph PowerShell \
                 equivalent (Microsoft.Graph modules, Connect-MgGraph).",
                cmd.name
            ),
        });
        f.suggestions
            .extend(successor.and_then(|s| graph_call(cmd, s)));
        out.push(f);
    }
}

/// The call rewritten for Microsoft Graph, when every parameter carries over.
fn graph_call(cmd: &Command, s: &Successor) -> Option<Suggestion> {
    let (name, renames) = s.fix?;
    if !cmd.positionals.is_empty() {
        return None;
    }
    let mut edits = vec![Edit {
        range: cmd.name_range.clone(),
        text: name.to_string(),
    }];
    for p in &cmd.params {
        let new = renames
            .iter()
            .find(|(old, _)| old.eq_ignore_ascii_case(&p.name))
            .or_else(|| renames.iter().find(|(old, _)| cmd_binds(cmd, p, old)))
            .map(|(_, new)| *new)?;
        if !p.name.eq_ignore_ascii_case(new) {
            let colon = if p.colon { ":" } else { "" };
            edits.push(Edit {
                range: p.range.clone(),
                text: format!("-{new}{colon}"),
            });
        }
    }
    let short = name.split_whitespace().next().unwrap_or(name);
    Some(Suggestion {
        title: format!("Use {short}"),
        edits,
    })
}

fn cmd_binds(cmd: &Command, p: &Param, full: &str) -> bool {
    binds(&p.name, full, &cmd.name)
}

/// `Install-Module MSOnline` / `Import-Module AzureAD`.
fn retired_module_load(cmd: &Command) -> Option<Finding> {
    let value = arg_value(cmd, "Name").or_else(|| first_positional(cmd))?;
    let name = value.as_str()?.trim();
    let module = RETIRED_MODULES
        .iter()
        .find(|m| m.eq_ignore_ascii_case(name))?;
    let graph = if cmd.is("Install-Module") {
        GRAPH_INSTALL
    } else {
        GRAPH_IMPORT
    };
    let mut f = Finding::new(Code::FB109, value.range.clone());
    f.note = Some(format!(
        "{module} is retired; {} {graph} (Microsoft Graph PowerShell) instead.",
        cmd.name
    ));
    f.suggestions.push(Suggestion {
        title: format!("Use {graph}"),
        edits: vec![Edit {
            range: value.range.clone(),
            text: graph.to_string(),
        }],
    });
    Some(f)
}

// ---------------------------------------------------------------------------------------------
// FB110

/// FB110: password expiry switched off (`-PasswordNeverExpires $true`,
/// `-PasswordPolicies DisablePasswordExpiration`).
pub fn password_never_expires(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(range) = expiry_off(script, cmd) else {
            continue;
        };
        let mut f = Finding::new(Code::FB110, range);
        let user = ["UserPrincipalName", "ObjectId", "UserId"]
            .iter()
            .find_map(|p| arg_value(cmd, p))
            .or_else(|| first_positional(cmd));
        if let Some(user) = user {
            let shown = literal(script, user).unwrap_or(&user.text);
            f.note = Some(format!("The password of {shown} will never expire."));
        }
        out.push(f);
    }
}

/// Where `cmd` switches expiry off: the parameter, or the hashtable entry that does it.
fn expiry_off(script: &Script, cmd: &Command) -> Option<Range<usize>> {
    if let Some(p) = arg(cmd, "PasswordNeverExpires") {
        let on = p
            .value
            .as_ref()
            .is_some_and(|v| script.resolve(v).kind == ValueKind::Bool(true));
        if on {
            return Some(p.full_range());
        }
    }
    if let Some(p) = arg(cmd, "PasswordPolicies") {
        if p.value.as_ref().is_some_and(|v| disables_expiry(script, v)) {
            return Some(p.full_range());
        }
    }
    // `-BodyParameter @{ PasswordPolicies = "DisablePasswordExpiration" }`
    cmd.params
        .iter()
        .filter_map(|p| p.value.as_ref())
        .filter_map(|v| match &v.kind {
            ValueKind::Hash(entries) => Some(entries),
            _ => None,
        })
        .flatten()
        .find(|(k, v)| k.eq_ignore_ascii_case("PasswordPolicies") && disables_expiry(script, v))
        .map(|(_, v)| v.range.clone())
}

fn disables_expiry(script: &Script, value: &Value) -> bool {
    literal(script, value)
        .is_some_and(|s| s.to_ascii_lowercase().contains("disablepasswordexpiration"))
}

// ---------------------------------------------------------------------------------------------
// FB118

/// Parameters that take a password (the rule needs `passw` in what is written, so `-Pass`
/// is never taken for `-PassThru`).
const PASSWORD_PARAMS: &[&str] = &["Password", "NewPassword", "OldPassword", "AccountPassword"];

/// Where a password parameter takes a SecureString: a literal there is replaced by a prompt.
const SECURE_STRING: &[(&str, &str)] = &[
    ("New-Mailbox", "Password"),
    ("Set-Mailbox", "Password"),
    ("New-RemoteMailbox", "Password"),
    ("New-MailUser", "Password"),
    ("Set-MailUser", "Password"),
    ("Import-ExchangeCertificate", "Password"),
    ("Export-ExchangeCertificate", "Password"),
    ("Import-PfxCertificate", "Password"),
    ("Export-PfxCertificate", "Password"),
    ("New-LocalUser", "Password"),
    ("Set-LocalUser", "Password"),
    ("New-ADUser", "AccountPassword"),
    ("Set-ADAccountPassword", "NewPassword"),
    ("Set-ADAccountPassword", "OldPassword"),
    ("Set-AzureADUserPassword", "Password"),
];

const PROMPT: &str = "Read-Host -AsSecureString -Prompt \"Password\"";

/// FB118: a password written as a literal (`ConvertTo-SecureString "..." -AsPlainText`,
/// `-Password "..."`, a `Password` entry of a hashtable argument).
pub fn literal_password(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let mut found: Vec<Finding> = Vec::new();
    for cmd in commands {
        if cmd.is("ConvertTo-SecureString") {
            found.extend(plain_text_conversion(script, cmd));
            continue;
        }
        for p in &cmd.params {
            found.extend(password_param(script, cmd, p));
        }
        for p in &cmd.params {
            if let Some(v) = &p.value {
                password_entries(script, v, &mut found);
            }
        }
    }
    // A splatted hashtable used by several commands is one literal: report it once.
    for f in found {
        if !out.iter().any(|o| o.code == f.code && o.range == f.range) {
            out.push(f);
        }
    }
}

/// `ConvertTo-SecureString <literal> -AsPlainText`: the literal as `-String`, positional, or
/// piped in (`"..." | ConvertTo-SecureString -AsPlainText`).
fn plain_text_conversion(script: &Script, cmd: &Command) -> Option<Finding> {
    let plain = arg(cmd, "AsPlainText")?;
    let given = arg_value(cmd, "String")
        .or_else(|| cmd.positionals.iter().find(|v| !is_bool(v)))
        .or_else(|| plain.value.as_ref().filter(|v| !is_bool(v)));
    let Some(value) = given else {
        let range = piped_literal(script, cmd)?;
        let mut f = Finding::new(Code::FB118, range);
        f.suggestions
            .push(prompt_instead(cmd.statement.start..cmd.range.end));
        return Some(f);
    };
    let direct = secret(value).is_some();
    if !direct && resolved_secret(script, value).is_none() {
        return None;
    }
    let mut f = Finding::new(Code::FB118, value.range.clone());
    if direct {
        f.suggestions.push(prompt_instead(cmd.range.clone()));
    } else {
        f.note = Some(assigned_note(value));
    }
    Some(f)
}

fn prompt_instead(range: Range<usize>) -> Suggestion {
    Suggestion {
        title: "Prompt for the password at run time".into(),
        edits: vec![Edit {
            range,
            text: PROMPT.into(),
        }],
    }
}

/// The range of a literal string piped into `cmd` (the whole statement before it).
fn piped_literal(script: &Script, cmd: &Command) -> Option<Range<usize>> {
    let before = script.text.get(cmd.statement.start..cmd.range.start)?;
    let lead = before.len() - before.trim_start().len();
    let word = before.trim().strip_suffix('|')?.trim_end();
    let quote = word.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = word.get(1..word.len().checked_sub(1)?)?;
    let closed = word.len() >= 2 && word.ends_with(quote) && !inner.contains(quote);
    let interpolated = quote == '"' && inner.contains('$');
    if !closed || interpolated || inner.trim().is_empty() {
        return None;
    }
    let start = cmd.statement.start + lead;
    Some(start..start + word.len())
}

/// `-Password "..."` (and `-NewPassword`, `-OldPassword`, `-AccountPassword`).
fn password_param(script: &Script, cmd: &Command, p: &Param) -> Option<Finding> {
    let full = password_name(&p.name)?;
    let value = p.value.as_ref()?;
    let direct = secret(value).is_some();
    if !direct && resolved_secret(script, value).is_none() {
        return None;
    }
    let mut f = Finding::new(Code::FB118, p.full_range());
    let secure = SECURE_STRING
        .iter()
        .any(|(c, n)| cmd.is(c) && n.eq_ignore_ascii_case(full));
    if !direct {
        f.note = Some(assigned_note(value));
    } else if secure {
        f.suggestions.push(Suggestion {
            title: "Prompt for the password at run time".into(),
            edits: vec![Edit {
                range: value.range.clone(),
                text: format!("({PROMPT})"),
            }],
        });
    } else {
        f.note = Some(format!(
            "-{} takes the password as plain text: read it at run time instead of storing it.",
            p.name
        ));
    }
    Some(f)
}

/// The password parameter `written` names, if any.
fn password_name(written: &str) -> Option<&'static str> {
    let w = written.to_ascii_lowercase();
    if !w.contains("passw") {
        return None;
    }
    PASSWORD_PARAMS
        .iter()
        .find(|full| full.to_ascii_lowercase().starts_with(&w))
        .copied()
}

/// `@{ Password = "..." }` in an argument (`-PasswordProfile`, `-BodyParameter`), at any depth.
fn password_entries(script: &Script, value: &Value, out: &mut Vec<Finding>) {
    let ValueKind::Hash(entries) = &value.kind else {
        return;
    };
    for (key, v) in entries {
        if matches!(v.kind, ValueKind::Hash(_)) {
            password_entries(script, v, out);
            continue;
        }
        let is_password = PASSWORD_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(key));
        if !is_password {
            continue;
        }
        let note = if secret(v).is_some() {
            format!(
                "{key} in this hashtable is plain text: read it at run time instead of storing it."
            )
        } else if resolved_secret(script, v).is_some() {
            assigned_note(v)
        } else {
            continue;
        };
        let mut f = Finding::new(Code::FB118, v.range.clone());
        f.note = Some(note);
        out.push(f);
    }
}

/// A password written out: a non-empty literal that is no `<placeholder>` (FB117's business)
/// and no `"...$var..."` (built at run time).
fn secret(value: &Value) -> Option<&str> {
    let s = value.as_str()?;
    let t = s.trim();
    let placeholder = t.starts_with('<') && t.ends_with('>');
    let interpolated = value.text.trim_start().starts_with(['"', '@']) && t.contains('$');
    let environment = value
        .text
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("$env:");
    (!t.is_empty() && !placeholder && !interpolated && !environment).then_some(s)
}

/// A variable holding a literal password assigned earlier in the script.
fn resolved_secret<'s>(script: &'s Script, value: &'s Value) -> Option<&'s str> {
    if !matches!(value.kind, ValueKind::Variable(_)) {
        return None;
    }
    if value.text.to_ascii_lowercase().starts_with("$env:") {
        return None;
    }
    secret(script.resolve(value))
}

fn assigned_note(value: &Value) -> String {
    format!(
        "{} holds a password written as a literal earlier in the script.",
        value.text
    )
}

fn is_bool(v: &Value) -> bool {
    matches!(v.kind, ValueKind::Bool(_))
}

// ---------------------------------------------------------------------------------------------
// Shared

/// The parameter written for `full`: the exact name first, else an abbreviation of it
/// (`Command::param` takes the first abbreviation even when the full name is also written).
fn arg<'c>(cmd: &'c Command, full: &str) -> Option<&'c Param> {
    cmd.params
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(full))
        .or_else(|| cmd.param(full))
}

fn arg_value<'c>(cmd: &'c Command, full: &str) -> Option<&'c Value> {
    arg(cmd, full)?.value.as_ref()
}

/// The first positional argument that can name an object (no splat, no `$true`).
fn first_positional(cmd: &Command) -> Option<&Value> {
    cmd.positionals
        .iter()
        .find(|v| !matches!(v.kind, ValueKind::Splat(_) | ValueKind::Bool(_)))
}

/// `-Identity`, or the first positional argument (`Set-RemoteMailbox user@contoso.com ...`).
fn identity(cmd: &Command) -> Option<&Value> {
    arg_value(cmd, "Identity").or_else(|| first_positional(cmd))
}

/// The literal string a value stands for, directly or through a variable assigned earlier.
fn literal<'s>(script: &'s Script, value: &'s Value) -> Option<&'s str> {
    script.resolve(value).as_str()
}

/// Whether two values name the same object: equal literals (case-insensitive), else the same
/// text (`$mbx` and `$mbx`).
fn same(script: &Script, a: &Value, b: &Value) -> bool {
    match (literal(script, a), literal(script, b)) {
        (Some(x), Some(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
        _ => a.text.trim().eq_ignore_ascii_case(b.text.trim()),
    }
}

/// An insertion of `lines` after the line on which byte `at` stands, indented like that line
/// and with the script's line ends.
fn add_lines_after(text: &str, at: usize, lines: &[String]) -> Edit {
    let at = (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let (before, after) = text.split_at(at);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let body = lines
        .iter()
        .map(|l| format!("{indent}{l}"))
        .collect::<Vec<_>>()
        .join(eol);
    match after.find('\n') {
        Some(i) => Edit {
            range: at + i + 1..at + i + 1,
            text: format!("{body}{eol}"),
        },
        None => Edit {
            range: text.len()..text.len(),
            text: format!("{eol}{body}"),
        },
    }
}
