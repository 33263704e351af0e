//! What is wrong in a record, by the kind of object it shows. Each check reports on the field at
//! fault, with a note saying what the value should be.
use super::records::{Field, Record};
use crate::capture::Key;
use crate::code::Code;
use crate::endpoints;
use crate::finding::{Confidence, Finding};
use crate::knowledge::Severity;
use crate::well_known::EXCHANGE_ONLINE_APP_ID;

const MICROSOFT_ISSUER: &str = "00000001-0000-0000-c000-000000000000";

fn finding(code: Code, field: &Field, note: String) -> Finding {
    let mut f = Finding::new(code, field.range.clone());
    f.note = Some(note);
    f
}

fn empty(v: &str) -> bool {
    matches!(v.trim(), "" | "{}" | "$null")
}

/// A URL or list without the spaces a console wrap put into it (Format-List cuts long values
/// mid-word; the parser joins the pieces with a space), lowercased.
fn compact(v: &str) -> String {
    v.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// FB301: a federation trust still on the old application (`292841` / `outlook.live.com`).
pub fn federation_trust(r: &Record, out: &mut Vec<Finding>) {
    if let Some(f) = r
        .get("ApplicationIdentifier")
        .filter(|f| f.value == "292841")
    {
        out.push(finding(
            Code::FB301,
            f,
            "ApplicationIdentifier is 292841; an up-to-date trust has 260563".into(),
        ));
    }
    if let Some(f) = r
        .get("ApplicationUri")
        .filter(|f| f.value.eq_ignore_ascii_case("outlook.live.com"))
    {
        out.push(finding(
            Code::FB301,
            f,
            "ApplicationUri is outlook.live.com; an up-to-date trust has outlook.com".into(),
        ));
    }
}

/// FB302: the Microsoft authorization server (ACS / evoSTS) disabled, with the wrong issuer, or
/// without metadata.
pub fn auth_server(r: &Record, out: &mut Vec<Finding>) {
    let text = |n: &str| r.get(n).map_or(String::new(), |f| compact(&f.value));
    let at = |hosts: &[&str]| {
        hosts.iter().any(|h| {
            text("TokenIssuingEndpoint").contains(h) || text("AuthMetadataUrl").contains(h)
        })
    };
    // ACS (`WindowsAzureACS`) issues as 00000001-...; Entra ID (`EvoSts - <GUID>`) has an issuer
    // of its own (`https://sts.windows.net/<tenant ID>/`), so only ACS is held to that ID.
    let acs = at(&["accesscontrol.windows.net"]) || text("Name").starts_with("windowsazureacs");
    let evo = at(&["login.windows.net", "login.microsoftonline.com"])
        || text("Name").starts_with("evosts");
    if !acs && !evo {
        return;
    }
    if let Some(f) = r
        .get("Enabled")
        .filter(|f| f.value.eq_ignore_ascii_case("false"))
    {
        out.push(finding(
            Code::FB302,
            f,
            "the Microsoft authorization server is disabled".into(),
        ));
    }
    if let Some(f) = r
        .get("IssuerIdentifier")
        .filter(|f| acs && !f.value.eq_ignore_ascii_case(MICROSOFT_ISSUER))
    {
        out.push(finding(
            Code::FB302,
            f,
            format!("IssuerIdentifier should be {MICROSOFT_ISSUER}"),
        ));
    }
    if let Some(f) = r.get("AuthMetadataUrl").filter(|f| empty(&f.value)) {
        out.push(finding(
            Code::FB302,
            f,
            "AuthMetadataUrl is empty: the server cannot refresh its signing keys".into(),
        ));
    }
}

/// FB035: the Entra ID authorization server (`EvoSts - <tenant GUID>`, older `EvoSTS`) without the
/// dedicated hybrid application's ID: calls from on-premises to Exchange Online cannot use it.
/// Only when the pasted output shows `ApplicationIdentifier` at all.
pub fn hybrid_app_auth_server(r: &Record, out: &mut Vec<Finding>) {
    let name = r.get("Name").map_or(String::new(), |f| compact(&f.value));
    let azure_ad = r
        .get("Type")
        .is_none_or(|f| f.value.trim().eq_ignore_ascii_case("AzureAD"));
    if !name.starts_with("evosts") || !azure_ad {
        return;
    }
    if let Some(f) = r
        .get("ApplicationIdentifier")
        .filter(|f| !is_guid(f.value.trim()))
    {
        out.push(finding(
            Code::FB035,
            f,
            "the EvoSts authorization server has no application ID: the dedicated Exchange hybrid application is not set up here, so calls from on-premises to Exchange Online go as the shared principal, refused since October 31, 2025".into(),
        ));
    }
}

/// FB034: the setting override of the dedicated hybrid application switched off.
pub fn hybrid_app_override(r: &Record, out: &mut Vec<Finding>) {
    let section = r.get("SectionName").map_or("", |f| f.value.trim());
    if !section.eq_ignore_ascii_case("ExchangeOnpremAsThirdPartyAppId") {
        return;
    }
    if let Some(f) = r
        .get("Parameters")
        .filter(|f| compact(&f.value).contains("enabled=false"))
    {
        out.push(finding(
            Code::FB034,
            f,
            "this override switches the dedicated Exchange hybrid application off (Enabled=false)"
                .into(),
        ));
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hexadecimal.
fn is_guid(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    parts.len() == 5
        && parts
            .iter()
            .zip(lengths)
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// FB303: `Default` with `{None}` on a calendar.
pub fn folder_permission(r: &Record, out: &mut Vec<Finding>) {
    let user = r.get("User").map_or("", |f| f.value.as_str());
    let Some(rights) = r.get("AccessRights") else {
        return;
    };
    let default = user.eq_ignore_ascii_case("Default") || user.eq_ignore_ascii_case("Standard");
    if default
        && rights
            .value
            .trim_matches(['{', '}'])
            .trim()
            .eq_ignore_ascii_case("None")
    {
        let mut f = finding(
            Code::FB303,
            rights,
            "Default has no access: others get no free/busy (FB009)".into(),
        );
        // The mailbox, from `-Identity anna@contoso.com:\Calendar` on the command line.
        let mailbox = r
            .command
            .as_deref()
            .into_iter()
            .flat_map(|c| c.split([' ', '"', '\'', ':']))
            .find(|w| w.contains('@'));
        if let Some(m) = mailbox {
            f.captures.insert(Key::Address, m.to_string());
        }
        out.push(f);
    }
}

/// FB304: an organization relationship or intra-organization connector that cannot serve
/// free/busy: disabled, no access, endpoints empty or of the wrong shape, or a domain missing.
pub fn relationship(r: &Record, domains: &[String], out: &mut Vec<Finding>) {
    for (name, bad) in [
        ("Enabled", "false"),
        ("FreeBusyAccessEnabled", "false"),
        ("FreeBusyAccessLevel", "none"),
    ] {
        if let Some(f) = r.get(name).filter(|f| f.value.eq_ignore_ascii_case(bad)) {
            out.push(finding(
                Code::FB304,
                f,
                format!("{name} is {}: free/busy is not shared", f.value),
            ));
        }
    }
    // `TargetSharingEpr` is optional (empty: Autodiscover finds EWS); without it, the
    // Autodiscover endpoint must be there.
    let sharing = r.get("TargetSharingEpr").is_some_and(|f| !empty(&f.value));
    for endpoint in crate::knowledge::catalog().endpoints() {
        let name = endpoint.name.as_str();
        let Some(f) = r.get(name) else { continue };
        // Output is read leniently: a trailing `/` is not held against the URL.
        let v = compact(&f.value);
        let note = if empty(&f.value) {
            (name != "TargetSharingEpr" && !sharing)
                .then(|| format!("{name} is empty and no TargetSharingEpr is set"))
        } else if !endpoints::shape(endpoint, v.trim_end_matches('/')).ok() {
            Some(format!(
                "{name} should be {}",
                endpoints::expected(endpoint)
            ))
        } else {
            None
        };
        if let Some(note) = note {
            out.push(finding(Code::FB304, f, note));
        }
    }
    let list = r
        .get("DomainNames")
        .or_else(|| r.get("TargetAddressDomains"));
    if let Some(f) = list {
        let have = compact(&f.value);
        // `{a, b, c, d...}`: the console showed only the first few ($FormatEnumerationLimit, or a
        // Format-Table cell cut short), so what is missing cannot be told.
        let shown = have.trim_end_matches('}');
        let cut = shown.ends_with("...") || shown.ends_with('\u{2026}');
        let listed: Vec<&str> = have
            .split(['{', '}', ','])
            .filter(|d| !d.is_empty())
            .collect();
        let missing = domains.iter().find(|d| !listed.contains(&d.as_str()));
        if let (false, Some(d)) = (cut, missing) {
            let mut finding = finding(
                Code::FB304,
                f,
                format!(
                    "{} does not list {d}, a domain this document shows failing",
                    f.name
                ),
            );
            finding.captures.insert(Key::Domain, d.clone());
            out.push(finding);
        }
    }
}

/// FB305: AuthConfig without a current certificate, or pointing at another service.
pub fn auth_config(r: &Record, out: &mut Vec<Finding>) {
    if let Some(f) = r
        .get("CurrentCertificateThumbprint")
        .filter(|f| empty(&f.value))
    {
        out.push(finding(
            Code::FB305,
            f,
            "no current OAuth certificate (FB012)".into(),
        ));
    }
    if let Some(f) = r
        .get("ServiceName")
        .filter(|f| !empty(&f.value) && !f.value.eq_ignore_ascii_case(EXCHANGE_ONLINE_APP_ID))
    {
        out.push(finding(
            Code::FB305,
            f,
            format!("ServiceName should be {EXCHANGE_ONLINE_APP_ID}"),
        ));
    }
}

/// FB306: a failed `Test-*` result; the error text beside it (the scanner's findings within the
/// record, `errors` in position order) says which entry it proves.
/// The fields that may say a test failed.
pub const STATUS: &[&str] = &["ResultType", "Status", "Result", "Type"];

/// The field saying a test failed (`ResultType : Error`), in a record of two fields or more.
pub fn failed_status(r: &Record) -> Option<&Field> {
    // A lone `Status : Error` line is too little to call a test result.
    if r.fields.len() < 2 {
        return None;
    }
    STATUS.iter().filter_map(|n| r.get(n)).find(|f| {
        matches!(
            f.value.to_ascii_lowercase().as_str(),
            "error" | "failure" | "failed"
        )
    })
}

pub fn test_result(r: &Record, errors: &[Finding], out: &mut Vec<Finding>) {
    let Some(status) = failed_status(r) else {
        return;
    };
    // A test the catalog does not know (Test-ImapConnectivity, Test-PopConnectivity) tests
    // something other than free/busy.
    let named = r
        .command
        .as_deref()
        .and_then(|c| c.split_whitespace().next());
    if named.is_some_and(|n| {
        n.to_ascii_lowercase().starts_with("test-")
            && crate::knowledge::catalog().cmdlet(n).is_none()
    }) {
        return;
    }
    let first = errors.partition_point(|f| f.range.start < r.range.start);
    let found: Vec<&Finding> = errors[first..]
        .iter()
        .take_while(|f| f.range.start < r.range.end)
        .filter(|f| f.range.end <= r.range.end)
        .collect();
    // A triage entry (a bare 401) names candidates, not a cause: it proves nothing yet.
    let proven = found.iter().find(|f| f.confidence == Confidence::High);
    let generic = found.iter().find(|f| f.confidence == Confidence::Low);
    let mut f = finding(Code::FB306, status, String::new());
    let test = r
        .command
        .as_deref()
        .and_then(|c| c.split_whitespace().next())
        .unwrap_or("the test");
    f.note = Some(match (proven, generic) {
        (Some(p), _) => format!("{test} failed with {}: see that card", p.code),
        (None, Some(g)) => format!("{test} failed with a generic text ({}) that no catalog error explains yet: read the Detail or Message beside it", g.code),
        (None, None) => format!("{test} failed with a text that is not in the catalog: read the Detail or Message beside it"),
    });
    if proven.is_none() {
        f.severity = Some(Severity::Warning);
        // Picks the fix route that reruns this test for more detail.
        if test.starts_with("Test-") {
            f.captures
                .insert(crate::capture::Key::FailedTest, test.to_string());
        }
    }
    out.push(f);
}
